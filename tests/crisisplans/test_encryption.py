"""The envelope at rest: no plaintext in the database or logs, altered or moved rows refuse to decrypt."""

import logging
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.crisisplans.conftest import PLAN, SECRET, plan_url, put_plan
from wardtrack.audit.models import AuditEvent
from wardtrack.core.crypto import generate_key_line
from wardtrack.crisisplans.models import CrisisPlanVersion
from wardtrack.extensions import db


def stored(patient) -> CrisisPlanVersion:
    db.session.expire_all()
    return db.session.scalar(sa.select(CrisisPlanVersion).where(CrisisPlanVersion.patient_id == patient.id)
                             .order_by(CrisisPlanVersion.version.desc()).limit(1))


def all_database_text() -> str:
    """Every value of every table, as text (for PostgreSQL, where there is no file to read)."""
    parts = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)):
            parts.extend(v.decode("latin-1") if isinstance(v, bytes) else str(v) for v in row)
    return "\n".join(parts)


def test_plaintext_is_absent_from_the_database_and_the_logs(setup, caplog):
    caplog.set_level(logging.DEBUG)
    patient = setup.patient_a
    assert put_plan(setup.as_nurse, patient).status_code == 201
    assert setup.as_leader.get(plan_url(patient)).get_json()["warning_signs"][0] == SECRET
    assert setup.as_patient.get("/api/v1/me/crisis-plan").status_code == 200
    needles = [SECRET, "Sister Sara", "No depot injections", "Zebra"]
    assert not any(n in caplog.text for n in needles)
    assert not any(n in all_database_text() for n in needles)
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        db.session.remove()  # the WAL is read as it stands, before any checkpoint on close
        for path in (Path(url.database), Path(url.database + "-wal")):
            if path.exists():
                data = path.read_bytes()
                assert not any(n.encode() in data for n in needles), path.name
                assert not any(n.encode("utf-16-le") in data for n in needles)


def test_one_flipped_byte_is_a_clear_integrity_error(setup, caplog):
    patient = setup.patient_a
    put_plan(setup.as_nurse, patient)
    row = stored(patient)
    altered = bytearray(row.ciphertext)
    altered[len(altered) // 2] ^= 0x01
    row.ciphertext = bytes(altered)
    db.session.commit()
    with caplog.at_level(logging.ERROR):
        response = setup.as_leader.get(plan_url(patient))
    assert response.status_code == 409 and response.content_type == "application/problem+json"
    assert "cannot be decrypted" in response.get_json()["detail"]
    assert SECRET not in response.get_data(as_text=True)
    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("integrity:")]
    assert f"patient_id={patient.id}" in line and "reason=ciphertext_altered" in line
    assert setup.as_patient.get("/api/v1/me/crisis-plan").status_code == 409
    db.session.expire_all()
    reads = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "crisis_plan.read"))
    assert reads == 0  # nothing was read


@pytest.mark.parametrize("column", ["wrapped_key", "nonce"])
def test_altered_key_material_is_refused_too(setup, column):
    patient = setup.patient_a
    put_plan(setup.as_nurse, patient)
    row = stored(patient)
    value = bytearray(getattr(row, column))
    value[-1] ^= 0x80
    setattr(row, column, bytes(value))
    db.session.commit()
    assert setup.as_leader.get(plan_url(patient)).status_code == 409


def test_a_row_copied_to_another_patient_does_not_decrypt(setup, caplog):
    a, b = setup.patient_a, setup.patient_b
    put_plan(setup.as_nurse, a)
    source = stored(a)
    db.session.add(CrisisPlanVersion(
        patient_id=b.id, version=source.version, created_at=source.created_at, created_by=source.created_by,
        author_name=source.author_name, author_role=source.author_role, reviewed_with_patient=True,
        key_id=source.key_id, wrapped_key=source.wrapped_key, nonce=source.nonce, ciphertext=source.ciphertext))
    db.session.commit()
    with caplog.at_level(logging.ERROR):
        response = setup.as_patient_b.get("/api/v1/me/crisis-plan")
    assert response.status_code == 409 and SECRET not in response.get_data(as_text=True)
    assert "reason=key_does_not_open" in caplog.text


def test_a_row_moved_to_another_version_does_not_decrypt(setup):
    patient = setup.patient_a
    first = put_plan(setup.as_nurse, patient)
    put_plan(setup.as_nurse, patient, {"note": "newer"}, first.headers["ETag"])
    old, new = sorted(db.session.scalars(sa.select(CrisisPlanVersion)), key=lambda r: r.version)
    new.wrapped_key, new.nonce, new.ciphertext = old.wrapped_key, old.nonce, old.ciphertext
    db.session.commit()
    assert setup.as_leader.get(plan_url(patient)).status_code == 409


def test_a_missing_key_makes_readyz_503_and_reads_409(setup, app, client):
    put_plan(setup.as_nurse, setup.patient_a)
    assert client.get("/readyz").status_code == 200
    app.config["CRYPTO_KEYS"] = generate_key_line()  # a keyring without the key the plan was stored under
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["crisis_plan_keys"].startswith("missing keys: ")
    assert response.get_json()["checks"]["crypto_keys"] == "ok"
    assert setup.as_leader.get(plan_url(setup.patient_a)).status_code == 409


def test_database_holds_no_key(setup, app):
    put_plan(setup.as_nurse, setup.patient_a)
    text = all_database_text()
    for entry in app.config["CRYPTO_KEYS"].split(","):
        assert entry.split(":")[1] not in text
    assert PLAN["note"] not in text
