"""The scheduler's jobs. Each runs in an app context, catches up to now (so one run after downtime
covers the gap), and commits once — except delivery, which commits its claim before sending (see
delivery.py). Errors are logged with the job's name and ids only, then raised again so that
APScheduler records them."""

import logging
import time

import sqlalchemy as sa
from flask import Flask, current_app

from wardtrack.continuity import operations as continuity
from wardtrack.core import metrics
from wardtrack.core.db import conflict_insert
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.notifications import delivery
from wardtrack.notifications.digest import write_digests
from wardtrack.notifications.models import JobRun
from wardtrack.notifications.notify import queue_reminders
from wardtrack.notifications.offers import queue_offers
from wardtrack.reminders.review import sweep_reviews
from wardtrack.reminders.sweep import sweep_reminders

log = logging.getLogger(__name__)


def reminder_sweep() -> dict:
    """Create due maintenance and crisis-plan review reminders and queue their deliveries."""
    now = utcnow()
    counts = dict(sweep_reminders(now))
    counts["reviews"] = sweep_reviews(now)
    counts["queued"] = queue_reminders(now)
    db.session.commit()
    return counts


def flags_sweep() -> dict:
    """Recompute continuity flags whose conditions change with time alone."""
    counts = dict(continuity.sweep(utcnow()))
    db.session.commit()
    return counts


def deliver() -> dict:
    """Send pending e-mail and push deliveries: claim (commit), send, record (commit)."""
    now = utcnow()
    cancelled = delivery.cancel_closed()
    prepared = delivery.prepare(delivery.claim(now, current_app.config["DELIVERY_BATCH"]))
    db.session.commit()
    for job in prepared:
        delivery.send(job)
    counts = delivery.record(prepared, utcnow())
    db.session.commit()
    return {"cancelled": cancelled, **counts}


def digest() -> dict:
    """Write each ward's daily digest once its local digest hour has come, and queue its
    deliveries."""
    counts = write_digests(utcnow())
    db.session.commit()
    return counts


def check_in_offers() -> dict:
    """Queue one push to each subscribed patient per occasion on which check-ins are asked of them
    (notifications/offers.py)."""
    counts = queue_offers(utcnow())
    db.session.commit()
    return counts


JOBS = {
    "reminder_sweep": reminder_sweep,
    "flags_sweep": flags_sweep,
    "deliver": deliver,
    "digest": digest,
    "check_in_offers": check_in_offers,
}


def _note_run(name: str, at, seconds: float, succeeded: bool) -> None:
    """Keep the job's last run in job_runs (its own commit), for /readyz on every host; a failure
    here is logged, never raised over the job's own outcome."""
    table = JobRun.__table__
    values = {"job": name, "last_run_at": at, "last_duration_ms": round(seconds * 1000),
              "last_success_at": at if succeeded else None, "failures_in_a_row": 0 if succeeded else 1}
    changes = {"last_run_at": at, "last_duration_ms": values["last_duration_ms"],
               "failures_in_a_row": 0 if succeeded else table.c.failures_in_a_row + 1}
    if succeeded:
        changes["last_success_at"] = at
    try:
        db.session.execute(conflict_insert(db.engine.dialect.name, table).values(**values)
                           .on_conflict_do_update(index_elements=["job"], set_=changes))
        db.session.commit()
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        log.warning("job %s: its run was not noted (%s)", name, type(error).__name__)


def run(app: Flask, name: str) -> dict:
    """Run one job by name in a fresh app context; log its counts (numbers only) or its failure."""
    started, at = time.perf_counter(), utcnow()
    with app.app_context():
        try:
            try:
                counts = JOBS[name]()
            except Exception:
                db.session.rollback()
                log.error("job %s failed", name)
                metrics.JOB_RUNS.labels(name, "failed").inc()
                _note_run(name, at, time.perf_counter() - started, succeeded=False)
                raise
            _note_run(name, at, time.perf_counter() - started, succeeded=True)
        finally:
            db.session.remove()
            metrics.JOB_DURATION.labels(name).observe(time.perf_counter() - started)
    metrics.JOB_RUNS.labels(name, "succeeded").inc()
    metrics.JOB_LAST_SUCCESS.labels(name).set_to_current_time()
    log.info("job %s done: %s", name,
             ", ".join(f"{k}={v}" for k, v in sorted(counts.items()) if v) or "nothing to do")
    return counts
