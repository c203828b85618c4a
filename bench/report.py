"""Turning runs into rows, medians, the printed table and the JSON file."""

import json
import os
import platform
import statistics
from datetime import UTC, datetime
from pathlib import Path

TARGET_RATIO = 0.40
#: The real app with parts switched off (bench/ablation.py, `--ablate`): target name → BENCH_WITHOUT.
ABLATIONS = {"no-audit": "audit", "no-effects": "effects", "no-either": "audit,effects"}
#: What each target measured beside the real app is, in the table.
REFERENCES = {
    "floor": "the framework alone: no validation, auth, audit, flags",
    "no-audit": "the real app without the contact's audit event",
    "no-effects": "the real app without queueing flags and closing reminders",
    "no-either": "the real app without the audit event, flags and reminders",
}
RESULTS = Path(__file__).resolve().parent / "results"


def run_record(backend: str, target: str, round_no: int, result, server_cpu_s: float, db_cpu_s: float | None,
               machine_busy: float) -> dict:
    """One run as plain data; CPU figures are in cores (CPU seconds per wall second) over the whole run.

    "other_cores" is what the rest of the machine used meanwhile (other processes, the kernel's share not
    charged to ours): on a shared 2-core machine it tells how much CPU the benchmark did not get.
    """
    wall = max(result.elapsed_s, 1e-9)
    cores = {"loadgen_cores": result.client_cpu_s / wall, "server_cores": server_cpu_s / wall,
             "db_cores": None if db_cpu_s is None else db_cpu_s / wall}
    other = machine_busy * (os.cpu_count() or 1) - sum(v or 0.0 for v in cores.values())
    # Server-side CPU per request (gunicorn, plus PostgreSQL's backends where seen) depends far less on
    # what else the machine runs than req/s does.
    server_ms = (server_cpu_s + (db_cpu_s or 0.0)) * 1000.0 / max(result.sent, 1)
    return {
        "backend": backend, "target": target, "round": round_no, "requests": result.requests,
        "errors": result.errors, "statuses": dict(sorted((str(k), v) for k, v in result.statuses.items())),
        "window_s": round(result.window_s, 3), "rps": round(result.rate, 1),
        "p50_ms": round(result.percentile(0.50), 2), "p99_ms": round(result.percentile(0.99), 2),
        **{k: None if v is None else round(v, 2) for k, v in cores.items()},
        "other_cores": round(max(other, 0.0), 2), "machine_busy": round(machine_busy, 3),
        "server_cpu_ms_per_request": round(server_ms, 3),
    }


def _median(runs: list[dict], key: str) -> float | None:
    values = [run[key] for run in runs if run[key] is not None]
    return round(statistics.median(values), 2) if values else None


def _ratios(runs: list[dict], target: str) -> list[float]:
    """target/baseline req/s of each round."""
    rounds: dict = {}
    for run in runs:
        rounds.setdefault(run["round"], {})[run["target"]] = run["rps"]
    return [r[target] / r["baseline"] for r in rounds.values() if r.get("baseline") and target in r]


def summarise(backend: str, runs: list[dict]) -> dict:
    """Medians per target, and each target's ratio to the baseline as the median of its rounds' ratios."""
    out = {"backend": backend, "targets": {}}
    for target in dict.fromkeys(run["target"] for run in runs):  # in the order they ran
        mine = [run for run in runs if run["target"] == target]
        statuses: dict = {}
        for run in mine:
            for status, n in run["statuses"].items():
                statuses[status] = statuses.get(status, 0) + n
        out["targets"][target] = {
            "runs": len(mine), "requests": sum(r["requests"] for r in mine), "errors": sum(r["errors"] for r in mine),
            "statuses": statuses, **{k: _median(mine, k) for k in
                                     ("rps", "p50_ms", "p99_ms", "loadgen_cores", "server_cores", "db_cores",
                                      "other_cores", "machine_busy", "server_cpu_ms_per_request")},
        }
    ratios = _ratios(runs, "real")
    out["pair_ratios"] = [round(r, 3) for r in ratios]
    out["ratio"] = round(statistics.median(ratios), 3) if ratios else None
    out["reference_ratios"] = {name: round(statistics.median(ratios), 3) for name in out["targets"]
                               if name in REFERENCES and (ratios := _ratios(runs, name))}
    costs = [out["targets"][t]["server_cpu_ms_per_request"] for t in ("baseline", "real")]
    # What the ratio would be if both were bound by server CPU alone (no lock waits, no idle cores).
    out["cpu_cost_ratio"] = round(costs[0] / costs[1], 3) if all(costs) else None
    return out


