"""Reading a patient's contacts and the professionals they see."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from wardtrack.contacts.models import Contact, is_counted
from wardtrack.core.errors import Invalid
from wardtrack.core.pagination import decode_cursor, page
from wardtrack.core.time import iso_z, utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional
from wardtrack.patients import queries as patient_queries
from wardtrack.patients.models import Episode, Patient
from wardtrack.patients.queries import key_people, ward_rows


def _contact_keyset(cursor: str) -> tuple[datetime, int]:
    at, last_id = decode_cursor(cursor, 2)
    try:
        at = datetime.fromisoformat(at)
        at = at.astimezone(UTC) if at.tzinfo is not None else None
    except (TypeError, ValueError, OverflowError):
        at = None
    if at is None or not isinstance(last_id, int) or isinstance(last_id, bool):
        raise Invalid("cursor", "Not a cursor this service gave out.")
    return at, last_id


def patient_contacts(patient_id: int, limit: int, cursor=None, since=None, until=None) -> dict:
    """A page of contacts, newest first (ties by id), optionally within [since, until); retracted
    ones too, with their status."""
    query = (sa.select(Contact).where(Contact.patient_id == patient_id)
             .order_by(Contact.occurred_at.desc(), Contact.id.desc()).limit(limit + 1))
    if since:
        query = query.where(Contact.occurred_at >= since)
    if until:
        query = query.where(Contact.occurred_at < until)
    if cursor:
        at, last_id = _contact_keyset(cursor)
        query = query.where(sa.or_(Contact.occurred_at < at,
                                   sa.and_(Contact.occurred_at == at, Contact.id < last_id)))
    return page(db.session.scalars(query).all(), limit, lambda c: [iso_z(c.occurred_at), c.id])


def relationships(patient_id: int, days: int) -> dict:
    """Key people plus the professionals seen most in the window, with counts and first and last
    contact."""
    counted = (sa.select(Contact.professional_id, sa.func.count().label("contacts"),
                         sa.func.min(Contact.occurred_at).label("first_contact_at"),
                         sa.func.max(Contact.occurred_at).label("last_contact_at"))
               .where(Contact.patient_id == patient_id, is_counted(),
                      Contact.occurred_at >= utcnow() - timedelta(days=days))
               .group_by(Contact.professional_id).subquery())
    rows = db.session.execute(
        sa.select(
            Professional, counted.c.contacts, counted.c.first_contact_at, counted.c.last_contact_at
        )
        .join(counted, counted.c.professional_id == Professional.id)
        .order_by(counted.c.contacts.desc(), counted.c.last_contact_at.desc())
        .limit(25)
    )
    seen = [{"professional": p, "contacts": n, "first_contact_at": first, "last_contact_at": last}
            for p, n, first, last in rows]
    return {"window_days": days, "key_people": key_people(patient_id), "professionals": seen}


# The timeline draws one mark per contact; beyond this many in one window it shows the newest and
# says so.
TIMELINE_MAX_CONTACTS = 5000


def timeline(patient_id: int, days: int, now: datetime | None = None) -> dict:
    """Per professional, the times of the patient's contacts over the last `days` days, for the
    timeline.

    Two statements on the (patient_id, ...) indexes: the window's contacts (newest first, capped)
    and which of their professionals the patient had met before the window, so that new faces can be
    told apart. Professionals come in order of their first contact in the window.
    """
    until = now or utcnow()
    since = until - timedelta(days=days)
    rows = db.session.execute(
        sa.select(
            Contact.occurred_at, Contact.professional_id, Professional.name, Professional.profession
        )
        .join(Professional, Professional.id == Contact.professional_id)
        .where(Contact.patient_id == patient_id, is_counted(), Contact.occurred_at >= since,
               Contact.occurred_at <= until)
        .order_by(Contact.occurred_at.desc(), Contact.id.desc())
        .limit(TIMELINE_MAX_CONTACTS + 1)
    ).all()
    truncated = len(rows) > TIMELINE_MAX_CONTACTS
    rows = rows[:TIMELINE_MAX_CONTACTS]
    known = set(db.session.scalars(
        sa.select(Contact.professional_id).distinct()
        .where(Contact.patient_id == patient_id, is_counted(), Contact.occurred_at < since,
               Contact.professional_id.in_(sorted({row.professional_id for row in rows})))))
    people: dict[int, dict] = {}
    for at, professional_id, name, profession in reversed(rows):  # oldest first
        person = people.setdefault(professional_id, {
            "professional_id": professional_id, "name": name, "profession": profession,
            "known_before": professional_id in known, "contacts": []})
        person["contacts"].append(at)
    return {"window_days": days, "since": since, "until": until, "truncated": truncated,
            "contacts": len(rows), "professionals": list(people.values())}


#: How far back "recent" looks: each patient's scan of the (patient_id, occurred_at) index stops
#: there.
RECENT_DAYS = 30


def ward_patients(
    ward_id: int, limit: int, cursor: str | None, q: str | None, order: str = "name"
) -> dict:
    """Patients with an active episode on a ward, by name or (`order="recent"`) most recently seen
    there first."""
    if order == "recent":
        return _recent_ward_patients(ward_id, limit, cursor, q)
    return patient_queries.ward_patients(ward_id, limit, cursor, q)


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


def _recent_ward_patients(ward_id: int, limit: int, cursor: str | None, q: str | None) -> dict:
    """The ward's patients by their latest contact on this ward in the last RECENT_DAYS, newest
    first; then those without one, by name. Bounded: one index range scan per patient of the
    ward."""
    latest = (sa.select(sa.func.max(Contact.occurred_at))
              .where(Contact.patient_id == Patient.id, Contact.ward_id == ward_id,
                     # a contact entered in error does not make them recent
                     Contact.status == "recorded",
                     Contact.occurred_at >= utcnow() - timedelta(days=RECENT_DAYS))
              .correlate(Patient).scalar_subquery())
    rows = ward_rows(ward_id, q).add_columns(latest.label("last_contact_at")).subquery("ward_rows")
    patient, episode = aliased(Patient, rows), aliased(Episode, rows)
    last, name, pid = rows.c.last_contact_at, patient.display_name, patient.id
    query = (sa.select(patient, episode, last)
             .order_by(last.is_(None), last.desc(), name, pid).limit(limit + 1))
    if cursor:
        after, after_name, after_id = _recent_keyset(cursor)
        later_name = sa.tuple_(name, pid) > sa.tuple_(after_name, after_id)
        query = query.where(sa.and_(last.is_(None), later_name) if after is None else sa.or_(
            last < after, sa.and_(last == after, later_name), last.is_(None)))
    items = [
        {
            "id": p.id,
            "display_name": p.display_name,
            "identifier": p.identifier,
            "active_episode": e,
            "last_contact_at": at,
        }
        for p, e, at in db.session.execute(query)
    ]
    return page(
        items,
        limit,
        lambda row: [
            row["last_contact_at"].isoformat() if row["last_contact_at"] else None,
            row["display_name"],
            row["id"],
        ],
    )
