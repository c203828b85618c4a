"""Check-ins: the patient makes, lists and re-shares their own; staff read those shared with
them (audited); the ward sees anonymous figures by week."""

from flask_smorest import Blueprint

from wardtrack.access.api import audited_read, audited_ward_read
from wardtrack.auth.access import current_user, require
from wardtrack.auth.models import STAFF
from wardtrack.checkins import operations, queries
from wardtrack.checkins.schemas import (
    CheckInBodySchema,
    CheckInPageSchema,
    CheckInSchema,
    DueListSchema,
    PeopleSchema,
    ShareBodySchema,
    SummarySchema,
)
from wardtrack.checkins.summary import ward_summary
from wardtrack.core.pagination import PageArgs
from wardtrack.core.schemas import problem_doc
from wardtrack.extensions import db

blp = Blueprint("checkins", __name__, url_prefix="/api/v1",
                description="Relationship and life-and-care check-ins")
_NOT_FOUND = problem_doc("Not found, or not within your reach")


def _committed(check_in):
    """The check-in's view, built before the request's commit so that nothing loads again."""
    result = queries.view(check_in)
    db.session.commit()
    return result


@blp.get("/me/check-ins/due")
@require("patient")
@blp.response(200, DueListSchema)
def my_due():
    """The check-ins the patient is asked for now (key people not rated lately, life and care)."""
    return {"items": queries.due(current_user().patient_id)}


@blp.get("/me/check-ins/people")
@require("patient")
@blp.response(200, PeopleSchema)
def my_people():
    """Whom the patient may rate: key people first, then every professional they have met."""
    return {"items": queries.people(current_user().patient_id)}


@blp.post("/me/check-ins")
@require("patient")
@blp.arguments(CheckInBodySchema)
@blp.response(201, CheckInSchema)
@blp.alt_response(200, schema=CheckInSchema, description="Sent again: the check-in stored before")
@blp.alt_response(409, **problem_doc("The client_id was used for another check-in"))
def create_check_in(body):
    """Make a check-in; `share` defaults to `team_leader`. With a `client_id`, a resend is stored
    once."""
    user = current_user()
    check_in, status = operations.create(user, user.patient_id, body)
    return _committed(check_in), status


@blp.get("/me/check-ins")
@require("patient")
@blp.arguments(PageArgs, location="query")
@blp.response(200, CheckInPageSchema)
def my_check_ins(args):
    """The patient's own check-ins, newest first."""
    return audited_read("check_ins.read", current_user().patient_id, queries.check_ins,
                        args["limit"], args["cursor"])


@blp.patch("/me/check-ins/<int:check_in_id>")
@require("patient")
@blp.arguments(ShareBodySchema)
@blp.response(200, CheckInSchema)
@blp.alt_response(404, **_NOT_FOUND)
def share_check_in(body, check_in_id):
    """Change who reads one of the patient's own check-ins."""
    user = current_user()
    return _committed(operations.set_share(user, queries.get_own(user, check_in_id), body["share"]))


@blp.get("/patients/<int:patient_id>/check-ins")
@require(*STAFF)
@blp.arguments(PageArgs, location="query")
@blp.response(200, CheckInPageSchema)
@blp.alt_response(404, **_NOT_FOUND)
def patient_check_ins(args, patient_id):
    """The patient's check-ins the caller may see by the patient's sharing choice; audited."""
    condition = queries.visible_to(current_user())
    return audited_read("check_ins.read", patient_id, queries.check_ins, args["limit"],
                        args["cursor"], condition)


@blp.get("/wards/<int:ward_id>/check-in-summary")
@require(*STAFF)
@blp.response(200, SummarySchema)
@blp.alt_response(403, **problem_doc("Not a ward of yours"))
@blp.alt_response(404, **problem_doc("No such ward"))
def check_in_summary(ward_id):
    """Anonymous means by ISO week over the last 52 weeks; small weeks are suppressed."""
    return audited_ward_read("ward.check_ins.summary", ward_id, ward_summary)
