"""`flask db backup PATH`: a consistent copy while another thread keeps writing, the refusals, and
the note on the keys, which are never in the backup."""

import contextlib
import os
import sqlite3
import stat
import threading
import time

import pytest
import sqlalchemy as sa

from tests.backup.conftest import app_on, key_material, on_postgres
from tests.conftest import TEST_AUDIT_SIGNING_KEY
from wardtrack.audit.models import AuditEvent
from wardtrack.audit.operations import record
from wardtrack.extensions import db

sqlite_only = pytest.mark.skipif(on_postgres(), reason="the copy is SQLite's; PostgreSQL has pg_dump")


def _keep_writing(app, stop: threading.Event, written: list, errors: list) -> None:
    """Append audit events, one commit each (the event and the chain head's move in one transaction),
    until told to stop."""
    with app.app_context():
        try:
            while not stop.is_set():
                record("test.backup_writer")
                db.session.commit()
                written.append(time.monotonic())
        except Exception as error:  # noqa: BLE001 (reported to the test)
            errors.append(error)
        finally:
            db.session.remove()


def _chain_of(path) -> tuple[int, bool]:
    """How many events the copy holds, and whether its head names its newest event."""
    with contextlib.closing(sqlite3.connect(path)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file, no -wal
        count, newest = copy.execute(
            "SELECT count(*), (SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1) FROM audit_events"
        ).fetchone()
        head = copy.execute("SELECT hash FROM audit_chain_head").fetchone()[0]
    return count, head == newest


@sqlite_only
def test_the_copy_is_consistent_while_another_thread_keeps_writing(app, runner, tmp_path):
    assert runner.invoke(args=["demo", "seed", "--patients", "3"]).exit_code == 0
    db.session.commit()
    seeded = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))  # the seed's own events
    db.session.rollback()
    stop, written, errors = threading.Event(), [], []
    writer = threading.Thread(target=_keep_writing, args=(app, stop, written, errors))
    writer.start()
    copies = []
    try:
        while len(written) < 5:  # the writer is under way
            time.sleep(0.01)
        for number in range(6):
            before = len(written)
            path = tmp_path / f"copy-{number}.sqlite3"
            result = runner.invoke(args=["db", "backup", str(path)])
            assert result.exit_code == 0, result.output
            copies.append((path, before, len(written)))
    finally:
        stop.set()
        writer.join(30)
    assert not errors, errors
    assert len(written) > 20  # the writer was not held up by the backups
    assert any(after > before for _path, before, after in copies)  # some copies were taken mid-write
    seen = 0
    for path, before, after in copies:
        count, head_matches = _chain_of(path)
        assert head_matches, path  # never an event without its head's move, nor the reverse
        assert seeded + before <= count <= seeded + after + 1  # the seed's events, then the writer's
        assert count >= seen
        seen = count
        with app_on(f"sqlite:///{path}", os.devnull) as copy:
            verified = copy.test_cli_runner().invoke(args=["audit", "verify"])
            assert verified.exit_code == 0 and f"intact: {count} events" in verified.output, verified.output


@sqlite_only
def test_the_backup_is_private_and_names_the_keys_without_their_values(app, runner, tmp_path):
    record("test.before_backup")
    db.session.commit()
    path = tmp_path / "nested" / "wardtrack-backup.sqlite3"
    result = runner.invoke(args=["db", "backup", str(path)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(path.parent.glob(".*partial*"))
    for needed in ("crypto keys", "audit signing key", "audit checkpoint file", "secret key", "VAPID"):
        assert needed in result.output
    assert "WARDTRACK_CRYPTO_KEYS" in result.output and str(tmp_path / "audit-checkpoints.jsonl") in result.output
    for secret in [*key_material(), TEST_AUDIT_SIGNING_KEY.encode(), b"test-secret"]:
        assert secret.decode() not in result.output
        assert secret not in path.read_bytes()


@sqlite_only
def test_a_backup_never_overwrites_a_file(app, runner, tmp_path):
    path = tmp_path / "there.sqlite3"
    path.write_text("keep me")
    result = runner.invoke(args=["db", "backup", str(path)])
    assert result.exit_code == 1
    assert "exists; a backup never overwrites a file" in result.output
    assert path.read_text() == "keep me"
    itself = runner.invoke(args=["db", "backup", db.engine.url.database])
    assert itself.exit_code == 1


@pytest.mark.skipif(not on_postgres(), reason="the suite runs on SQLite")
def test_on_postgresql_it_refuses_and_names_pg_dump(app, runner, tmp_path):
    result = runner.invoke(args=["db", "backup", str(tmp_path / "wardtrack.dump")])
    assert result.exit_code == 1
    assert "pg_dump -Fc" in result.output and "pg_restore --no-owner" in result.output
    assert "docs/deploy.md" in result.output and "crypto keys" in result.output
    assert not (tmp_path / "wardtrack.dump").exists()
