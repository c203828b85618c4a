"""Recording contacts exactly once, however often an offline phone sends them."""

import functools
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from marshmallow import ValidationError

from wardtrack.access.reach import reach_condition, reach_params
from wardtrack.audit.operations import record
from wardtrack.auth.models import UserWard
from wardtrack.contacts.models import ENTERED_IN_ERROR, RECORDED, Contact
from wardtrack.contacts.schemas import ContactSchema
from wardtrack.core.db import conflict_insert
from wardtrack.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from wardtrack.core.signals import send_patient_changed
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional, Ward
from wardtrack.patients.models import Episode, Patient
from wardtrack.patients.queries import current_first

_NOT_RETRACTED = {
    "status": RECORDED,
    "retracted_at": None,
    "retracted_by": None,
    "retraction_reason": None,
}
_COMPARED = ("patient_id", "professional_id", "occurred_at", "kind", "duration_minutes")
_COLUMNS = ("client_id", "patient_id", "professional_id", "ward_id", "kind", "occurred_at",
            "duration_minutes", "received_at", "logged_by")
# Contacts arrive in bursts from phones that were offline: the statements are built once and run
# with parameters, and the usual case is a single guarded INSERT.
_EXISTS = sa.select(sa.literal(True))
_BY_CLIENT_ID = sa.select(Contact).where(Contact.client_id == sa.bindparam("client_id"))
_DEFAULT_WARD = (
    sa.select(Episode.ward_id)
    .where(Episode.patient_id == sa.bindparam("patient_id"),
           Episode.started_at <= sa.bindparam("occurred_at"),
           sa.or_(Episode.ended_at.is_(None), Episode.ended_at >= sa.bindparam("occurred_at")))
    .order_by(*current_first())
    .limit(1)
)


#: Without a ward, a contact logged further back than this needs confirm_backdated (wards set their
#: own).
DEFAULT_BACKDATE_HOURS = 72
# The start of the patient's current episode (an admission before an enrolment, the latest first),
# if any.
_EPISODE_START = (
    sa.select(Episode.started_at)
    .where(Episode.patient_id == sa.bindparam("patient_id"), Episode.ended_at.is_(None))
    .order_by(*current_first()).limit(1).scalar_subquery()
)


def _guards(role: str, with_ward: bool) -> tuple:
    """The patient is within reach; the professional and the ward (when given) exist."""
    return (
        _EXISTS.where(
            Patient.id == sa.bindparam("patient_id"), reach_condition(role, Patient.id)
        ).exists(),
        _EXISTS.where(Professional.id == sa.bindparam("professional_id")).exists(),
        _EXISTS.where(Ward.id == sa.bindparam("ward_id")).exists() if with_ward else sa.true(),
    )


def _time_guards(with_ward: bool) -> tuple:
    """Not before the patient's current episode; not further back than the ward allows
    (hours_back)."""
    occurred = sa.bindparam("occurred_at", type_=Contact.__table__.c.occurred_at.type)
    hours = sa.bindparam("hours_back", type_=sa.Float())
    return (
        sa.func.coalesce(_EPISODE_START, occurred) <= occurred,
        _EXISTS.where(
            Ward.id == sa.bindparam("ward_id"), Ward.contact_backdate_hours >= hours
        ).exists()
        if with_ward
        else hours <= DEFAULT_BACKDATE_HOURS,
    )


def _all_guards(role: str, with_ward: bool, checked: bool) -> tuple:
    return _guards(role, with_ward) + (_time_guards(with_ward) if checked else ())


@functools.cache
def _check_statement(role: str, with_ward: bool):
    return sa.select(*_guards(role, with_ward), *_time_guards(with_ward))


@functools.cache
def _insert_statement(dialect: str, role: str, with_ward: bool, checked: bool):
    """INSERT … SELECT … WHERE <guards> ON CONFLICT (client_id) DO NOTHING RETURNING id.

    `checked`: the time guards too (a body without confirm_backdated).
    """
    table = Contact.__table__
    values = sa.select(*(sa.bindparam(name, type_=table.c[name].type) for name in _COLUMNS))
    return (conflict_insert(dialect, table)
            .from_select(_COLUMNS, values.where(*_all_guards(role, with_ward, checked)))
            .on_conflict_do_nothing(index_elements=["client_id"]).returning(table.c.id))


def _check(actor, data: dict) -> tuple[bool, bool]:
    """404 for a patient out of reach; 422 naming the field for a missing professional or ward.

    Returns whether the time guards hold: (not before the current episode, not too far back).
    """
    found = db.session.execute(_check_statement(actor.role, data["ward_id"] is not None),
                               {**reach_params(actor), **data}).one()
    if not found[0]:
        raise NotFound(f"No patient {data['patient_id']} within your reach.")
    if not found[1]:
        raise Invalid("professional_id", f"No such professional: {data['professional_id']}.")
    if not found[2]:
        raise Invalid("ward_id", f"No such ward: {data['ward_id']}.")
    return bool(found[3]), bool(found[4])


