"""Break-the-glass endpoints and the patient's access log.

They live in `patients` because they need patients, episodes and professionals; the grant model
and the reach rule that honours grants live in `auth`, which may not import those.
"""

from flask_smorest import Blueprint

from wardtrack.audit.operations import record
from wardtrack.auth.access import current_user, require
from wardtrack.auth.models import LEADERS
from wardtrack.core.pagination import PageArgs, page_schema
from wardtrack.core.schemas import problem_doc
from wardtrack.extensions import db
from wardtrack.patients import emergency
from wardtrack.patients.access_log import access_log
from wardtrack.patients.emergency_schemas import (
    AccessLogItem,
    EmergencyAccessQuery,
    EmergencyAccessRequest,
    EmergencyAccessSchema,
    EmergencyReviewRequest,
)

blp = Blueprint("emergency_access", __name__, url_prefix="/api/v1",
                description="Break-the-glass emergency access and the patient's access log")


@blp.post("/patients/<int:patient_id>/emergency-access")
@require("nurse", "team_leader")
@blp.arguments(EmergencyAccessRequest)
@blp.response(201, EmergencyAccessSchema)
@blp.alt_response(404, **problem_doc("No such patient"))
@blp.alt_response(409, **problem_doc("The patient is already within your reach"))
def grant_emergency_access(body, patient_id):
    """Open a patient outside your wards for a few hours (EMERGENCY_ACCESS_HOURS) by giving a reason.

    The reason is shown to the patient in their access log and to the ward's team leader for review.
    """
    access = emergency.grant(current_user(), patient_id, body["reason"])
    view = emergency.grant_view(access)
    db.session.commit()
    return view


@blp.get("/emergency-access")
@require(*LEADERS)
@blp.arguments(EmergencyAccessQuery, location="query")
@blp.response(200, page_schema(EmergencyAccessSchema, "EmergencyAccessPage"))
@blp.alt_response(403, **problem_doc("Only team leaders and admins review emergency access"))
def list_emergency_access(args):
    """Emergency accesses to review, for patients of your wards (team leaders) or all (admins), and admissions
    of patients from your wards by another ward's team leader without reach; newest first."""
    result = emergency.for_review(current_user(), **args)
    record("emergency_access.list", object_type="emergency_access")
    db.session.commit()
    return result


@blp.post("/emergency-access/<int:access_id>/review")
@require(*LEADERS)
@blp.arguments(EmergencyReviewRequest)
@blp.response(200, EmergencyAccessSchema)
@blp.alt_response(404, **problem_doc("No such emergency access for you to review"))
@blp.alt_response(409, **problem_doc("Already reviewed"))
def review_emergency_access(body, access_id):
    """Mark an emergency access as reviewed, with a note."""
    access = emergency.review(current_user(), access_id, body["note"])
    view = emergency.grant_view(access)
    db.session.commit()
    return view


@blp.post("/outside-admissions/<int:admission_id>/review")
@require(*LEADERS)
@blp.arguments(EmergencyReviewRequest)
@blp.response(200, EmergencyAccessSchema)
@blp.alt_response(404, **problem_doc("No such outside admission for you to review"))
@blp.alt_response(409, **problem_doc("Already reviewed"))
def review_outside_admission(body, admission_id):
    """Mark an admission of a patient from outside the admitter's reach as reviewed, with a note."""
    admission = emergency.review_admission(current_user(), admission_id, body["note"])
    view = emergency.admission_view(admission)
    db.session.commit()
    return view


@blp.get("/me/access-log")
@require("patient")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(AccessLogItem, "AccessLogPage"))
@blp.alt_response(403, **problem_doc("Only for patients"))
def my_access_log(args):
    """Who read my record and crisis plan, and who opened it in an emergency and why; newest first."""
    user = current_user()
    result = access_log(user, **args)
    record("access_log.read", patient_id=user.patient_id, object_type="patient", object_id=user.patient_id)
    db.session.commit()
    return result
