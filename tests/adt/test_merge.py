"""A40: two patients become one without losing contacts, designations or episodes."""

import uuid
from datetime import timedelta

import sqlalchemy as sa

from tests.adt.conftest import adt, fresh, msa
from wardtrack.adt.merge import DERIVED, MOVED, SEALED, SPECIAL
from wardtrack.adt.models import AdtMerge
from wardtrack.audit.models import AuditEvent
from wardtrack.contacts.models import Contact
from wardtrack.continuity.models import RecomputeQueue
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.patients.models import Designation, Episode, Patient


def _contact(patient, professional, ward, days):
    db.session.add(Contact(client_id=uuid.uuid4(), patient_id=patient.id, professional_id=professional.id,
                           ward_id=ward.id, occurred_at=utcnow() - timedelta(days=days), kind="conversation",
                           received_at=utcnow()))


def test_a40_merges_contacts_and_designations_without_loss(mllp, make, wards):
    ward_a = wards[0]
    survivor, merged = make.patient("Kari Nordmann", "MRN-1"), make.patient("Kari Nordman", "MRN-OLD")
    nina, dora = make.professional("Nina", "nurse", [ward_a]), make.professional("Dora", "psychiatrist", [ward_a])
    make.episode(merged, ward_a, started=timedelta(days=40), ended=timedelta(days=30))
    make.designation(survivor, nina, "safety_person")
    make.designation(merged, dora, "safety_person")
    make.designation(merged, dora, "therapist")
    for days in (35, 33, 31):
        _contact(merged, dora, ward_a, days)
    _contact(survivor, nina, ward_a, 2)
    db.session.commit()
    ids = (survivor.id, merged.id)
    ack = mllp.send(adt("A40", identifier="MRN-1", mrg="MRN-OLD", control="MERGE-1"))
    assert msa(ack)[1] == "AA", ack
    fresh()
    contacts = db.session.scalars(sa.select(Contact.patient_id)).all()
    assert contacts == [ids[0]] * 4
    designations = db.session.scalars(sa.select(Designation).order_by(Designation.id)).all()
    assert [(d.patient_id, d.kind, d.ended_at is None) for d in designations] == [
        (ids[0], "safety_person", True), (ids[0], "safety_person", False), (ids[0], "therapist", True)]
    assert db.session.scalar(sa.select(Episode.patient_id)) == ids[0]
    assert db.session.scalar(sa.select(AdtMerge.merged_patient_id)) == ids[1]
    assert db.session.scalar(sa.select(AuditEvent.object_id).where(AuditEvent.action == "patient.merge")) == str(ids[1])
    queued = set(db.session.scalars(sa.select(RecomputeQueue.patient_id)))
    assert ids[0] in queued
    assert db.session.get(Patient, ids[1]) is not None  # kept, emptied: the audit trail still names it
    assert msa(mllp.send(adt("A40", identifier="MRN-1", mrg="MRN-OLD", control="MERGE-1")))[1] == "AA"


def test_every_patient_reference_is_merged(app):
    """Each table with a foreign key to patients.id is moved, derived, refused or handled by name."""
    known = {model.__table__.name for model in (*MOVED, *DERIVED, *SEALED, *SPECIAL)} | {"adt_merges"}
    referring = {table.name for table in db.metadata.tables.values()
                 if any(fk.column.table.name == "patients" for fk in table.foreign_keys)}
    assert referring - known == set()
