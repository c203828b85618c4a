"""APScheduler 3 running the jobs of wardtrack.notifications.jobs, in exactly one process.

Production runs `flask scheduler run` as its own service (deploy/wardtrack-scheduler.service); web
workers never schedule. `make run` sets WARDTRACK_SCHEDULER=inprocess, which starts a background
scheduler in the development server's serving process on its first request (under the reloader that
is the child only, so one copy runs). On PostgreSQL the scheduler first takes a session-level
advisory lock on a connection of its own: a second copy waits for it as a hot standby and takes over
when the first one dies (the server drops the lock with the dead process's connection). SQLite is a
single host's database: no lock there, so run one scheduler per SQLite file.

Jobs live in memory, defined here in code: every job catches up to now when it runs, and each starts
once at launch, so a persistent job store would add a table and pickles but no missed work.
Coalescing folds runs missed while busy into one; a run later than one interval is skipped in favour
of the next.
"""

import logging
import signal
import threading
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
from apscheduler.events import EVENT_JOB_ERROR
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app, request
from sqlalchemy.pool import NullPool

from wardtrack.core.health import register_check
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.notifications import jobs
from wardtrack.notifications.models import JobRun

log = logging.getLogger(__name__)
#: The advisory lock key: "wardtrack-scheduler" as a fixed 63-bit number.
LOCK_KEY = 0x7761726474726B01
INTERVALS = {"reminder_sweep": "SCHEDULER_SWEEP_SECONDS", "flags_sweep": "SCHEDULER_FLAGS_SECONDS",
             "deliver": "SCHEDULER_DELIVERY_SECONDS", "digest": "SCHEDULER_DIGEST_SECONDS",
             # offers to check in keep the reminder sweep's pace (no setting of their own yet)
             "check_in_offers": "SCHEDULER_SWEEP_SECONDS"}


def _on_error(event) -> None:
    log.error("scheduled job %s raised %s", event.job_id, type(event.exception).__name__)


def build(app: Flask, blocking: bool):
    """A scheduler with every job, each due at once and then every configured number of seconds."""
    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(
        timezone=UTC, executors={"default": ThreadPoolExecutor(2)},
        job_defaults={"coalesce": True, "max_instances": 1})
    now = datetime.now(UTC)
    for name, setting in INTERVALS.items():
        seconds = int(app.config[setting])
        scheduler.add_job(jobs.run, "interval", seconds=seconds, args=(app, name), id=name,
                          name=name, next_run_time=now, misfire_grace_time=max(seconds, 5))
    # the audit package registers its own jobs (signed checkpoints of the chain)
    from wardtrack import audit

    for name, (setting, function) in audit.scheduled_jobs(app).items():
        seconds = int(app.config[setting])
        scheduler.add_job(function, "interval", seconds=seconds, args=(app,), id=name, name=name,
                          next_run_time=now, misfire_grace_time=max(seconds, 5))
    scheduler.add_listener(_on_error, EVENT_JOB_ERROR)
    return scheduler


@contextmanager
def leadership(url, wait: bool = True):
    """Hold the scheduler's advisory lock on PostgreSQL for the duration (yields the lock's
    connection, or None on SQLite, or False when `wait` is off and another process holds it)."""
    if sa.engine.make_url(url).get_backend_name() != "postgresql":
        yield None
        return
    # closing really closes
    engine = sa.create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    connection = engine.connect()
    try:
        held = connection.scalar(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY})
        if not held and not wait:
            yield False
            return
        if not held:
            log.info("standby: waiting for lock")
            connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
        log.info("scheduler lock taken: this scheduler is active")
        yield connection
    finally:
        connection.close()
        engine.dispose()


def _watch(connection, scheduler, lost: threading.Event):
    """Stop when the lock's connection is gone: without it another copy may already be active."""
    def check():
        try:
            connection.execute(sa.text("SELECT 1"))
        except sa.exc.DBAPIError:
            log.error("lost the connection holding the scheduler lock; stopping")
            lost.set()
            scheduler.shutdown(wait=False)
    return check


def run_forever(app: Flask) -> int:
    """`flask scheduler run`: wait for the lock (PostgreSQL), then run the jobs until stopped. Exit
    status."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with leadership(url) as connection:
        scheduler = build(app, blocking=True)
        lost = threading.Event()
        if connection is not None:
            scheduler.add_job(_watch(connection, scheduler, lost), "interval", id="lock_watch",
                              name="lock_watch",
                              seconds=int(app.config["SCHEDULER_LOCK_CHECK_SECONDS"]))
        # systemd stops with SIGTERM: stop scheduling, let a running job finish and commit, then
        # exit.
        signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
        log.info("scheduler running: %s",
                 ", ".join(f"{n} every {app.config[s]} s" for n, s in INTERVALS.items()))
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            scheduler.shutdown(wait=True)
        return 1 if lost.is_set() else 0


def start_in_process(app: Flask) -> None:
    """Start a background scheduler in this process (development server only), unless another holds
    the lock."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    stack = ExitStack()
    if stack.enter_context(leadership(url, wait=False)) is False:
        stack.close()
        log.warning("another scheduler holds the lock; the in-process scheduler does not start")
        return
    scheduler = build(app, blocking=False)
    # the stack keeps the lock's connection open
    app.extensions["wardtrack_scheduler"] = (scheduler, stack)
    scheduler.start()
    log.warning(
        "in-process scheduler started (development only; production runs `flask scheduler run`)"
    )


#: A job whose last success is older than this many of its intervals makes the scheduler stale.
STALE_INTERVALS = 3


def scheduler_check() -> str:
    """For /readyz: "ok" while every job has succeeded within STALE_INTERVALS of its interval (on
    whichever host the active scheduler runs: job_runs is in the database), "not started" before
    any job ran, else "stale: <jobs>"."""
    runs = {run.job: run for run in db.session.scalars(sa.select(JobRun))}
    if not runs:
        return "not started"
    now = utcnow()
    stale = [name for name, setting in INTERVALS.items()
             if name not in runs or runs[name].last_success_at is None
             or (now - runs[name].last_success_at).total_seconds()
             > STALE_INTERVALS * int(current_app.config[setting])]
    return f"stale: {', '.join(stale)}" if stale else "ok"


def init_app(app: Flask) -> None:
    """Report a stale scheduler in /readyz. WARDTRACK_SCHEDULER=inprocess: start on the development
    server's first request (the serving process; the reloader's watcher never serves). Any other
    server refuses, loudly: web workers never schedule."""
    register_check(app, "scheduler", scheduler_check, degrades=True)
    if app.config.get("SCHEDULER", "off") != "inprocess" or app.testing:
        return
    started = threading.Lock()
    state = {"done": False}

    @app.before_request
    def _start_scheduler():
        if state["done"]:
            return
        with started:
            if state["done"]:
                return
            state["done"] = True
            if request.environ.get("SERVER_SOFTWARE", "").startswith("Werkzeug"):
                start_in_process(app)
            else:
                log.error("WARDTRACK_SCHEDULER=inprocess is for the development server only; "
                          "run `flask scheduler run` as its own service")