def _errors_text(target: dict, expect: str) -> str:
    odd = {s: n for s, n in target["statuses"].items() if s != expect}
    if not odd:
        return str(target["errors"])
    return f"{target['errors']} ({', '.join(f'{s}×{n}' for s, n in sorted(odd.items()))})"


def print_table(summaries: list[dict], skipped: dict) -> None:
    """The table of medians per backend and target, the ratio, and where the CPU went."""
    header = f"{'backend':<11} {'target':<10} {'runs':>4} {'requests':>9} {'errors':>14} {'req/s':>8} " \
             f"{'p50 ms':>8} {'p99 ms':>8}  ratio"
    print("\n" + header + "\n" + "-" * len(header))
    for summary in summaries:
        for name, target in summary["targets"].items():
            ratio = ""
            if name == "real" and summary["ratio"] is not None:
                verdict = "meets" if summary["ratio"] >= TARGET_RATIO else "BELOW"
                spread = summary["pair_ratios"]
                ratio = (f"{summary['ratio']:.1%} ({verdict} the {TARGET_RATIO:.0%} target; "
                         f"rounds {min(spread):.1%}–{max(spread):.1%})")
            elif name in summary["reference_ratios"]:
                ratio = f"{summary['reference_ratios'][name]:.1%} ({REFERENCES[name]})"
            print(f"{summary['backend']:<11} {name:<10} {target['runs']:>4} {target['requests']:>9} "
                  f"{_errors_text(target, '201'):>14} {target['rps']:>8.1f} {target['p50_ms']:>8.2f} "
                  f"{target['p99_ms']:>8.2f}  {ratio}")
    for backend, reason in skipped.items():
        print(f"{backend:<11} skipped: {reason}")
    print("\nratio = median over rounds of target/baseline req/s, each round's runs back to back;"
          " req/s, p50 and p99 are medians over runs; errors = non-2xx responses and failed connections"
          " (any status other than 201 is listed).")
    for summary in summaries:
        if summary["cpu_cost_ratio"] is not None:
            print(f"{summary['backend']}: server CPU per request, baseline/real = {summary['cpu_cost_ratio']:.1%}"
                  " (the ratio if both were bound by CPU alone)")
        for name, target in summary["targets"].items():
            db = "" if target["db_cores"] is None else f"postgres backends {target['db_cores']:.2f}, "
            print(f"cpu {summary['backend']}/{name}: {target['server_cpu_ms_per_request']:.2f} ms server CPU "
                  f"per request; cores used: load generator {target['loadgen_cores']:.2f}, "
                  f"gunicorn {target['server_cores']:.2f}, {db}everything else {target['other_cores']:.2f} "
                  f"(machine {target['machine_busy']:.0%} busy)")


def write_json(settings: dict, runs: list[dict], summaries: list[dict], skipped: dict) -> Path:
    """Write everything to bench/results/bench-<UTC time>.json and return the path."""
    RESULTS.mkdir(exist_ok=True)
    now = datetime.now(UTC)
    path = RESULTS / f"bench-{now.strftime('%Y%m%dT%H%M%SZ')}.json"
    payload = {"at": now.isoformat(), "settings": settings, "machine": _machine(), "summaries": summaries,
               "skipped": skipped, "runs": runs}
    path.write_text(json.dumps(payload, indent=2) + "\n")
    return path


def _machine() -> dict:
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "loadavg": load}
