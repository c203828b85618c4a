"""`flask db backup PATH`: an online copy of the SQLite database; on PostgreSQL, the pg_dump and
pg_restore commands to use instead. Either way it says where the keys are: they are not in the
database, and must be backed up apart from it.

The command joins Flask-Migrate's `db` group (register()), beside `flask db upgrade`.
"""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from wardtrack.backup.operations import (
    BackupError,
    backup_sqlite,
    libpq_url,
    outside_the_database,
    sqlite_database,
)
from wardtrack.extensions import db

DOC = "docs/deploy.md, section \"Backups and restore\""


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Copy the SQLite database to PATH (a new file) while the app runs. On PostgreSQL, print the
    pg_dump command to use instead. Keys are not in the backup: the command says where they are."""
    app = current_app._get_current_object()
    url = db.engine.url
    if db.engine.dialect.name != "sqlite":
        click.echo(_keys_note(app), err=True)
        raise click.ClickException(
            f"this database is {db.engine.dialect.name}: `flask db backup` copies SQLite only. "
            f"Back up PostgreSQL with its own tools ({DOC}):\n"
            f"  pg_dump -Fc --file={path} '{libpq_url(url)}'\n"
            f"and restore into a new, empty database:\n"
            f"  pg_restore --no-owner --role=OWNER_ROLE --exit-on-error --dbname='postgresql://…/NEW' {path}"
        )
    try:
        size = backup_sqlite(sqlite_database(url), path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backup written: {path} ({size} bytes, integrity ok)")
    click.echo(_keys_note(app))


def _keys_note(app: Flask) -> str:
    lines = ["The backup holds the data only. These are not in the database: back them up apart "
             "from it, and keep them away from the data's backups:"]
    lines += [f"  {secret.what}: {secret.where}" for secret in outside_the_database(app)]
    lines.append(f"Without the crypto keys the crisis plans and sealed texts cannot be read ({DOC}).")
    return "\n".join(lines)


def register(app: Flask) -> None:
    """Add `backup` to Flask-Migrate's `db` group (migrate.init_app has put it on app.cli)."""
    group = app.cli.commands.get("db")
    if group is None:
        raise RuntimeError("Flask-Migrate's `db` group is missing: call migrate.init_app first")
    group.add_command(backup_command)
