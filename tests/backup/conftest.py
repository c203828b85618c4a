"""The backup tests' world and measures: a seeded database, every table's row count, a checksum of
the contacts, and an app on another database with the same keys."""

import contextlib
import hashlib
import os
import shutil
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.checkins.conftest import MINE, relationship
from tests.conftest import TEST_KEYS, _config, new_client_id
from tests.crisisplans.conftest import put_plan
from tests.patients.helpers import iso
from wardtrack import create_app
from wardtrack.audit.checkpoints import checkpoint_file
from wardtrack.core.sqlite import DEFER_WRITE_LOCK
from wardtrack.core.time import utcnow
from wardtrack.extensions import db

#: What pg_dump and pg_restore are, for the drill on PostgreSQL: CI has them beside the server.
PG_TOOLS = [shutil.which("pg_dump"), shutil.which("pg_restore")]
needs_pg_tools = pytest.mark.skipif(not all(PG_TOOLS), reason="pg_dump/pg_restore are not installed")
HELP = "Ask before you come into my room"


def on_postgres() -> bool:
    return bool(os.environ.get("WARDTRACK_TEST_DATABASE_URL"))


@pytest.fixture
def seeded(app, runner, make, login):
    """The demo (four patients, their contacts, plans and check-ins) and, through the API, a ward
    of our own: contacts, an encrypted crisis plan, a check-in with a sealed text; then a signed
    checkpoint. Returns the checkpoint file."""
    result = runner.invoke(args=["demo", "seed", "--patients", "4"])
    assert result.exit_code == 0, result.output
    ward = make.ward("Backup Ward")
    nina = make.professional("Nina Backup", "nurse", [ward])
    peter = make.professional("Peter Backup", "psychologist", [ward])
    nurse = make.user("backup-nina", "nurse", wards=[ward], professional=nina)
    patient = make.patient("Pia Backup", "BK-1")
    make.episode(patient, ward)
    make.designation(patient, peter, "therapist")
    pia = make.user("backup-pia", "patient", patient=patient)
    as_nurse = login(nurse)
    for hours in range(1, 6):
        made = as_nurse.post("/api/v1/contacts", json={
            "client_id": new_client_id(), "patient_id": patient.id, "professional_id": nina.id,
            "occurred_at": iso(utcnow().replace(microsecond=0) - timedelta(hours=hours)),
            "kind": "conversation"})
        assert made.status_code == 201, made.get_json()
    assert put_plan(as_nurse, patient).status_code == 201
    checked_in = login(pia).post(MINE, json=relationship(peter.id, what_would_help=HELP))
    assert checked_in.status_code == 201, checked_in.get_json()
    result = runner.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    db.session.commit()  # the test's own transaction would hold SQLite's write lock
    return checkpoint_file(app)


def measure(url: str) -> dict:
    """Every table's row count, and a SHA-256 over the contacts in id order (every column)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        # a read: on SQLite it must not wait for the write lock another connection holds
        with engine.connect().execution_options(**{DEFER_WRITE_LOCK: True}) as connection:
            names = sorted(sa.inspect(connection).get_table_names())
            counts = {name: connection.execute(
                sa.select(sa.func.count()).select_from(sa.table(name))).scalar_one() for name in names}
            contacts = sa.Table("contacts", sa.MetaData(), autoload_with=connection)
            digest = hashlib.sha256()
            for row in connection.execute(sa.select(contacts).order_by(contacts.c.id)):
                digest.update(repr(tuple(row)).encode() + b"\n")
    finally:
        engine.dispose()
    return {"counts": counts, "contacts_sha256": digest.hexdigest()}


@contextlib.contextmanager
def app_on(url: str, checkpoints) -> object:
    """An app on the database at `url` with the suite's keys and the given checkpoint file."""
    other = create_app({**_config(url), "AUDIT_CHECKPOINT_FILE": str(checkpoints)})
    with other.app_context():
        yield other
        db.session.remove()
        db.engine.dispose()


def key_material() -> list[bytes]:
    """The secret parts of the suite's crypto keys, as they would sit in a file."""
    return [entry.split(":", 1)[-1].encode() for entry in TEST_KEYS.split(",")]
