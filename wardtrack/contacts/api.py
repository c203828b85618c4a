"""Contacts: recording (single and batch), a patient's list, and relationships."""

from flask import current_app
from flask_smorest import Blueprint

from wardtrack.access.api import audited_read, audited_ward_read
from wardtrack.auth.access import current_caller, require
from wardtrack.auth.models import STAFF
from wardtrack.contacts import operations, queries
from wardtrack.contacts.schemas import (
    BatchResponseSchema,
    ContactBatchSchema,
    ContactQuery,
    ContactSchema,
    RelationshipQuery,
    RelationshipsSchema,
    RetractSchema,
    TimelineQuery,
    TimelineSchema,
)
from wardtrack.core import metrics
from wardtrack.core.pagination import page_schema
from wardtrack.core.schemas import problem_doc
from wardtrack.extensions import db
from wardtrack.patients.schemas import PatientBrief, WardPatientsQuery

blp = Blueprint(
    "contacts", __name__, url_prefix="/api/v1", description="Contacts and relationships"
)
_CONTACT = ContactSchema()


@blp.post("/contacts")
@require(*STAFF)
@blp.arguments(_CONTACT)
@blp.response(201, ContactSchema)
@blp.alt_response(
    200, schema=ContactSchema, description="Resent with the same body: the stored contact"
)
@blp.alt_response(409, **problem_doc("client_id already used for a different contact"))
def create_contact(body):
    """Record a contact; safe to resend with the same client_id."""
    contact, status = operations.record_contact(current_caller(), body)
    db.session.commit()
    if status == 201:
        metrics.CONTACTS.labels("single").inc()
    return current_app.response_class(  # the status depends on whether the row was new
        _CONTACT.dumps(contact), status=status, mimetype="application/json")


@blp.post("/contacts/batch")
@require(*STAFF)
@blp.arguments(ContactBatchSchema)
@blp.response(200, BatchResponseSchema)
def create_contacts(body):
    """Record up to 500 contacts (an offline phone's outbox); each item stands or falls alone."""
    results = operations.record_batch(current_caller(), body["contacts"])
    db.session.commit()
    metrics.BATCH_SIZE.observe(len(results))
    metrics.CONTACTS.labels("batch").inc(sum(1 for result in results if result["status"] == 201))
    return {"results": results}


@blp.post("/contacts/<int:contact_id>/retract")
@require(*STAFF)
@blp.arguments(RetractSchema)
@blp.response(200, ContactSchema)
@blp.alt_response(403, **problem_doc("Neither the contact's author nor a team leader of its ward"))
@blp.alt_response(404, **problem_doc("No such contact within reach"))
def retract_contact(body, contact_id):
    """Mark a contact entered in error (its author, or a team leader of its ward): it stays in the
    list with `status: entered_in_error` and counts in no measure or flag; the patient is
    recomputed. Idempotent."""
    contact = operations.retract_contact(current_caller(), contact_id, body["reason"])
    db.session.commit()
    return contact


@blp.get("/patients/<int:patient_id>/contacts")
@require(*STAFF)
@blp.arguments(ContactQuery, location="query")
@blp.response(200, page_schema(ContactSchema, "ContactPage"))
def patient_contacts(args, patient_id):
    """The patient's contacts, newest first; `since` and `until` bound the time."""
    return audited_read("contacts.read", patient_id, queries.patient_contacts, **args)


@blp.get("/patients/<int:patient_id>/relationships")
@require(*STAFF)
@blp.arguments(RelationshipQuery, location="query")
@blp.response(200, RelationshipsSchema)
def relationships(args, patient_id):
    """Key people plus the professionals the patient has seen most, with counts and last contact."""
    return audited_read("relationships.read", patient_id, queries.relationships, args["days"])


@blp.get("/patients/<int:patient_id>/timeline")
@require(*STAFF)
@blp.arguments(TimelineQuery, location="query")
@blp.response(200, TimelineSchema)
@blp.alt_response(404, **problem_doc("No such patient within reach"))
def timeline(args, patient_id):
    """The relationship timeline: per professional, the times of the contacts in the last `days`
    days.

    One request for the patient page's picture instead of paging through the contact list; audited
    as a read of the contacts.
    """
    return audited_read("contacts.read", patient_id, queries.timeline, args["days"])


@blp.get("/wards/<int:ward_id>/patients")
@require(*STAFF)
@blp.arguments(WardPatientsQuery, location="query")
@blp.response(200, page_schema(PatientBrief, "WardPatientPage"))
def ward_patients(args, ward_id):
    """Patients with an active episode on the ward, by name or (`order=recent`) most recently seen
    there first; `q` searches names."""
    return audited_ward_read("ward.patients.list", ward_id, queries.ward_patients, **args)
