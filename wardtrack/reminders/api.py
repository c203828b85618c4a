"""Maintenance plans (team leaders and admins write, staff in reach read) and the caller's
reminders."""

from flask_smorest import Blueprint

from wardtrack.access.api import audited_read
from wardtrack.access.queries import get_patient
from wardtrack.auth.access import current_user, require
from wardtrack.auth.models import LEADERS, STAFF
from wardtrack.core.schemas import problem_doc
from wardtrack.extensions import db
from wardtrack.reminders import operations, queries
from wardtrack.reminders.schemas import (
    MaintenancePlanBodySchema,
    MaintenancePlanListSchema,
    MaintenancePlanSchema,
    ReminderListSchema,
    ReminderQuery,
    ReminderSchema,
    SnoozeSchema,
)

blp = Blueprint(
    "reminders", __name__, url_prefix="/api/v1", description="Maintenance plans and reminders"
)
_NOT_FOUND = problem_doc("Not found, or not within your reach")
_CONFLICT = problem_doc("The plan or reminder is not in a state that allows this")


@blp.post("/patients/<int:patient_id>/maintenance-plans")
@require(*LEADERS)
@blp.arguments(MaintenancePlanBodySchema)
@blp.response(201, MaintenancePlanSchema)
@blp.alt_response(404, **_NOT_FOUND)
@blp.alt_response(409, **_CONFLICT)
def create_plan(body, patient_id):
    """Keep a patient in touch with a professional every `interval_days` (default 182)."""
    patient = get_patient(current_user(), patient_id)
    plan = operations.create_plan(current_user(), patient.id, body)
    db.session.commit()
    return plan


@blp.get("/patients/<int:patient_id>/maintenance-plans")
@require(*STAFF)
@blp.response(200, MaintenancePlanListSchema)
@blp.alt_response(404, **_NOT_FOUND)
def list_plans(patient_id):
    """The patient's maintenance plans, active first; audited."""
    return {"items": audited_read("maintenance_plans.read", patient_id, queries.patient_plans)}


@blp.post("/maintenance-plans/<int:plan_id>/end")
@require(*LEADERS)
@blp.response(200, MaintenancePlanSchema)
@blp.alt_response(404, **_NOT_FOUND)
@blp.alt_response(409, **_CONFLICT)
def end_plan(plan_id):
    """End a plan; its pending reminders are closed."""
    plan = operations.end_plan(current_user(), queries.get_plan(current_user(), plan_id))
    db.session.commit()
    return plan


@blp.get("/reminders")
@require(*STAFF)
@blp.arguments(ReminderQuery, location="query")
@blp.response(200, ReminderListSchema)
def list_reminders(args):
    """Reminders for the caller as professional and, for team leaders, their wards (admins: all)."""
    return {"items": queries.reminders(current_user(), args.get("status"))}


@blp.post("/reminders/<int:reminder_id>/done")
@require(*STAFF)
@blp.response(200, ReminderSchema)
@blp.alt_response(404, **_NOT_FOUND)
@blp.alt_response(409, **_CONFLICT)
def reminder_done(reminder_id):
    """Mark a reminder done."""
    reminder = operations.mark_done(
        current_user(), queries.get_reminder(current_user(), reminder_id)
    )
    db.session.commit()
    return reminder


@blp.post("/reminders/<int:reminder_id>/snooze")
@require(*STAFF)
@blp.arguments(SnoozeSchema)
@blp.response(200, ReminderSchema)
@blp.alt_response(404, **_NOT_FOUND)
@blp.alt_response(409, **_CONFLICT)
def reminder_snooze(body, reminder_id):
    """Hide a reminder until a later date (at most 90 days ahead); it reappears on that date."""
    reminder = queries.get_reminder(current_user(), reminder_id)
    reminder = operations.snooze(current_user(), reminder, body["until"])
    db.session.commit()
    return reminder
