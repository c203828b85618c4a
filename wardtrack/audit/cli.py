"""`flask audit verify`."""

import click
from flask.cli import AppGroup

from wardtrack.audit.queries import first_broken_link

audit_cli = AppGroup("audit", help="Check the audit trail.")


@audit_cli.command("verify")
def verify():
    """Check the hash chain; exit status 1 and the first broken event when it is broken."""
    broken, checked = first_broken_link()
    if broken is None:
        click.echo(f"audit chain intact: {checked} events")
        return
    click.echo(f"audit chain broken at event {broken.id} ({broken.action} at {broken.at:%Y-%m-%d %H:%M:%S}Z)"
               f" after {checked - 1} intact events", err=True)
    raise SystemExit(1)
