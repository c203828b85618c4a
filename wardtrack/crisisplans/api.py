"""Crisis plans over HTTP: write a version, read the latest (audited), list versions, the patient's
own."""

import json

from flask import request
from flask_smorest import Blueprint

from wardtrack.access.api import audited_read
from wardtrack.access.queries import get_patient
from wardtrack.audit.operations import record
from wardtrack.auth.access import current_user, require
from wardtrack.auth.models import STAFF
from wardtrack.core.errors import NotFound, problem
from wardtrack.core.pagination import PageArgs, page_schema
from wardtrack.core.schemas import problem_doc
from wardtrack.crisisplans import envelope, operations, queries
from wardtrack.crisisplans.schemas import (
    PlanBodySchema,
    PlanContentSchema,
    PlanSchema,
    VersionSchema,
)
from wardtrack.extensions import db

blp = Blueprint(
    "crisisplans", __name__, url_prefix="/api/v1", description="Crisis plans (encrypted, versioned)"
)
WRITERS = ("nurse", "team_leader")
_UNREADABLE = problem_doc("The stored version does not decrypt (missing key or altered row)")
_CONTENT = PlanContentSchema()
_ETAG = {
    "ETag": {
        "description": "The version's entity tag; send it back as If-Match with the next PUT",
        "schema": {"type": "string"},
    }
}
_IF_MATCH = {
    "parameters": [
        {
            "in": "header",
            "name": "If-Match",
            "required": False,
            "schema": {"type": "string"},
            "description": "The ETag of the latest version; required once a version exists",
        }
    ]
}


def _read(row) -> tuple[dict, dict]:
    """Decrypt a version and audit the read, committing both; the body and its ETag header."""
    view = queries.plan_view(envelope.keyring(), row)
    record(
        "crisis_plan.read", patient_id=row.patient_id, object_type="crisis_plan", object_id=row.id
    )
    db.session.commit()
    return view, {"ETag": f'"{queries.etag(row)}"'}


def _stale(patient_id: int, error):
    """412 naming the latest version (who and when, no content) and its ETag, so that the writer can
    fetch it, compare it with their own and merge; nothing is decrypted or stored."""
    db.session.rollback()
    response = problem(412, error.detail)
    row = queries.latest(patient_id)
    if row is not None:
        body = response.get_json()
        body["latest"] = VersionSchema().dump(queries.version_view(row))
        response.set_data(json.dumps(body))
        response.headers["ETag"] = f'"{queries.etag(row)}"'
    return response


@blp.put("/patients/<int:patient_id>/crisis-plan")
@require(*WRITERS)
@blp.arguments(PlanBodySchema)
@blp.response(201, PlanSchema, headers=_ETAG)
@blp.doc(**_IF_MATCH)
@blp.alt_response(404, **problem_doc("No such patient within reach"))
@blp.alt_response(
    412,
    **problem_doc(
        "If-Match names an older version; `latest` (version, created_at, created_by) "
        "and the ETag header name the newest one"
    ),
)
@blp.alt_response(428, **problem_doc("If-Match is required once a version exists"))
def put_plan(body, patient_id):
    """Write a new version of the patient's crisis plan; send If-Match with the latest ETag once one
    exists."""
    patient = get_patient(current_user(), patient_id)
    try:
        row = operations.write_version(
            current_user(), patient.id, body, _CONTENT.dump(body), _if_match()
        )
    except operations.PreconditionFailed as error:
        return _stale(patient.id, error)
    db.session.commit()
    view = {**body, **queries.version_view(row)}
    return view, {"ETag": f'"{queries.etag(row)}"'}


@blp.get("/patients/<int:patient_id>/crisis-plan")
@require(*STAFF)
@blp.response(200, PlanSchema, headers=_ETAG)
@blp.alt_response(404, **problem_doc("No such patient within reach, or no plan yet"))
@blp.alt_response(409, **_UNREADABLE)
def get_plan(patient_id):
    """The latest version, decrypted, with its ETag; every read is an audit event."""
    patient = get_patient(current_user(), patient_id)
    return _read(queries.latest_or_404(patient.id))


@blp.get("/patients/<int:patient_id>/crisis-plan/versions")
@require(*STAFF)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(VersionSchema, "CrisisPlanVersionPage"))
@blp.alt_response(404, **problem_doc("No such patient within reach"))
def list_versions(args, patient_id):
    """The plan's versions, newest first, without content (nothing is decrypted)."""
    return audited_read(
        "crisis_plan.versions.read", patient_id, queries.versions, args["limit"], args["cursor"]
    )


@blp.get("/me/crisis-plan")
@require("patient")
@blp.response(200, PlanSchema, headers=_ETAG)
@blp.alt_response(404, **problem_doc("No plan yet"))
@blp.alt_response(409, **_UNREADABLE)
def my_plan():
    """The caller's own latest crisis plan (patients only); audited like a staff read."""
    user = current_user()
    if user.patient_id is None:
        raise NotFound("No crisis plan has been written for you yet.")
    return _read(queries.latest_or_404(user.patient_id))


def _if_match():
    """The request's If-Match header, parsed; None when it sent none."""
    return request.if_match if request.headers.get("If-Match") else None
