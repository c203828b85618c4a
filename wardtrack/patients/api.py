"""Patients, episodes, designations and the patient's own safety person."""

from flask.views import MethodView
from flask_smorest import Blueprint

from wardtrack.audit.operations import record
from wardtrack.auth.access import current_user, require
from wardtrack.auth.models import LEADERS, STAFF
from wardtrack.core.errors import NotFound
from wardtrack.core.pagination import page_schema
from wardtrack.core.schemas import problem_doc
from wardtrack.extensions import db
from wardtrack.organisation.queries import get_staff_ward
from wardtrack.patients import operations, queries
from wardtrack.patients.schemas import (
    DesignationSchema,
    EpisodeCreateSchema,
    EpisodePatchSchema,
    EpisodeSchema,
    KeyPersonSchema,
    MySafetyPersonSchema,
    PatientBrief,
    PatientCreateSchema,
    PatientSchema,
    WardPatientsQuery,
)

blp = Blueprint("patients", __name__, url_prefix="/api/v1", description="Patients, episodes and key people")
DESIGNATION_PATHS = {"safety-person": "safety_person", "primary-contact": "primary_contact", "therapist": "therapist"}


@blp.post("/patients")
@require(*LEADERS)
@blp.arguments(PatientCreateSchema)
@blp.response(201, PatientSchema)
@blp.alt_response(409, **problem_doc("Identifier already registered"))
def create_patient(body):
    """Register a patient; admit or enrol them with an episode next."""
    patient = operations.create_patient(**body)
    db.session.commit()
    return queries.patient_view(patient)


@blp.get("/patients/<int:patient_id>")
@require(*STAFF, "patient")
@blp.response(200, PatientSchema)
@blp.alt_response(404, **problem_doc("No such patient within reach"))
def get_patient(patient_id):
    """A patient with the active episode and key people; every read is audited."""
    patient = queries.get_patient(current_user(), patient_id)
    record("patient.read", patient_id=patient.id, object_type="patient", object_id=patient.id)
    view = queries.patient_view(patient)
    db.session.commit()
    return view


@blp.get("/wards/<int:ward_id>/patients")
@require(*STAFF)
@blp.arguments(WardPatientsQuery, location="query")
@blp.response(200, page_schema(PatientBrief, "WardPatientPage"))
def ward_patients(args, ward_id):
    """Patients with an active episode on the ward, by name or (`order=recent`) most recently seen there
    first; `q` searches names."""
    get_staff_ward(current_user(), ward_id)
    result = queries.ward_patients(ward_id, **args)
    record("ward.patients.list", object_type="ward", object_id=ward_id)
    db.session.commit()
    return result


@blp.post("/patients/<int:patient_id>/episodes")
@require(*LEADERS)
@blp.arguments(EpisodeCreateSchema)
@blp.response(201, EpisodeSchema)
@blp.alt_response(404, **problem_doc("No such patient"))
@blp.alt_response(409, **problem_doc("Overlaps another inpatient episode"))
def add_episode(body, patient_id):
    """Admit (inpatient) or enrol (outpatient) a patient on one of the caller's wards.

    A patient within your reach, or one without any episode yet, needs nothing more. Admitting a patient
    known on another ward needs a `reason` (422 without it); such an episode must be open, and it is shown
    to the patient and to the team leaders of the patient's previous ward for review.
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
    episode = operations.update_episode(current_user(), queries.get_episode(current_user(), episode_id), **body)
    db.session.commit()
    return episode


@blp.route("/patients/<int:patient_id>/<any('safety-person', 'primary-contact', 'therapist'):role>")
class KeyPerson(MethodView):
    @require(*LEADERS)
    @blp.arguments(DesignationSchema)
    @blp.response(200, KeyPersonSchema)
    def put(self, body, patient_id, role):
        """Name the patient's safety person (chosen with the patient), primary contact or therapist."""
        patient = queries.get_patient(current_user(), patient_id)
        designation = operations.designate(current_user(), patient, DESIGNATION_PATHS[role], **body)
        db.session.commit()
        return designation

    @require(*LEADERS)
    @blp.response(204)
    def delete(self, patient_id, role):
        """End the active designation."""
        patient = queries.get_patient(current_user(), patient_id)
        operations.end_designation(patient, DESIGNATION_PATHS[role])
        db.session.commit()


@blp.get("/me/safety-person")
@require("patient")
@blp.response(200, MySafetyPersonSchema)
@blp.alt_response(404, **problem_doc("No safety person named"))
def my_safety_person():
    """The patient's own safety person and how to reach them."""
    designation = queries.safety_person(current_user().patient_id)
    if designation is None:
        raise NotFound("You have no safety person named yet.")
    professional = designation.professional
    return {"name": professional.name, "profession": professional.profession,
            "work_phone": professional.work_phone, "since": designation.started_at,
            "chosen_by_patient": designation.chosen_by_patient}
