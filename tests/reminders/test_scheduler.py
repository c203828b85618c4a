"""The scheduler: jobs defined in code with coalescing and misfire grace, in-process only under the
development server, job errors logged (ids only) and raised."""

import logging

import pytest

from tests.conftest import TEST_KEYS
from wardtrack import create_app
from wardtrack.notifications import jobs, scheduler


def test_every_job_is_scheduled_with_coalescing_and_a_grace_period(app):
    app.config.update(SCHEDULER_SWEEP_SECONDS=900, SCHEDULER_DELIVERY_SECONDS=60)
    built = scheduler.build(app, blocking=False)
    built.start(paused=True)  # defaults apply when jobs reach the job store; paused, nothing runs
    found = {job.id: job for job in built.get_jobs()}
    built.shutdown(wait=False)
    assert set(found) == {"reminder_sweep", "flags_sweep", "deliver", "digest", "check_in_offers", "audit_checkpoint"}
    for job in found.values():
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time == job.trigger.interval.total_seconds()
        assert job.next_run_time is not None  # each runs once at launch: that catches up after downtime
    assert found["reminder_sweep"].trigger.interval.total_seconds() == 900
    assert found["deliver"].trigger.interval.total_seconds() == 60


def test_a_failing_job_is_logged_by_name_and_raised(app, monkeypatch, caplog):
    def broken():
        raise RuntimeError("Patient A")

    monkeypatch.setitem(jobs.JOBS, "deliver", broken)
    with caplog.at_level(logging.INFO, logger="wardtrack"), pytest.raises(RuntimeError):
        jobs.run(app, "deliver")
    logged = [r.getMessage() for r in caplog.records if r.name == "wardtrack.notifications.jobs"]
    assert logged == ["job deliver failed"]


def test_a_job_logs_counts_only(app, caplog):
    with caplog.at_level(logging.INFO, logger="wardtrack"):
        jobs.run(app, "reminder_sweep")
    assert [r.getMessage() for r in caplog.records if r.name == "wardtrack.notifications.jobs"] == [
        "job reminder_sweep done: nothing to do"]


@pytest.fixture
def inprocess_app(app):
    """An app like `make run` makes: WARDTRACK_SCHEDULER=inprocess, not testing, on the suite's database."""
    other = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "s",
                        "CRYPTO_KEYS": TEST_KEYS, "CRYPTO_KEYS_FILE": None, "SCHEDULER": "inprocess",
                        "SCHEDULER_SWEEP_SECONDS": 3600, "SCHEDULER_DELIVERY_SECONDS": 3600,
                        "SCHEDULER_FLAGS_SECONDS": 3600, "SCHEDULER_DIGEST_SECONDS": 3600})
    yield other
    running = other.extensions.get("wardtrack_scheduler")
    if running:
        running[0].shutdown(wait=True)
        running[1].close()


def test_a_web_worker_never_starts_the_scheduler(inprocess_app, caplog):
    client = inprocess_app.test_client()
    with caplog.at_level(logging.ERROR, logger="wardtrack"):
        client.get("/healthz", environ_base={"SERVER_SOFTWARE": "gunicorn/23.0.0"})
        client.get("/healthz", environ_base={"SERVER_SOFTWARE": "Werkzeug/3.1"})  # only the first request decides
    assert "wardtrack_scheduler" not in inprocess_app.extensions
    assert any("development server only" in r.getMessage() for r in caplog.records)


def test_the_development_server_starts_one_in_process_scheduler(inprocess_app):
    client = inprocess_app.test_client()
    for _ in range(3):
        client.get("/healthz", environ_base={"SERVER_SOFTWARE": "Werkzeug/3.1"})
    running, _lock = inprocess_app.extensions["wardtrack_scheduler"]
    assert running.running and {job.id for job in running.get_jobs()} >= {"reminder_sweep", "deliver"}


def test_tests_and_the_default_never_start_one(app, client):
    assert app.config["SCHEDULER"] == "off"
    client.get("/healthz", environ_base={"SERVER_SOFTWARE": "Werkzeug/3.1"})
    assert "wardtrack_scheduler" not in app.extensions
