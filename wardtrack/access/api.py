"""The patient endpoints, which open through reach: patients, episodes (admitting is decided here),
key people and the patient's own safety person; and break-the-glass grants, their review, and the
access log."""

from flask.views import MethodView
from flask_smorest import Blueprint

from wardtrack.access import operations, queries
from wardtrack.access.schemas import (
    AccessLogItem,
    EmergencyAccessQuery,
    EmergencyAccessRequest,
    EmergencyAccessSchema,
    EmergencyReviewRequest,
)
from wardtrack.audit.operations import record
from wardtrack.auth.access import current_user, require
from wardtrack.auth.models import LEADERS, STAFF
from wardtrack.core.errors import NotFound
from wardtrack.core.pagination import PageArgs, page_schema
from wardtrack.core.schemas import problem_doc
from wardtrack.extensions import db
from wardtrack.organisation.queries import get_staff_ward
from wardtrack.patients import operations as records
from wardtrack.patients import queries as patient_queries
from wardtrack.patients.models import Patient
from wardtrack.patients.schemas import (
    DesignationSchema,
    EpisodeCreateSchema,
    EpisodePatchSchema,
    EpisodeSchema,
    KeyPersonSchema,
    MySafetyPersonSchema,
    PatientCreateSchema,
    PatientSchema,
)

blp = Blueprint(
    "patients", __name__, url_prefix="/api/v1", description="Patients, episodes and key people"
)
DESIGNATION_PATHS = {
    "safety-person": "safety_person",
    "primary-contact": "primary_contact",
    "therapist": "therapist",
}



def audited_read(action: str, patient_id: int, read, *args, **kwargs):
    """The shape of every audited read of a patient's record, for the views of every package: the
    patient within the caller's reach (404 outside it), `read(patient_id, *args, **kwargs)`, the
    read recorded as `action`, and the request's commit (the result is built before it, so nothing
    is loaded again after)."""
    patient = queries.get_patient(current_user(), patient_id)
    result = read(patient.id, *args, **kwargs)
    record(action, patient_id=patient.id, object_type="patient", object_id=patient.id)
    db.session.commit()
    return result


def audited_ward_read(action: str, ward_id: int, read, *args, **kwargs):
    """audited_read for a ward's figures and lists: the ward the caller is staff of (403 or 404
    else), `read(ward_id, *args, **kwargs)`, the read recorded as `action` on the ward, and the
    request's commit."""
    ward = get_staff_ward(current_user(), ward_id)
    result = read(ward.id, *args, **kwargs)
    record(action, object_type="ward", object_id=ward.id)
    db.session.commit()
    return result


def _patient_view(patient_id: int) -> dict:
    return patient_queries.patient_view(db.session.get(Patient, patient_id))


@blp.post("/patients")
@require(*LEADERS)
@blp.arguments(PatientCreateSchema)
@blp.response(201, PatientSchema)
@blp.alt_response(409, **problem_doc("Identifier already registered"))
def create_patient(body):
    """Register a patient; admit or enrol them with an episode next."""
    patient = records.create_patient(**body)
    db.session.commit()
    return patient_queries.patient_view(patient)


@blp.get("/patients/<int:patient_id>")
@require(*STAFF, "patient")
@blp.response(200, PatientSchema)
@blp.alt_response(404, **problem_doc("No such patient within reach"))
def get_patient(patient_id):
    """A patient with the active episode and key people; every read is audited."""
    return audited_read("patient.read", patient_id, _patient_view)


@blp.post("/patients/<int:patient_id>/episodes")
@require(*LEADERS)
@blp.arguments(EpisodeCreateSchema)
@blp.response(201, EpisodeSchema)
@blp.alt_response(404, **problem_doc("No such patient"))
@blp.alt_response(409, **problem_doc("Overlaps another inpatient episode"))
def add_episode(body, patient_id):
    """Admit (inpatient) or enrol (outpatient) a patient on one of the caller's wards.

    A patient within your reach, or one without any episode yet, needs nothing more. Admitting a
    patient known on another ward needs a `reason` (422 without it); such an episode must be open,
    and it is shown to the patient and to the team leaders of the patient's previous ward for
    review.
    """
    episode = operations.admit(current_user(), patient_id, **body)
    db.session.commit()
    return episode


@blp.patch("/episodes/<int:episode_id>")
@require(*LEADERS)
@blp.arguments(EpisodePatchSchema)
@blp.response(200, EpisodeSchema)
@blp.alt_response(404, **problem_doc("No such episode within reach"))
def end_episode(body, episode_id):
    """Discharge (set the episode's end) and/or set its room or bed."""
    episode = records.update_episode(
        current_user(), queries.get_episode(current_user(), episode_id), **body
    )
    db.session.commit()
    return episode


