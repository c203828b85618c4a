"""The patient's suggested changes to their crisis plan over HTTP: sent from the phone, read and
answered by staff.

Every read decrypts and is audited as a read of the crisis plan (so it shows in the patient's access
log); every write is audited in the same commit.
"""

import sqlalchemy as sa
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from wardtrack.access.queries import get_patient
from wardtrack.access.reach import patient_reach
from wardtrack.audit.operations import record
from wardtrack.auth.access import current_user, require
from wardtrack.auth.models import STAFF
from wardtrack.core.errors import NotFound
from wardtrack.core.pagination import PageArgs, page_schema
from wardtrack.core.schemas import StrictSchema, Text, UtcDateTime, problem_doc
from wardtrack.crisisplans import envelope, suggestions
from wardtrack.crisisplans.schemas import PlanContentSchema
from wardtrack.extensions import db
from wardtrack.patients.models import Patient

blp = Blueprint("crisisplan_suggestions", __name__, url_prefix="/api/v1",
                description="The patient's suggested changes to their crisis plan (encrypted)")
WRITERS = ("nurse", "team_leader")
#: The plan's sections a suggestion may name (the plan body's own field names).
SECTIONS = tuple(PlanContentSchema().fields)


class SuggestionBodySchema(StrictSchema):
    text = Text(2000, multiline=True, required=True)
    section = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.OneOf(SECTIONS),
        metadata={"description": "The plan section it is about (a plan body field name)"},
    )


class SuggestionSchema(Schema):
    id = fields.Integer()
    created_at = UtcDateTime()
    section = fields.String(allow_none=True)
    text = fields.String(
        allow_none=True, metadata={"description": "null when the stored text does not decrypt"}
    )
    status = fields.String(metadata={"enum": list(suggestions.STATUSES)})
    answered_version = fields.Integer(allow_none=True)
    answered_at = UtcDateTime(allow_none=True)


class SuggestionListArgs(PageArgs):
    status = fields.String(load_default=None, validate=validate.OneOf(suggestions.STATUSES))


class AnswerBodySchema(StrictSchema):
    version = fields.Integer(
        strict=True, required=True, validate=validate.Range(min=1, max=2**31 - 1)
    )


_PAGE = page_schema(SuggestionSchema, "CrisisPlanSuggestionPage")


def _own_patient_id() -> int:
    user = current_user()
    if user.patient_id is None:
        raise NotFound("This account is not linked to a patient record.")
    return user.patient_id


def _listed(patient_id: int, args: dict) -> dict:
    """A decrypted page, audited as a read of the plan in the same commit."""
    result = suggestions.suggestions(patient_id, args["limit"], args["cursor"], args.get("status"))
    record("crisis_plan.read", patient_id=patient_id, object_type="crisis_plan_suggestions",
           object_id=patient_id)
    db.session.commit()
    return result


@blp.post("/me/crisis-plan/suggestions")
@require("patient")
@blp.arguments(SuggestionBodySchema)
@blp.response(201, SuggestionSchema)
@blp.alt_response(422, **problem_doc("No text, or an unknown section"))
def suggest(body):
    """Send a suggested change to my crisis plan (patients only); the staff answer it with a new
    version."""
    row = suggestions.suggest(current_user(), _own_patient_id(), body["text"], body["section"])
    view = {**suggestions.view(envelope.keyring(), row), "text": body["text"]}
    db.session.commit()
    return view


@blp.get("/me/crisis-plan/suggestions")
@require("patient")
@blp.arguments(SuggestionListArgs, location="query")
@blp.response(200, _PAGE)
def my_suggestions(args):
    """My suggestions, newest first, with whether and by which version they were answered."""
    return _listed(_own_patient_id(), args)


@blp.get("/patients/<int:patient_id>/crisis-plan/suggestions")
@require(*STAFF)
@blp.arguments(SuggestionListArgs, location="query")
@blp.response(200, _PAGE)
@blp.alt_response(404, **problem_doc("No such patient within reach"))
def patient_suggestions(args, patient_id):
    """The patient's suggestions, newest first (`?status=open` for those still to answer); an
    audited read."""
    patient = get_patient(current_user(), patient_id)
    return _listed(patient.id, args)


@blp.post("/patients/<int:patient_id>/crisis-plan/suggestions/<int:suggestion_id>/answer")
@require(*WRITERS)
@blp.arguments(AnswerBodySchema)
@blp.response(200, SuggestionSchema)
@blp.alt_response(404, **problem_doc("No such patient on your wards, or no such suggestion"))
@blp.alt_response(409, **problem_doc("Already answered by another version"))
@blp.alt_response(422, **problem_doc("No such version, or one written before the suggestion"))
def answer(body, suggestion_id, patient_id):
    """Mark a suggestion answered by the plan version (`version`) written for it."""
    user = current_user()
    # Writing needs the ward's reach; an emergency (break-the-glass) grant is for reading.
    patient = db.session.scalar(
        sa.select(Patient.id).where(
            Patient.id == patient_id, patient_reach(user, Patient.id, grants=False)
        )
    )
    if patient is None:
        raise NotFound(f"No patient {patient_id} on your wards.")
    view = suggestions.view(
        envelope.keyring(), suggestions.answer(user, patient_id, suggestion_id, body["version"])
    )
    db.session.commit()
    return view
