"""The reads behind the FHIR endpoint and the export: through reach for a caller, whole tables for
the export. Nothing here records or commits."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from wardtrack.access.queries import access_entries
from wardtrack.access.reach import patient_reach
from wardtrack.contacts.models import Contact
from wardtrack.continuity.models import Flag
from wardtrack.core.db import MAX_ID
from wardtrack.extensions import db
from wardtrack.organisation.models import Membership, Professional
from wardtrack.patients.models import Designation, Episode, Patient


def patient_in_reach(user, patient_id: int) -> Patient | None:
    """The patient, when the caller reaches them; None for an unknown id or one out of reach alike."""
    if not 0 < patient_id <= MAX_ID:
        return None
    return db.session.scalar(sa.select(Patient).where(Patient.id == patient_id, patient_reach(user, Patient.id)))


def patients_by_identifier(user, value: str) -> list[Patient]:
    """The patients in reach with this identifier (at most one: identifiers are unique)."""
    return list(db.session.scalars(sa.select(Patient).where(
        Patient.identifier == value, patient_reach(user, Patient.id)).order_by(Patient.id)))


def has_active_episode(patient_id: int) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(
        Episode.patient_id == patient_id, Episode.ended_at.is_(None))))


def memberships(professional_id: int) -> list[Membership]:
    return list(db.session.scalars(sa.select(Membership).where(Membership.professional_id == professional_id)
                                   .order_by(Membership.started_on, Membership.id)))


def designations(patient_id: int) -> list[Designation]:
    """Every designation of the patient, past ones too, oldest first."""
    return list(db.session.scalars(
        sa.select(Designation).options(selectinload(Designation.professional))
        .where(Designation.patient_id == patient_id).order_by(Designation.started_at, Designation.id)))


def episodes(patient_id: int) -> list[Episode]:
    return list(db.session.scalars(sa.select(Episode).where(Episode.patient_id == patient_id)
                                   .order_by(Episode.started_at, Episode.id)))


def episode_at(episodes_of_patient: list[Episode], at: datetime) -> Episode | None:
    """The episode a contact at this time belongs to: an admission before an enrolment, the latest
    first."""
    covering = [e for e in episodes_of_patient if e.started_at <= at and (e.ended_at is None or e.ended_at >= at)]
    covering.sort(key=lambda e: (e.kind == "inpatient", e.started_at), reverse=True)
    return covering[0] if covering else None


def contacts(patient_id: int) -> list[tuple[Contact, str]]:
    """Every contact of the patient, retracted ones too, newest first, with the professional's name."""
    return list(db.session.execute(
        sa.select(Contact, Professional.name).join(Professional, Professional.id == Contact.professional_id)
        .where(Contact.patient_id == patient_id).order_by(Contact.occurred_at.desc(), Contact.id.desc())).all())


def flags(patient_id: int) -> list[Flag]:
    return list(db.session.scalars(sa.select(Flag).where(Flag.patient_id == patient_id)
                                   .order_by(Flag.opened_at.desc(), Flag.id.desc())))


def access_log(patient_id: int, user_id: int | None) -> list[dict]:
    """The patient's access log as the API's (access.queries.access_entries), with the audit events' ids;
    newest first."""
    return [{**item, "patient_id": patient_id, "reason": item.get("reason")}
            for item in access_entries(patient_id, user_id)]
