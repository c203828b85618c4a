"""The restore drill of docs/deploy.md, on the suite's engine: back up a seeded database, restore it
into a new one, and check it there with the same keys and checkpoint file: `flask db upgrade` has
nothing to do, `flask audit verify` and `flask crypto check` pass, every table has as many rows and
the contacts the same checksum, and the restored database takes new writes."""

import os
import subprocess

import pytest
import sqlalchemy as sa

from tests.backup.conftest import app_on, key_material, measure, needs_pg_tools, on_postgres
from tests.support import backend_url
from wardtrack.audit.models import AuditEvent
from wardtrack.audit.operations import record
from wardtrack.backup.operations import libpq_url
from wardtrack.extensions import db


def _restore_sqlite(runner, tmp_path) -> str:
    target = tmp_path / "restored" / "wardtrack.sqlite3"
    result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "backup written" in result.output and "crypto keys" in result.output
    data = target.read_bytes()
    assert not any(secret in data for secret in key_material())  # keys are not in the backup
    return f"sqlite:///{target}"


def _pg(*args: str) -> None:
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
    assert done.returncode == 0, (args[0], done.stderr)


def _drill(restored_url: str, checkpoints, original: dict) -> None:
    with app_on(restored_url, checkpoints) as restored:
        cli = restored.test_cli_runner()
        upgrade = cli.invoke(args=["db", "upgrade"])
        assert upgrade.exit_code == 0, upgrade.output
        events = original["counts"]["audit_events"]
        verified = cli.invoke(args=["audit", "verify"])
        assert verified.exit_code == 0, verified.output
        assert f"audit chain intact: {events} events" in verified.output
        assert "checkpoints" in verified.output  # it compared with the original's signed checkpoint
        checked = cli.invoke(args=["crypto", "check"])
        assert checked.exit_code == 0, checked.output
        assert "versions decrypt, 0 do not" in checked.output
        assert "check-in texts: decrypt 1, failed 0" in checked.output
        db.session.rollback()  # the commands' session holds SQLite's write lock until it ends
        assert measure(restored_url) == original
        record("backup.restore_drill")  # the chain, its head and the sequences go on where they were
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events + 1
        again = cli.invoke(args=["audit", "verify"])
        assert again.exit_code == 0 and f"intact: {events + 1} events" in again.output, again.output


def _checked_original(seeded_url: str) -> dict:
    original = measure(seeded_url)
    counts = original["counts"]
    assert counts["contacts"] > 100 and counts["crisis_plan_versions"] >= 2
    assert counts["check_in_texts"] == 1 and counts["audit_events"] > 5
    return original


@pytest.mark.skipif(on_postgres(), reason="the suite runs on PostgreSQL")
def test_restore_drill_sqlite(app, runner, seeded, tmp_path):
    original = _checked_original(db.engine.url.render_as_string(hide_password=False))
    restored_url = _restore_sqlite(runner, tmp_path)
    _drill(restored_url, seeded, original)


@pytest.mark.skipif(not on_postgres(), reason="the suite runs on SQLite")
@needs_pg_tools
def test_restore_drill_postgres(app, runner, seeded, tmp_path):
    original = _checked_original(db.engine.url.render_as_string(hide_password=False))
    dump = tmp_path / "wardtrack.dump"
    refused = runner.invoke(args=["db", "backup", str(dump)])
    assert refused.exit_code == 1 and "pg_dump -Fc" in refused.output and "pg_restore" in refused.output
    _pg("pg_dump", "-Fc", f"--file={dump}", libpq_url(db.engine.url))
    assert not any(secret in dump.read_bytes() for secret in key_material())
    with backend_url(os.environ["WARDTRACK_TEST_DATABASE_URL"]) as restored_url:
        role = sa.engine.make_url(restored_url).username
        _pg("pg_restore", "--no-owner", f"--role={role}", "--exit-on-error",
            f"--dbname={libpq_url(sa.engine.make_url(restored_url))}", str(dump))
        _drill(restored_url, seeded, original)