def _backdated(in_episode: bool, recent: bool) -> Invalid:
    if not in_episode:
        return Invalid(
            "occurred_at",
            "Before the patient's current episode began: if this time is right, "
            "send it again with confirm_backdated: true.",
        )
    return Invalid(
        "occurred_at",
        "Further back than this ward allows without a confirmation: if this time "
        "is right, send it again with confirm_backdated: true.",
    )


def _same(stored: Contact, data: dict) -> bool:
    if data["ward_id"] is not None and data["ward_id"] != stored.ward_id:
        return False
    return all(getattr(stored, name) == data[name] for name in _COMPARED)


def record_contact(actor, data: dict) -> tuple[dict | Contact, int]:
    """Store a contact once per client_id: (contact, 201) when new, (stored, 200) when resent
    unchanged.

    The insert relies on the database's own ON CONFLICT handling, so that two copies racing from two
    workers still make one row; a resend with a different body is a 409, a resend of a retracted
    contact gives it back retracted. Without a ward_id the contact belongs to the ward of the
    patient's episode at that time. A new contact before the patient's current episode, or further
    back than the ward's contact_backdate_hours, is refused (422 naming occurred_at) unless the body
    says confirm_backdated.
    """
    now = utcnow()
    if data["occurred_at"] > now + timedelta(
        seconds=current_app.config["CONTACT_CLOCK_SKEW_SECONDS"]
    ):
        raise Invalid("occurred_at", "Must not be in the future.")
    # Core statements only: the ORM's per-statement work is not needed here
    connection = db.session.connection()
    # How far back the nurse went: from when the device recorded it, not from when the network came
    # back.
    recorded = min(now, max(data.pop("recorded_at", None) or now, data["occurred_at"]))
    data = {**data, "hours_back": (recorded - data["occurred_at"]).total_seconds() / 3600}
    checked = not data.pop("confirm_backdated", False)
    values = {**data, "received_at": now, "logged_by": actor.id}
    if values["ward_id"] is None:
        values["ward_id"] = connection.execute(_DEFAULT_WARD, data).scalar()
    insert = _insert_statement(
        connection.dialect.name, actor.role, values["ward_id"] is not None, checked
    )
    new_id = connection.execute(insert, {**reach_params(actor), **values}).scalar()
    if new_id is None:  # a guard failed, or the client_id is taken
        in_episode, recent = _check(actor, values)
        stored = db.session.execute(_BY_CLIENT_ID, data).scalar()
        if stored is None:
            raise _backdated(in_episode, recent)
        if not _same(stored, data):
            raise Conflict("This client_id was already used for a different contact.")
        return stored, 200
    record("contact.create", patient_id=data["patient_id"], object_type="contact", object_id=new_id)
    send_patient_changed(data["patient_id"])
    return {**values, "id": new_id, **_NOT_RETRACTED}, 201


def record_batch(actor, items: list) -> list[dict]:
    """Record each contact in its own savepoint, so that each stands or falls alone."""
    schema, results = ContactSchema(), []
    for item in items:
        # Echo the client's own string so that the phone can match results to its outbox.
        client_id = item.get("client_id") if isinstance(item, dict) else None
        result = {"client_id": client_id if isinstance(client_id, str) else None}
        try:
            data = schema.load(item)
            with db.session.begin_nested():
                contact, status = record_contact(actor, data)
            result.update(status=status, contact=contact)
        except ValidationError as error:
            result.update(status=422, errors=error.messages)
        except DomainError as error:
            result.update(status=error.status, errors=error.errors or {"detail": [error.detail]})
        results.append(result)
    return results


def _may_retract(actor, contact: Contact) -> bool:
    """The author, or a team leader of the contact's ward (of any of their wards when it has
    none)."""
    if contact.logged_by == actor.id:
        return True
    if actor.role != "team_leader":
        return False
    wards = sa.select(UserWard.ward_id).where(UserWard.user_id == actor.id)
    if contact.ward_id is not None:
        wards = wards.where(UserWard.ward_id == contact.ward_id)
    return db.session.execute(wards.limit(1)).first() is not None


def retract_contact(actor, contact_id: int, reason: str) -> Contact:
    """Mark a contact entered in error: it stays in history but counts in no measure, flag or
    reminder.

    404 when its patient is out of reach, 403 for anyone but its author or a team leader of its
    ward. Retracting it again changes nothing. The patient is recomputed as after a new contact;
    audited.
    """
    contact = db.session.scalar(
        sa.select(Contact).where(
            Contact.id == contact_id,
            reach_condition(actor.role, Contact.patient_id, reach_params(actor)),
        )
    )
    if contact is None:
        raise NotFound(f"No contact {contact_id} within your reach.")
    if not _may_retract(actor, contact):
        raise Forbidden(
            "Only the person who logged this contact or a team leader of its ward may retract it."
        )
    # Guarded by the status, so that two retractions at once make one change and one audit event.
    changed = db.session.execute(
        sa.update(Contact)
        .where(Contact.id == contact.id, Contact.status == RECORDED)
        .values(status=ENTERED_IN_ERROR, retracted_at=utcnow(), retracted_by=actor.id,
                retraction_reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(contact)
    if not changed:
        return contact
    record("contact.retract", patient_id=contact.patient_id, object_type="contact",
           object_id=contact.id)
    send_patient_changed(contact.patient_id)
    return contact
