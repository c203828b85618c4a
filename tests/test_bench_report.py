"""The benchmark's report: each target's ratio to the baseline, and the table that states the verdict."""

from bench import report


def _run(target: str, round_no: int, rps: float) -> dict:
    return {"backend": "sqlite", "target": target, "round": round_no, "requests": int(rps * 10), "errors": 0,
            "statuses": {"201": int(rps * 10)}, "rps": rps, "p50_ms": 1.0, "p99_ms": 2.0, "loadgen_cores": 0.2,
            "server_cores": 1.0, "db_cores": None, "other_cores": 0.0, "machine_busy": 0.8,
            "server_cpu_ms_per_request": 1000.0 / rps}


def test_ratios_are_medians_of_each_rounds_ratio_for_the_real_app_and_the_floor(capsys):
    runs = [_run(target, round_no, rps) for round_no, rates in enumerate(
        [(1000, 500, 300), (2000, 900, 900), (1000, 450, 420)], start=1)
        for target, rps in zip(("baseline", "floor", "real"), rates, strict=True)]

    summary = report.summarise("sqlite", runs)

    assert list(summary["targets"]) == ["baseline", "floor", "real"]
    assert summary["pair_ratios"] == [0.3, 0.45, 0.42]
    assert summary["ratio"] == 0.42
    assert summary["reference_ratios"] == {"floor": 0.45}
    report.print_table([summary], {})
    table = capsys.readouterr().out
    assert "42.0% (meets the 40% target; rounds 30.0%–45.0%)" in table
    assert "45.0% (the framework alone" in table


def test_without_the_floor_the_table_has_the_baseline_and_the_real_app_only(capsys):
    runs = [_run("baseline", 1, 1000), _run("real", 1, 350)]

    summary = report.summarise("sqlite", runs)

    assert list(summary["targets"]) == ["baseline", "real"]
    assert summary["reference_ratios"] == {}
    report.print_table([summary], {})
    assert "35.0% (BELOW the 40% target" in capsys.readouterr().out


def test_each_ablated_app_has_its_ratio_and_says_what_it_leaves_out(capsys):
    rates = {"baseline": 1000, "no-audit": 380, "no-effects": 370, "no-either": 410, "real": 330}
    runs = [_run(target, 1, rps) for target, rps in rates.items()]

    summary = report.summarise("sqlite", runs)

    assert summary["reference_ratios"] == {"no-audit": 0.38, "no-effects": 0.37, "no-either": 0.41}
    assert summary["ratio"] == 0.33
    report.print_table([summary], {})
    table = capsys.readouterr().out
    assert "38.0% (the real app without the contact's audit event)" in table
    assert "41.0% (the real app without the audit event, flags and reminders)" in table
    assert "33.0% (BELOW the 40% target" in table
