"""`python -m bench --suite board`: ward board latency at 10 thousand and at 1 million contacts, and the
continuity endpoint for a patient with 5,000 contacts.

In-process: the app is driven through Flask's test client with a team leader's bearer token, one request
at a time, so the figures are the app's and the database's time without HTTP parsing or a network hop.
Two throwaway databases per backend (migrated with Alembic), seeded alike: one with 10k contacts, one
with the same 10k plus 990k more, which belong to other patients and to the board patients' older
history. After the bulk load ANALYZE runs and the board patients are queued for recomputation; the
first (unrecorded) board request drains the queue, as it would after real changes. The two databases
are then measured in alternating rounds, so that load from elsewhere on a shared machine falls on both.
"""

import contextlib
import gc
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from bench import continuity_seed as seed
from bench.backends import Unavailable, postgresql_database, sqlite_database
from bench.report import RESULTS
from wardtrack import create_app
from wardtrack.continuity.models import RecomputeQueue
from wardtrack.core.crypto import generate_key_line
from wardtrack.extensions import db

SMALL, LARGE, HEAVY = 10_000, 1_000_000, 5_000
BOARD_HISTORY = 100  # contacts per board patient in the last two years
OLDER_HISTORY = 2_000  # contacts per board patient, two to ten years ago, added for the 1M stage
BOARD_RATIO_TARGET, CONTINUITY_TARGET_MS = 1.5, 50.0


def _app(url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "CRYPTO_KEYS": generate_key_line(),
                       "CRYPTO_KEYS_FILE": None})


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(pick(0.95), 2),
            "max_ms": round(ordered[-1], 2)}


def _timed(client, path: str, headers: dict, requests: int) -> list[float]:
    """Milliseconds of each of `requests` sequential GETs; any status but 200 stops the benchmark."""
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path, headers=headers)
        samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}: {response.get_data(as_text=True)[:500]}")
    return samples


def _statements(client, path: str, headers: dict) -> list[str]:
    """The SQL statements one request sends."""
    sent = []

    def listener(conn, cursor, statement, *args):
        sent.append(" ".join(statement.split()))

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        client.get(path, headers=headers)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    return sent


def _queue_board(world) -> None:
    db.session.execute(sa.delete(RecomputeQueue))
    db.session.execute(sa.insert(RecomputeQueue), [{"patient_id": p} for p in world.board_ids])
    db.session.commit()


def _board_path(world) -> tuple[str, dict]:
    return f"/api/v1/wards/{world.ward_id}/board", {"Authorization": f"Bearer {world.token}"}


def drain_board(client, world) -> dict:
    """Queue the board patients, drain the queue with one request, and record what a board request sends."""
    path, headers = _board_path(world)
    _queue_board(world)
    start = time.perf_counter()
    first = client.get(path, headers=headers)
    recompute_ms = (time.perf_counter() - start) * 1000
    if first.status_code != 200 or len(first.get_json()["patients"]) != len(world.board_ids):
        raise RuntimeError(f"board answered {first.status_code}: {first.get_data(as_text=True)[:500]}")
    _timed(client, path, headers, 10)  # warm-up
    sent = _statements(client, path, headers)
    reads_history = [s for s in sent if " FROM contacts" in s or " JOIN contacts" in s]
    return {"statements": len(sent), "statements_on_contacts": len(reads_history),
            "first_request_with_recompute_ms": round(recompute_ms, 1)}


def measure_continuity(client, world, requests: int) -> dict:
    """The continuity endpoint for the heavy patient: the default 90 days, and 3650 days (all 5,000 contacts)."""
    headers = {"Authorization": f"Bearer {world.token}"}
    out = {}
    for days in (90, 3650):
        path = f"/api/v1/patients/{world.heavy_id}/continuity?days={days}"
        body = client.get(path, headers=headers).get_json()
        _timed(client, path, headers, 5)
        out[f"days_{days}"] = {**_percentiles(_timed(client, path, headers, requests)),
                               "contacts_in_window": body["contacts"]}
    return out


def _load(rows, label: str) -> None:
    start = time.perf_counter()
    count = seed.bulk_insert(rows)
    db.session.commit()
    seed.analyze()
    print(f"  {label}: {count} contacts in {time.perf_counter() - start:.1f} s", flush=True)


