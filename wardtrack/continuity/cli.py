"""`flask flags …`."""

import click
from flask.cli import AppGroup

from wardtrack.continuity import operations
from wardtrack.core.time import utcnow
from wardtrack.extensions import db

flags_cli = AppGroup("flags", help="Continuity flags.")


@flags_cli.command("sweep")
def sweep_command():
    """Recompute the flags of every patient in care or with an unresolved flag (time-based
    conditions)."""
    now = utcnow()
    ids = operations.sweep_candidates(now)
    with click.progressbar(length=len(ids), label="Recomputing flags") as bar:
        counts = operations.sweep(now, ids, bar.update)
    db.session.commit()
    click.echo(
        f"{len(ids)} patients: {counts['opened']} flags opened, {counts['updated']} updated, "
        f"{counts['resolved']} resolved."
    )
