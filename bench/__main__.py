"""`python -m bench` (`make bench`): POST /api/v1/contacts against a bare-SQL baseline, on SQLite and PostgreSQL.

`--suite board` runs bench/continuity.py instead (ward board and continuity endpoint latency at 10k and 1M
contacts); `--suite all`, the default, runs both.

For each backend: a throwaway database is migrated with `flask db upgrade` and seeded through the app;
two gunicorn servers (deploy/gunicorn.conf.py, the same worker settings) serve the real app and the bare
WSGI baseline (bench/baseline.py) on free ports of 127.0.0.1; then rounds of baseline-then-real runs
with the same load generator and settings. Medians are printed as a table, and everything is written to
bench/results/. Servers, databases and temporary files are removed at the end, on failure or on Ctrl-C.

`--floor` adds a third server to each round, bench/floor.py: Flask and Flask-SQLAlchemy writing the same
row with nothing else, so that the table shows how much of the gap to the baseline the framework takes
before the endpoint's own work (validation, authentication, access, audit, flag queue, reminders).
`--ablate` adds three more, bench/ablation.py: the real app without the contact's audit event, without what
other packages do when a patient changes (flag queue, reminder closing), and without either.
"""

import argparse
import contextlib
import http.client
import json
import signal
import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import continuity, loadgen, report
from bench.backends import (
    DatabaseCpu,
    Unavailable,
    baseline_env,
    migrate_and_seed,
    postgresql_database,
    sqlite_database,
)
from bench.servers import Gunicorn, ServerError, machine_cpu