@blp.route("/patients/<int:patient_id>/<any('safety-person', 'primary-contact', 'therapist'):role>")
class KeyPerson(MethodView):
    @require(*LEADERS)
    @blp.arguments(DesignationSchema)
    @blp.response(200, KeyPersonSchema)
    def put(self, body, patient_id, role):
        """Name the patient's safety person (chosen with the patient), primary contact or
        therapist."""
        patient = queries.get_patient(current_user(), patient_id)
        designation = records.designate(current_user(), patient, DESIGNATION_PATHS[role], **body)
        db.session.commit()
        return designation

    @require(*LEADERS)
    @blp.response(204)
    def delete(self, patient_id, role):
        """End the active designation."""
        patient = queries.get_patient(current_user(), patient_id)
        records.end_designation(patient, DESIGNATION_PATHS[role])
        db.session.commit()


@blp.get("/me/safety-person")
@require("patient")
@blp.response(200, MySafetyPersonSchema)
@blp.alt_response(404, **problem_doc("No safety person named"))
def my_safety_person():
    """The patient's own safety person and how to reach them."""
    designation = patient_queries.safety_person(current_user().patient_id)
    if designation is None:
        raise NotFound("You have no safety person named yet.")
    professional = designation.professional
    return {"name": professional.name, "profession": professional.profession,
            "work_phone": professional.work_phone, "since": designation.started_at,
            "chosen_by_patient": designation.chosen_by_patient}


emergency_blp = Blueprint("emergency_access", __name__, url_prefix="/api/v1",
                description="Break-the-glass emergency access and the patient's access log")


@emergency_blp.post("/patients/<int:patient_id>/emergency-access")
@require("nurse", "team_leader")
@emergency_blp.arguments(EmergencyAccessRequest)
@emergency_blp.response(201, EmergencyAccessSchema)
@emergency_blp.alt_response(404, **problem_doc("No such patient"))
@emergency_blp.alt_response(409, **problem_doc("The patient is already within your reach"))
def grant_emergency_access(body, patient_id):
    """Open a patient outside your wards for a few hours (EMERGENCY_ACCESS_HOURS) by giving a
    reason.

    The reason is shown to the patient in their access log and to the ward's team leader for review.
    """
    access = operations.grant(current_user(), patient_id, body["reason"])
    view = queries.grant_view(access)
    db.session.commit()
    return view


@emergency_blp.get("/emergency-access")
@require(*LEADERS)
@emergency_blp.arguments(EmergencyAccessQuery, location="query")
@emergency_blp.response(200, page_schema(EmergencyAccessSchema, "EmergencyAccessPage"))
@emergency_blp.alt_response(
    403, **problem_doc("Only team leaders and admins review emergency access")
)
def list_emergency_access(args):
    """Emergency accesses to review, for patients of your wards (team leaders) or all (admins), and
    admissions of patients from your wards by another ward's team leader without reach; newest
    first."""
    result = queries.for_review(current_user(), **args)
    record("emergency_access.list", object_type="emergency_access")
    db.session.commit()
    return result


@emergency_blp.post("/emergency-access/<int:access_id>/review")
@require(*LEADERS)
@emergency_blp.arguments(EmergencyReviewRequest)
@emergency_blp.response(200, EmergencyAccessSchema)
@emergency_blp.alt_response(404, **problem_doc("No such emergency access for you to review"))
@emergency_blp.alt_response(409, **problem_doc("Already reviewed"))
def review_emergency_access(body, access_id):
    """Mark an emergency access as reviewed, with a note."""
    return _reviewed(operations.review, queries.grant_view, access_id, body["note"])


@emergency_blp.post("/outside-admissions/<int:admission_id>/review")
@require(*LEADERS)
@emergency_blp.arguments(EmergencyReviewRequest)
@emergency_blp.response(200, EmergencyAccessSchema)
@emergency_blp.alt_response(404, **problem_doc("No such outside admission for you to review"))
@emergency_blp.alt_response(409, **problem_doc("Already reviewed"))
def review_outside_admission(body, admission_id):
    """Mark an admission of a patient from outside the admitter's reach as reviewed, with a note."""
    return _reviewed(operations.review_admission, queries.admission_view, admission_id, body["note"])


def _reviewed(mark_reviewed, view, item_id, note):
    result = view(mark_reviewed(current_user(), item_id, note))
    db.session.commit()
    return result


@emergency_blp.get("/me/access-log")
@require("patient")
@emergency_blp.arguments(PageArgs, location="query")
@emergency_blp.response(200, page_schema(AccessLogItem, "AccessLogPage"))
@emergency_blp.alt_response(403, **problem_doc("Only for patients"))
def my_access_log(args):
    """Who read my record and crisis plan, and who opened it in an emergency and why; newest
    first."""
    user = current_user()
    result = queries.access_log(user, **args)
    record("access_log.read", patient_id=user.patient_id, object_type="patient",
           object_id=user.patient_id)
    db.session.commit()
    return result
