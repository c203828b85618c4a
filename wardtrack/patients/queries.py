"""Reading patients within the caller's reach."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from wardtrack.auth.access import patient_reach
from wardtrack.core.db import UtcDateTime
from wardtrack.core.errors import Invalid, NotFound
from wardtrack.core.pagination import decode_cursor, page
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.patients.models import Designation, Episode, Patient


def get_patient(user, patient_id: int) -> Patient:
    """A patient the user reaches; 404 otherwise, so that existence does not leak."""
    patient = db.session.scalar(sa.select(Patient).where(Patient.id == patient_id, patient_reach(user, Patient.id)))
    if patient is None:
        raise NotFound(f"No patient {patient_id} within your reach.")
    return patient


def get_episode(user, episode_id: int) -> Episode:
    """An episode of a patient the user reaches, or 404."""
    episode = db.session.scalar(
        sa.select(Episode).where(Episode.id == episode_id, patient_reach(user, Episode.patient_id)))
    if episode is None:
        raise NotFound(f"No episode {episode_id} within your reach.")
    return episode


def active_episode(patient_id: int) -> Episode | None:
    """The patient's current episode: an admission before an enrolment, the latest first."""
    return db.session.scalar(
        sa.select(Episode).where(Episode.patient_id == patient_id, Episode.ended_at.is_(None))
        .order_by(Episode.kind, Episode.started_at.desc()).limit(1))


def key_people(patient_id: int) -> list[Designation]:
    """Active designations with their professionals."""
    return list(db.session.scalars(
        sa.select(Designation).options(selectinload(Designation.professional))
        .where(Designation.patient_id == patient_id, Designation.ended_at.is_(None)).order_by(Designation.kind)))


def patient_view(patient: Patient) -> dict:
    """A patient with the active episode and key people, ready for PatientSchema."""
    return {"id": patient.id, "display_name": patient.display_name, "identifier": patient.identifier,
            "active_episode": active_episode(patient.id), "key_people": key_people(patient.id)}


# Contacts belong to a higher package; the recent-first order names only the columns it needs (as auth does).
_contacts = sa.table(
    "contacts", sa.column("patient_id"), sa.column("ward_id"), sa.column("occurred_at", UtcDateTime()),
    sa.column("status"),
).alias("recent_contacts")
#: How far back "recent" looks: each patient's scan of the (patient_id, occurred_at) index stops there.
RECENT_DAYS = 30


def _ward_keyset(cursor: str) -> tuple[str, int]:
    name, last_id = decode_cursor(cursor, 2)
    if not isinstance(name, str) or not isinstance(last_id, int) or isinstance(last_id, bool):
        raise Invalid("cursor", "Not a cursor this service gave out.")
    return name, last_id


def _recent_keyset(cursor: str) -> tuple[datetime | None, str, int]:
    last, name, last_id = decode_cursor(cursor, 3, (object, str, int))
    if last is None:
        return None, name, last_id
    try:
        when = datetime.fromisoformat(last) if isinstance(last, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise Invalid("cursor", "Not a cursor this service gave out.")
    return when, name, last_id


def _ward_rows(ward_id: int, q: str | None):
    """Each patient with an active episode on the ward once, with that episode (an admission first)."""
    # A patient may hold an admission and an enrolment on the same ward at once; list them once.
    mine = aliased(Episode, name="ward_episode")
    current = (sa.select(mine.id).where(mine.patient_id == Patient.id, mine.ward_id == ward_id, mine.ended_at.is_(None))
               .order_by(mine.kind, mine.started_at.desc(), mine.id.desc()).limit(1)
               .correlate(Patient).scalar_subquery())
    query = sa.select(Patient, Episode).join(Episode, Episode.id == current)
    if q:
        query = query.where(Patient.display_name.icontains(q, autoescape=True))
    return query


def ward_patients(ward_id: int, limit: int, cursor: str | None, q: str | None, order: str = "name") -> dict:
    """Patients with an active episode on a ward, by name or (`order="recent"`) most recently seen there first."""
    if order == "recent":
        return _recent_ward_patients(ward_id, limit, cursor, q)
    query = _ward_rows(ward_id, q).order_by(Patient.display_name, Patient.id).limit(limit + 1)
    if cursor:
        name, last_id = _ward_keyset(cursor)
        query = query.where(sa.tuple_(Patient.display_name, Patient.id) > sa.tuple_(name, last_id))
    rows = [{"id": p.id, "display_name": p.display_name, "identifier": p.identifier, "active_episode": e}
            for p, e in db.session.execute(query)]
    return page(rows, limit, lambda row: [row["display_name"], row["id"]])


def _recent_ward_patients(ward_id: int, limit: int, cursor: str | None, q: str | None) -> dict:
    """The ward's patients by their latest contact on this ward in the last RECENT_DAYS, newest first; then
    those without one, by name. Bounded: one index range scan per patient of the ward."""
    latest = (sa.select(sa.func.max(_contacts.c.occurred_at))
              .where(_contacts.c.patient_id == Patient.id, _contacts.c.ward_id == ward_id,
                     _contacts.c.status == "recorded",  # a contact entered in error does not make them recent
                     _contacts.c.occurred_at >= utcnow() - timedelta(days=RECENT_DAYS))
              .correlate(Patient).scalar_subquery())
    rows = _ward_rows(ward_id, q).add_columns(latest.label("last_contact_at")).subquery("ward_rows")
    patient, episode = aliased(Patient, rows), aliased(Episode, rows)
    last, name, pid = rows.c.last_contact_at, patient.display_name, patient.id
    query = (sa.select(patient, episode, last)
             .order_by(last.is_(None), last.desc(), name, pid).limit(limit + 1))
    if cursor:
        after, after_name, after_id = _recent_keyset(cursor)
        later_name = sa.tuple_(name, pid) > sa.tuple_(after_name, after_id)
        query = query.where(sa.and_(last.is_(None), later_name) if after is None else sa.or_(
            last < after, sa.and_(last == after, later_name), last.is_(None)))
    items = [{"id": p.id, "display_name": p.display_name, "identifier": p.identifier, "active_episode": e,
              "last_contact_at": at} for p, e, at in db.session.execute(query)]
    return page(items, limit, lambda row: [
        row["last_contact_at"].isoformat() if row["last_contact_at"] else None, row["display_name"], row["id"]])


def safety_person(patient_id: int) -> Designation | None:
    """The active safety person, if any."""
    return db.session.scalar(sa.select(Designation).options(selectinload(Designation.professional)).where(
        Designation.patient_id == patient_id, Designation.kind == "safety_person", Designation.ended_at.is_(None)))
