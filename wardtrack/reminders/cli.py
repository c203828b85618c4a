"""`flask reminders …`."""

import click
from flask.cli import AppGroup

from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.reminders.review import sweep_reviews
from wardtrack.reminders.sweep import active_plan_count, sweep_reminders

reminders_cli = AppGroup("reminders", help="Maintenance reminders.")


@reminders_cli.command("sweep")
def sweep_command():
    """Create the reminders of every active plan and crisis plan that has come due (one commit); the
    scheduler's reminder sweep does the same and also queues their e-mail and push deliveries."""
    now = utcnow()
    with click.progressbar(
        length=active_plan_count(now), label="Checking maintenance plans"
    ) as bar:
        counts = sweep_reminders(now, bar.update)
    reviews = sweep_reviews(now)
    db.session.commit()
    click.echo(
        f"{counts['plans']} active plans, {counts['due']} due: {counts['created']} reminders "
        f"created, {counts['closed']} closed, {counts['woken']} snoozed ones reopened; {reviews} "
        "crisis-plan review reminders created."
    )