def _stage_small(world) -> None:
    board = seed.contacts_for(world, world.board_ids, BOARD_HISTORY, 0.1, 730)
    heavy = seed.contacts_for(world, [world.heavy_id], HEAVY, 0.1, 730)
    rest = SMALL - BOARD_HISTORY * len(world.board_ids) - HEAVY
    others = seed.contacts_for(world, world.other_ids, rest // len(world.other_ids), 1, 1500)
    _load((row for part in (board, heavy, others) for row in part), "10k")


def _stage_large(world) -> None:
    older = seed.contacts_for(world, world.board_ids, OLDER_HISTORY, 731, 3650)
    rest = LARGE - seed.contact_count() - OLDER_HISTORY * len(world.board_ids)
    others = seed.contacts_for(world, world.other_ids, rest // len(world.other_ids), 1, 3650)
    _load((row for part in (older, others) for row in part), "990k more")


ROUNDS = 4


def _prepare(name: str, app, stages) -> tuple:
    """Migrate and seed one database, load its stages, drain its board; returns (world, its figures)."""
    with app.app_context():
        upgrade()
        world = seed.build_world()
        for load in stages:
            load(world)
        figures = {"contacts": seed.contact_count()}
        db.session.remove()
        db.engine.dispose()  # fresh connections: nothing of the bulk load stays in their caches
        gc.collect()
        figures.update(drain_board(app.test_client(), world))
        print(f"  [{name}] ready: {figures}", flush=True)
        return world, figures


def _measure(apps: dict, worlds: dict, results: dict, requests: int) -> None:
    """Board requests on both databases in alternating rounds, then the continuity endpoint on the large one."""
    samples = {name: [] for name in apps}
    for _ in range(ROUNDS):
        for name, app in apps.items():
            with app.app_context():
                samples[name] += _timed(app.test_client(), *_board_path(worlds[name]), requests // ROUNDS)
    for name in apps:
        results[f"board_{name}"].update(_percentiles(samples[name]))
    with apps["1M"].app_context():
        results["continuity"] = measure_continuity(apps["1M"].test_client(), worlds["1M"], max(requests // 2, 20))


def bench_backend(backend: str, requests: int) -> dict:
    """Both databases of one backend, measured; returns its figures."""
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"wardtrack-board-{backend}-")))
        apps, worlds, result = {}, {}, {"backend": backend}
        for name, stages in (("10k", (_stage_small,)), ("1M", (_stage_small, _stage_large))):
            (workdir / name).mkdir()
            url = sqlite_database(workdir / name) if backend == "sqlite" else postgresql_database(stack)
            apps[name] = _app(url)
            stack.callback(_dispose, apps[name])
            worlds[name], result[f"board_{name}"] = _prepare(f"{backend} {name}", apps[name], stages)
        _measure(apps, worlds, result, requests)
    print(f"  [{backend}] {result}", flush=True)
    result["board_p95_ratio"] = round(result["board_1M"]["p95_ms"] / result["board_10k"]["p95_ms"], 2)
    return result


def _dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def print_table(results: list[dict]) -> None:
    """The figures and the targets, one line per backend."""
    print(f"\n{'backend':<11}{'board p50/p95 10k':>20}{'board p50/p95 1M':>19}{'ratio p95':>11}"
          f"{'queries':>9}{'continuity p50 90d / 5000':>28}")
    for r in results:
        small, large, cont = r["board_10k"], r["board_1M"], r["continuity"]
        print(f"{r['backend']:<11}{small['p50_ms']:>9.2f}/{small['p95_ms']:<8.2f} ms{large['p50_ms']:>8.2f}/"
              f"{large['p95_ms']:<7.2f} ms{r['board_p95_ratio']:>10.2f}{large['statements']:>9}"
              f"{cont['days_90']['p50_ms']:>13.2f} / {cont['days_3650']['p50_ms']:.2f} ms")
    print(f"targets: ratio ≤ {BOARD_RATIO_TARGET}; continuity for 5,000 contacts < {CONTINUITY_TARGET_MS:g} ms median")


def main(backends: tuple[str, ...], requests: int = 200) -> int:
    """Run the board suite on each backend, print the table, write bench/results/board-*.json."""
    print(f"board suite, in-process (Flask test client, one client, bearer token of a team leader): "
          f"{requests} board requests per stage, 30-patient ward, {SMALL} then {LARGE} contacts", flush=True)
    results, skipped = [], {}
    for backend in backends:
        try:
            results.append(bench_backend(backend, requests))
        except Unavailable as reason:
            print(f"[{backend}] skipped: {reason}", flush=True)
            skipped[backend] = str(reason)
    print_table(results)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"board-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    settings = {"requests": requests, "small": SMALL, "large": LARGE, "heavy": HEAVY, "mode": "in-process"}
    path.write_text(json.dumps({"settings": settings, "results": results, "skipped": skipped}, indent=2))
    print(f"results written to {path}")
    met = all(r["board_p95_ratio"] <= BOARD_RATIO_TARGET for r in results)
    return 0 if met else 1
