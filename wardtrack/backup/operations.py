"""An online, consistent copy of a SQLite database, and where the things that are not in the
database live.

The copy uses SQLite's backup API in one step: it reads the whole database in one read transaction,
so it is the database as one commit left it, while the app goes on writing (in WAL mode a reader
does not hold up writers, nor they it). It is written beside its destination, checked, switched to
a single-file journal mode and only then moved into place, readable by its owner only.
"""

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from wardtrack.audit.checkpoints import checkpoint_file

_BUSY_TIMEOUT_S = 30


class BackupError(Exception):
    """The backup cannot be made; the message says why."""


def sqlite_database(url: sa.engine.URL) -> Path:
    """The file of a SQLite URL; BackupError for an in-memory database."""
    if not url.database or url.database == ":memory:" or url.database.startswith("file::memory:"):
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def backup_sqlite(source: Path, target: Path) -> int:
    """Copy the SQLite database `source` to the new file `target`; returns its size in bytes.

    Refuses a target that exists. The copy is checked (`PRAGMA integrity_check`) before it is moved
    into place, so a file at `target` is always a whole, sound database.
    """
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    if target.exists():
        raise BackupError(f"{target} exists; a backup never overwrites a file")
    if target.resolve() == source.resolve():
        raise BackupError("the backup cannot be the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # it holds patient data
    os.close(fd)
    try:
        with contextlib.closing(sqlite3.connect(source, timeout=_BUSY_TIMEOUT_S)) as reading, \
                contextlib.closing(sqlite3.connect(partial, isolation_level=None)) as writing:
            reading.backup(writing)  # pages=-1: everything in one step, one snapshot
            # The copy is one file: no -wal or -shm beside it.
            writing.execute("PRAGMA journal_mode=DELETE")
            found = writing.execute("PRAGMA integrity_check").fetchall()
        if found != [("ok",)]:
            raise BackupError(f"the copy failed its integrity check: {found[:3]}")
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync_directory(target.parent)
    return target.stat().st_size


def _fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Secret:
    """One thing the database does not hold and a restore needs: what it is, and where it is set."""

    what: str
    where: str


def outside_the_database(app: Flask) -> list[Secret]:
    """Where this app's keys and the audit checkpoint file are: settings and file paths, never
    their values."""
    config, instance = app.config, Path(app.instance_path)

    def setting(name: str, file_name: str | None = None, default_file: Path | None = None) -> str:
        if file_name and config.get(file_name):
            return f"the file {config[file_name]} (WARDTRACK_{file_name})"
        if config.get(name):
            return f"WARDTRACK_{name} in the environment"
        if default_file is not None:
            return f"the file {default_file} (development default)"
        return "not set"

    secret_file = instance / "secret_key"
    return [
        Secret("crypto keys (crisis plans, suggestions, check-in texts)",
               setting("CRYPTO_KEYS", "CRYPTO_KEYS_FILE")),
        Secret("audit signing key", setting("AUDIT_SIGNING_KEY", "AUDIT_SIGNING_KEY_FILE",
                                            instance / "audit_signing_key")),
        Secret("audit checkpoint file", str(checkpoint_file(app))),
        Secret("secret key", setting("SECRET_KEY") if os.environ.get("WARDTRACK_SECRET_KEY")
               or not secret_file.exists() else f"the file {secret_file} (development default)"),
        Secret("VAPID private key (web push)", setting("VAPID_PRIVATE_KEY")),
    ]


def libpq_url(url: sa.engine.URL) -> str:
    """The database URL as pg_dump and pg_restore take it, without the password (PGPASSFILE or
    ~/.pgpass holds that)."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
