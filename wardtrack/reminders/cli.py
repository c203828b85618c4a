"""`flask reminders …` and `flask scheduler …`."""

import logging
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.reminders import jobs, scheduler
from wardtrack.reminders.review import sweep_reviews
from wardtrack.reminders.sweep import active_plan_count, sweep_reminders

reminders_cli = AppGroup("reminders", help="Maintenance reminders.")
scheduler_cli = AppGroup("scheduler", help="The job scheduler (one active copy; more wait as standbys).")


@reminders_cli.command("sweep")
def sweep_command():
    """Create the reminders of every active plan and crisis plan that has come due (one commit); the
    scheduler's reminder sweep does the same and also queues their e-mail and push deliveries."""
    now = utcnow()
    with click.progressbar(length=active_plan_count(now), label="Checking maintenance plans") as bar:
        counts = sweep_reminders(now, bar.update)
    reviews = sweep_reviews(now)
    db.session.commit()
    click.echo(f"{counts['plans']} active plans, {counts['due']} due: {counts['created']} reminders created, "
               f"{counts['closed']} closed, {counts['woken']} snoozed ones reopened; "
               f"{reviews} crisis-plan review reminders created.")


def _log_to_stderr() -> None:
    """Job logs (ids and counts only) to standard error, where systemd's journal picks them up."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("wardtrack").setLevel(logging.INFO)
    # APScheduler's own INFO lines ("Running job …") repeat every run; its warnings and errors stay.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


@scheduler_cli.command("run")
def run_command():
    """Run the scheduled jobs until stopped: reminder sweep, flags sweep, delivery, daily digest.

    On PostgreSQL it first waits for the scheduler lock, so a second copy is a hot standby."""
    _log_to_stderr()
    db.session.remove()  # the jobs open sessions of their own, in their own app contexts
    sys.exit(scheduler.run_forever(current_app._get_current_object()))


@scheduler_cli.command("run-job")
@click.argument("name", type=click.Choice(sorted(jobs.JOBS)))
def run_job_command(name):
    """Run one job once, now, and print its counts."""
    _log_to_stderr()
    counts = jobs.run(current_app._get_current_object(), name)
    click.echo(", ".join(f"{key}: {value}" for key, value in sorted(counts.items())) or "nothing to do")
