"""Recording contacts exactly once, however often an offline phone sends them."""

import functools
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from marshmallow import ValidationError

from wardtrack.audit.operations import record
from wardtrack.auth.access import reach_condition, reach_params
from wardtrack.contacts.models import Contact
from wardtrack.contacts.schemas import ContactSchema
from wardtrack.core.db import conflict_insert
from wardtrack.core.errors import Conflict, DomainError, Invalid, NotFound
from wardtrack.core.signals import patient_changed
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional, Ward
from wardtrack.patients.models import Episode, Patient

_COMPARED = ("patient_id", "professional_id", "occurred_at", "kind", "duration_minutes")
_COLUMNS = ("client_id", "patient_id", "professional_id", "ward_id", "kind", "occurred_at", "duration_minutes",
            "received_at", "logged_by")
# Contacts arrive in bursts from phones that were offline: the statements are built once and run with
# parameters, and the usual case is a single guarded INSERT.
_EXISTS = sa.select(sa.literal(True))
_BY_CLIENT_ID = sa.select(Contact).where(Contact.client_id == sa.bindparam("client_id"))
_DEFAULT_WARD = (
    sa.select(Episode.ward_id)
    .where(Episode.patient_id == sa.bindparam("patient_id"), Episode.started_at <= sa.bindparam("occurred_at"),
           sa.or_(Episode.ended_at.is_(None), Episode.ended_at >= sa.bindparam("occurred_at")))
    .order_by(Episode.kind, Episode.started_at.desc()).limit(1)
)


def _guards(role: str, with_ward: bool) -> tuple:
    """The patient is within reach; the professional and the ward (when given) exist."""
    return (
        _EXISTS.where(Patient.id == sa.bindparam("patient_id"), reach_condition(role, Patient.id)).exists(),
        _EXISTS.where(Professional.id == sa.bindparam("professional_id")).exists(),
        _EXISTS.where(Ward.id == sa.bindparam("ward_id")).exists() if with_ward else sa.true(),
    )


@functools.cache
def _check_statement(role: str, with_ward: bool):
    return sa.select(*_guards(role, with_ward))


@functools.cache
def _insert_statement(dialect: str, role: str, with_ward: bool):
    """INSERT … SELECT … WHERE <guards> ON CONFLICT (client_id) DO NOTHING RETURNING id."""
    table = Contact.__table__
    values = sa.select(*(sa.bindparam(name, type_=table.c[name].type) for name in _COLUMNS))
    return (conflict_insert(dialect, table)
            .from_select(_COLUMNS, values.where(*_guards(role, with_ward)))
            .on_conflict_do_nothing(index_elements=["client_id"]).returning(table.c.id))


def _check(actor, data: dict) -> None:
    """404 for a patient out of reach; 422 naming the field for a missing professional or ward."""
    found = db.session.execute(_check_statement(actor.role, data["ward_id"] is not None),
                               {**reach_params(actor), **data}).one()
    if not found[0]:
        raise NotFound(f"No patient {data['patient_id']} within your reach.")
    if not found[1]:
        raise Invalid("professional_id", f"No such professional: {data['professional_id']}.")
    if not found[2]:
        raise Invalid("ward_id", f"No such ward: {data['ward_id']}.")


def _same(stored: Contact, data: dict) -> bool:
    if data["ward_id"] is not None and data["ward_id"] != stored.ward_id:
        return False
    return all(getattr(stored, name) == data[name] for name in _COMPARED)


def record_contact(actor, data: dict) -> tuple[dict | Contact, int]:
    """Store a contact once per client_id: (contact, 201) when new, (stored, 200) when resent unchanged.

    The insert relies on the database's own ON CONFLICT handling, so that two copies racing from two
    workers still make one row; a resend with a different body is a 409. Without a ward_id the contact
    belongs to the ward of the patient's episode at that time.
    """
    now = utcnow()
    if data["occurred_at"] > now + timedelta(seconds=current_app.config["CONTACT_CLOCK_SKEW_SECONDS"]):
        raise Invalid("occurred_at", "Must not be in the future.")
    connection = db.session.connection()  # Core statements only: the ORM's per-statement work is not needed here
    values = {**data, "received_at": now, "logged_by": actor.id}
    if values["ward_id"] is None:
        values["ward_id"] = connection.execute(_DEFAULT_WARD, data).scalar()
    insert = _insert_statement(connection.dialect.name, actor.role, values["ward_id"] is not None)
    new_id = connection.execute(insert, {**reach_params(actor), **values}).scalar()
    if new_id is None:  # a guard failed, or the client_id is taken
        _check(actor, values)
        stored = db.session.execute(_BY_CLIENT_ID, data).scalar()
        if not _same(stored, data):
            raise Conflict("This client_id was already used for a different contact.")
        return stored, 200
    record("contact.create", patient_id=data["patient_id"], object_type="contact", object_id=new_id)
    patient_changed.send(current_app._get_current_object(), patient_id=data["patient_id"])
    return {**values, "id": new_id}, 201


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
