"""Reading patients within the caller's reach."""


import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from wardtrack.core.errors import Invalid
from wardtrack.core.pagination import decode_cursor, page
from wardtrack.extensions import db
from wardtrack.patients.models import Designation, Episode, Patient


def current_first(episode=Episode) -> tuple:
    """ORDER BY terms for "the current episode", the one rule wherever one episode of a patient is
    picked: an admission before an enrolment ("inpatient" sorts first), then the latest start, then
    the latest id."""
    return episode.kind, episode.started_at.desc(), episode.id.desc()


def active_episode(patient_id: int) -> Episode | None:
    """The patient's current episode: an admission before an enrolment, the latest first."""
    return db.session.scalar(
        sa.select(Episode).where(Episode.patient_id == patient_id, Episode.ended_at.is_(None))
        .order_by(*current_first()).limit(1))


def key_people(patient_id: int) -> list[Designation]:
    """Active designations with their professionals."""
    return list(
        db.session.scalars(
            sa.select(Designation)
            .options(selectinload(Designation.professional))
            .where(Designation.patient_id == patient_id, Designation.ended_at.is_(None))
            .order_by(Designation.kind)
        )
    )


def patient_view(patient: Patient) -> dict:
    """A patient with the active episode and key people, ready for PatientSchema."""
    return {
        "id": patient.id,
        "display_name": patient.display_name,
        "identifier": patient.identifier,
        "active_episode": active_episode(patient.id),
        "key_people": key_people(patient.id),
    }


def _ward_keyset(cursor: str) -> tuple[str, int]:
    name, last_id = decode_cursor(cursor, 2)
    if not isinstance(name, str) or not isinstance(last_id, int) or isinstance(last_id, bool):
        raise Invalid("cursor", "Not a cursor this service gave out.")
    return name, last_id


def ward_rows(ward_id: int, q: str | None):
    """Each patient with an active episode on the ward once, with that episode (an admission
    first)."""
    # A patient may hold an admission and an enrolment on the same ward at once; list them once.
    mine = aliased(Episode, name="ward_episode")
    current = (
        sa.select(mine.id)
        .where(mine.patient_id == Patient.id, mine.ward_id == ward_id, mine.ended_at.is_(None))
        .order_by(*current_first(mine))
        .limit(1)
        .correlate(Patient)
        .scalar_subquery()
    )
    query = sa.select(Patient, Episode).join(Episode, Episode.id == current)
    if q:
        query = query.where(Patient.display_name.icontains(q, autoescape=True))
    return query


def ward_patients(ward_id: int, limit: int, cursor: str | None, q: str | None) -> dict:
    """Patients with an active episode on a ward, by name (contacts.queries.ward_patients adds the
    recent order)."""
    query = ward_rows(ward_id, q).order_by(Patient.display_name, Patient.id).limit(limit + 1)
    if cursor:
        name, last_id = _ward_keyset(cursor)
        query = query.where(sa.tuple_(Patient.display_name, Patient.id) > sa.tuple_(name, last_id))
    rows = [
        {
            "id": p.id,
            "display_name": p.display_name,
            "identifier": p.identifier,
            "active_episode": e,
        }
        for p, e in db.session.execute(query)
    ]
    return page(rows, limit, lambda row: [row["display_name"], row["id"]])


def safety_person(patient_id: int) -> Designation | None:
    """The active safety person, if any."""
    return db.session.scalar(
        sa.select(Designation)
        .options(selectinload(Designation.professional))
        .where(Designation.patient_id == patient_id, Designation.kind == "safety_person",
               Designation.ended_at.is_(None))
    )
