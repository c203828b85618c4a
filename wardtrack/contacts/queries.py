"""Reading a patient's contacts and the professionals they see."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from wardtrack.contacts.models import Contact, is_counted
from wardtrack.core.errors import Invalid
from wardtrack.core.pagination import decode_cursor, page
from wardtrack.core.time import iso_z, utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional
from wardtrack.patients.queries import key_people


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
    """A page of contacts, newest first (ties by id), optionally within [since, until); retracted ones too,
    with their status."""
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
    """Key people plus the professionals seen most in the window, with counts and first and last contact."""
    counted = (sa.select(Contact.professional_id, sa.func.count().label("contacts"),
                         sa.func.min(Contact.occurred_at).label("first_contact_at"),
                         sa.func.max(Contact.occurred_at).label("last_contact_at"))
               .where(Contact.patient_id == patient_id, is_counted(),
                      Contact.occurred_at >= utcnow() - timedelta(days=days))
               .group_by(Contact.professional_id).subquery())
    rows = db.session.execute(
        sa.select(Professional, counted.c.contacts, counted.c.first_contact_at, counted.c.last_contact_at)
        .join(counted, counted.c.professional_id == Professional.id)
        .order_by(counted.c.contacts.desc(), counted.c.last_contact_at.desc()).limit(25))
    seen = [{"professional": p, "contacts": n, "first_contact_at": first, "last_contact_at": last}
            for p, n, first, last in rows]
    return {"window_days": days, "key_people": key_people(patient_id), "professionals": seen}


# The timeline draws one mark per contact; beyond this many in one window it shows the newest and says so.
TIMELINE_MAX_CONTACTS = 5000


def timeline(patient_id: int, days: int, now: datetime | None = None) -> dict:
    """Per professional, the times of the patient's contacts over the last `days` days, for the timeline.

    Two statements on the (patient_id, ...) indexes: the window's contacts (newest first, capped) and which
    of their professionals the patient had met before the window, so that new faces can be told apart.
    Professionals come in order of their first contact in the window.
    """
    until = now or utcnow()
    since = until - timedelta(days=days)
    rows = db.session.execute(
        sa.select(Contact.occurred_at, Contact.professional_id, Professional.name, Professional.profession)
        .join(Professional, Professional.id == Contact.professional_id)
        .where(Contact.patient_id == patient_id, is_counted(), Contact.occurred_at >= since,
               Contact.occurred_at <= until)
        .order_by(Contact.occurred_at.desc(), Contact.id.desc()).limit(TIMELINE_MAX_CONTACTS + 1)).all()
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
