"""`flask audit verify`."""

import click
from flask.cli import AppGroup

from wardtrack.audit.queries import first_broken_link, head_hash

audit_cli = AppGroup("audit", help="Check the audit trail.")


@audit_cli.command("verify")
def verify():
    """Check the hash chain; exit status 1 and the first broken event when it is broken."""
    broken, checked, last_hash = first_broken_link()
    if broken is not None:
        click.echo(f"audit chain broken at event {broken.id} ({broken.action} at {broken.at:%Y-%m-%d %H:%M:%S}Z)"
                   f" after {checked - 1} intact events", err=True)
        raise SystemExit(1)
    if head_hash() != last_hash:
        click.echo(f"audit chain cut short: it ends after {checked} intact events, but its head names a later "
                   "event; the newest events were removed", err=True)
        raise SystemExit(1)
    click.echo(f"audit chain intact: {checked} events")
