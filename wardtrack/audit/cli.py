"""`flask audit …`: verify the chain against its signed checkpoints, write a checkpoint, make a
signing key, grant the app's PostgreSQL role its privileges."""

import click
from flask import current_app
from flask.cli import AppGroup

from wardtrack.audit import checkpoints, roles
from wardtrack.audit.verification import verify as verify_chain
from wardtrack.config import ConfigError
from wardtrack.extensions import db

audit_cli = AppGroup("audit", help="Check the audit trail.")


@audit_cli.command("verify")
@click.option(
    "--checkpoints",
    "paths",
    type=click.Path(dir_okay=False),
    multiple=True,
    help=(
        "A checkpoint file, or a copy of the system log's checkpoint lines; may be given again "
        "(one file per host a scheduler ran on). Default WARDTRACK_AUDIT_CHECKPOINT_FILE."
    ),
)
def verify(paths):
    """Check the hash chain and compare it with the signed checkpoints: exit status 1 and what was
    found (a broken link, truncation, rollback, rewrite, a forged checkpoint) when it does not
    hold."""
    app = current_app._get_current_object()
    try:
        key = checkpoints.verifying_key(app)
    except ConfigError as error:
        key = None
        click.echo(f"warning: {error}", err=True)
    report = verify_chain(paths or [checkpoints.checkpoint_file(app)], key)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    if report.problems:
        for problem in report.problems:
            click.echo(problem, err=True)
        raise SystemExit(1)
    click.echo(f"audit chain intact: {report.count} events")


@audit_cli.command("checkpoint")
def checkpoint():
    """Sign a checkpoint of the chain now; append it to the checkpoint file and the system log."""
    written = checkpoints.write_checkpoint(force=True)
    click.echo(written.line())


@audit_cli.command("new-signing-key")
def new_signing_key():
    """Print a new Ed25519 private key for WARDTRACK_AUDIT_SIGNING_KEY (keep it off the database
    host's disk backups) and its public key."""
    text = checkpoints.generate_key_text()
    public = checkpoints.parse_key(text).public_key()
    click.echo(text)
    click.echo(
        f"public key {checkpoints.public_key_text(public)} (key id {checkpoints.key_id(public)})",
        err=True,
    )


@audit_cli.command("grant-app-role")
@click.argument("role")
@click.option("--dry-run", is_flag=True, help="Print the statements without running them.")
def grant_app_role(role, dry_run):
    """Give ROLE, the PostgreSQL role the app and the scheduler connect as, exactly their
    privileges: INSERT and SELECT on the audit tables, no more. Run as the owner role, after
    `flask db upgrade`."""
    with db.engine.begin() as connection:
        try:
            statements = (roles.statements if dry_run else roles.grant_app_role)(connection, role)
        except roles.RoleError as error:
            raise click.ClickException(str(error)) from None
    click.echo(";\n".join(statements) + ";")
