"""`flask scheduler …`: the one process that runs the jobs."""

import logging
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from wardtrack.extensions import db
from wardtrack.notifications import jobs, scheduler

scheduler_cli = AppGroup(
    "scheduler", help="The job scheduler (one active copy; more wait as standbys)."
)


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
    """Run the scheduled jobs until stopped: reminder sweep, flags sweep, delivery, daily digest,
    offers to check in.

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
    click.echo(
        ", ".join(f"{key}: {value}" for key, value in sorted(counts.items())) or "nothing to do"
    )
