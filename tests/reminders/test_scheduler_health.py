"""The scheduler's health where every host can read it: each job's last run in job_runs, and /readyz that says
"degraded" (still 200) when no job has succeeded for three of its intervals, or none has run yet."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.notifications import jobs, scheduler
from wardtrack.notifications.models import JobRun


def run_of(name: str) -> dict:
    """The job's row as the job committed it, read in a transaction that ends at once (the next run writes)."""
    db.session.rollback()
    run = db.session.get(JobRun, name)
    found = {column: getattr(run, column) for column in ("last_run_at", "last_success_at", "last_duration_ms",
                                                          "failures_in_a_row")}
    db.session.rollback()
    return found


def test_a_job_notes_its_runs_and_its_failures_in_a_row(app, monkeypatch):
    jobs.run(app, "flags_sweep")
    first = run_of("flags_sweep")
    assert first["last_success_at"] is not None and first["failures_in_a_row"] == 0
    assert first["last_duration_ms"] >= 0

    def broken():
        raise RuntimeError("broken")

    monkeypatch.setitem(jobs.JOBS, "flags_sweep", broken)
    for _ in range(2):
        with pytest.raises(RuntimeError):
            jobs.run(app, "flags_sweep")
    failed = run_of("flags_sweep")
    assert failed["failures_in_a_row"] == 2
    assert failed["last_success_at"] == first["last_success_at"] and failed["last_run_at"] > first["last_run_at"]
    monkeypatch.undo()
    jobs.run(app, "flags_sweep")
    assert run_of("flags_sweep")["failures_in_a_row"] == 0


def _readyz(client) -> tuple[int, dict]:
    response = client.get("/readyz")
    return response.status_code, response.get_json()


def test_readyz_says_degraded_before_any_job_ran_and_when_one_is_stale(app, client):
    status, body = _readyz(client)
    assert (status, body["status"], body["checks"]["scheduler"]) == (200, "degraded", "not started")
    for name in scheduler.INTERVALS:
        jobs.run(app, name)
    status, body = _readyz(client)
    assert (status, body["status"], body["checks"]["scheduler"]) == (200, "ok", "ok")
    # the delivery job's last success is older than three of its intervals
    seconds = int(app.config["SCHEDULER_DELIVERY_SECONDS"])
    db.session.execute(sa.update(JobRun).where(JobRun.job == "deliver").values(
        last_success_at=utcnow() - timedelta(seconds=3 * seconds + 5)))
    db.session.commit()
    status, body = _readyz(client)
    assert (status, body["status"], body["checks"]["scheduler"]) == (200, "degraded", "stale: deliver")