PATH = "/api/v1/contacts"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="all")
    parser.add_argument("--suite", choices=("contacts", "board", "all"), default="all",
                        help="contacts: POST /contacts vs baseline; board: ward board and continuity (default all)")
    parser.add_argument("--board-requests", type=int, default=200, help="timed board requests per stage (default 200)")
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per run (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unrecorded seconds before each run (default 2)")
    parser.add_argument("--concurrency", type=int, default=8, help="connections in flight (default 8)")
    parser.add_argument("--rounds", type=int, default=3, help="baseline+real pairs per backend (default 3)")
    parser.add_argument("--max-requests", type=int, default=100_000, help="request budget per run (default 100000)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server (default 2)")
    parser.add_argument("--floor", action="store_true",
                        help="also measure the framework floor (bench/floor.py) in every round")
    parser.add_argument("--ablate", action="store_true",
                        help="also measure the real app without its audit event, its side effects, and both "
                             "(bench/ablation.py) in every round")
    args = parser.parse_args(argv)
    if min(args.duration, args.concurrency, args.rounds, args.max_requests, args.workers) <= 0 or args.warmup < 0:
        parser.error("durations, counts and workers must be positive")
    return args


def _body(seeded) -> dict:
    occurred = (datetime.now(UTC) - timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    return {"patient_id": seeded.patient_id, "professional_id": seeded.professional_id, "ward_id": seeded.ward_id,
            "kind": "conversation", "occurred_at": occurred, "duration_minutes": 15}


def _post(server: Gunicorn, headers: dict, body: dict, client_id: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        payload = json.dumps({**body, "client_id": client_id})
        connection.request("POST", PATH, payload, {**headers, "Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


def _smoke(servers: dict, headers: dict, body: dict) -> None:
    """Checks before measuring; a failure stops this backend with the response shown.

    The baseline's row is resent to the real endpoint, which must answer 200 (stored contact unchanged):
    proof that the baseline writes the same row, column values and encodings included. Every other target
    must likewise find it (200) and store a new one (201).
    """
    shared = str(uuid.uuid4())
    checks = [(servers["baseline"], shared, 201)]
    for name, server in servers.items():
        if name != "baseline":
            checks += [(server, shared, 200), (server, str(uuid.uuid4()), 201)]
    for server, client_id, expected in checks:
        status, text = _post(server, headers, body, client_id)
        if status != expected:
            raise ServerError(f"{server.name}: POST {PATH} answered {status}, not {expected}: {text[:500]}\n"
                              f"{server.log_tail()}")


def _db_delta(before: dict | None, after: dict | None) -> float | None:
    if before is None or after is None:
        return None
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def _measure(backend, target, round_no, server, db_cpu, headers, body, args) -> dict:
    cpu0, db0, (busy0, total0) = server.cpu_seconds(), db_cpu.cpu_seconds(), machine_cpu()
    result = loadgen.run(server.port, PATH, headers, body, concurrency=args.concurrency, warmup=args.warmup,
                         duration=args.duration, max_requests=args.max_requests)
    busy1, total1 = machine_cpu()
    busy = (busy1 - busy0) / (total1 - total0) if total1 > total0 else 0.0
    record = report.run_record(backend, target, round_no, result, server.cpu_seconds() - cpu0,
                               _db_delta(db0, db_cpu.cpu_seconds()), busy)
    db = "" if record["db_cores"] is None else f", postgres {record['db_cores']:.2f}"
    print(f"  [{backend}] round {round_no} {target:<10} {record['requests']:>7} req  {record['rps']:>8.1f} req/s  "
          f"p50 {record['p50_ms']:.2f} ms  p99 {record['p99_ms']:.2f} ms  errors {record['errors']}  "
          f"(server cpu {record['server_cpu_ms_per_request']:.2f} ms/req; cores: load {record['loadgen_cores']:.2f}, "
          f"gunicorn {record['server_cores']:.2f}{db}, other {record['other_cores']:.2f})", flush=True)
    return record


def bench_backend(backend: str, args) -> list[dict]:
    """Set up, measure and tear down one backend; returns its runs."""
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"wardtrack-bench-{backend}-")))
        url = sqlite_database(workdir) if backend == "sqlite" else postgresql_database(stack)
        print(f"[{backend}] migrating and seeding a throwaway database ...", flush=True)
        seeded = migrate_and_seed(url)
        db_cpu = DatabaseCpu(url)
        stack.callback(db_cpu.close)  # before the database is dropped
        servers = {"baseline": Gunicorn("baseline", "bench.baseline:app", baseline_env(seeded), args.workers, workdir)}
        if args.floor:
            servers["floor"] = Gunicorn("floor", "bench.floor:app", {**seeded.app_env, **baseline_env(seeded)},
                                        args.workers, workdir)
        if args.ablate:
            for name, without in report.ABLATIONS.items():
                servers[name] = Gunicorn(name, "bench.ablation:create()", {**seeded.app_env, "BENCH_WITHOUT": without},
                                         args.workers, workdir)
        servers["real"] = Gunicorn("real", "app:app", seeded.app_env, args.workers, workdir)
        for server in servers.values():
            stack.callback(server.stop)
            server.start()
        print(f"[{backend}] " + ", ".join(f"{name} on :{server.port}" for name, server in servers.items()), flush=True)
        # The same bytes go to every target; only the real app reads the token.
        headers, body = {"Authorization": f"Bearer {seeded.token}"}, _body(seeded)
        _smoke(servers, headers, body)
        return [_measure(backend, target, round_no, servers[target], db_cpu, headers, body, args)
                for round_no in range(1, args.rounds + 1) for target in servers]


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt  # unwinds every ExitStack, as Ctrl-C does


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    backends = ("sqlite", "postgresql") if args.backend == "all" else (args.backend,)
    status = bench_contacts(args, backends) if args.suite in ("contacts", "all") else 0
    if args.suite in ("board", "all") and status != 130:
        try:
            status = max(status, continuity.main(backends, args.board_requests))
        except KeyboardInterrupt:
            print("\ninterrupted; databases and temporary files were removed", file=sys.stderr)
            return 130
    return status


def bench_contacts(args, backends) -> int:
    """The contact endpoint against the baseline on each backend."""
    print(f"POST {PATH}: gunicorn -c deploy/gunicorn.conf.py, {args.workers} sync workers per server; "
          f"{args.concurrency} connections (one process each, a new connection per request), "
          f"{args.warmup:g} s warm-up + {args.duration:g} s per run (at most {args.max_requests} requests), "
          f"{args.rounds} rounds of baseline{' then floor' if args.floor else ''}"
          f"{' then ' + ', '.join(report.ABLATIONS) if args.ablate else ''} then real", flush=True)
    runs, summaries, skipped, failed = [], [], {}, False
    try:
        for backend in backends:
            try:
                mine = bench_backend(backend, args)
            except Unavailable as reason:
                print(f"[{backend}] skipped: {reason}", flush=True)
                skipped[backend] = str(reason)
                continue
            except (ServerError, RuntimeError) as error:
                print(f"[{backend}] failed: {error}", file=sys.stderr, flush=True)
                skipped[backend], failed = f"failed: {str(error).splitlines()[0]}", True
                continue
            runs += mine
            summaries.append(report.summarise(backend, mine))
    except KeyboardInterrupt:
        print("\ninterrupted; servers, databases and temporary files were removed", file=sys.stderr)
        return 130
    report.print_table(summaries, skipped)
    settings = vars(args) | {"path": PATH, "gunicorn_conf": "deploy/gunicorn.conf.py"}
    print(f"\nresults written to {report.write_json(settings, runs, summaries, skipped)}")
    return 1 if failed or any(run["errors"] for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
