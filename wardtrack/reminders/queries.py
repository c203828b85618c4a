"""Reading plans and reminders within the caller's reach (404 outside it)."""

import sqlalchemy as sa

from wardtrack.auth.models import UserWard
from wardtrack.core.errors import NotFound
from wardtrack.core.pagination import decode_cursor, page
from wardtrack.extensions import db
from wardtrack.patients.queries import get_patient
from wardtrack.reminders.delivery_models import Digest
from wardtrack.reminders.models import MaintenancePlan, Reminder


def patient_plans(patient_id: int) -> list[MaintenancePlan]:
    """The patient's plans, active first, newest first."""
    return list(db.session.scalars(
        sa.select(MaintenancePlan).where(MaintenancePlan.patient_id == patient_id)
        .order_by(MaintenancePlan.ended_at.is_not(None), MaintenancePlan.started_at.desc(),
                  MaintenancePlan.id.desc())))


def get_plan(user, plan_id: int) -> MaintenancePlan:
    """A plan of a patient the user reaches, or 404."""
    plan = db.session.get(MaintenancePlan, plan_id)
    if plan is None:
        raise NotFound(f"No maintenance plan {plan_id} within your reach.")
    get_patient(user, plan.patient_id)
    return plan


def visible(user):
    """SQL: the reminders a user sees — their own as professional, their wards' as team leader, all as admin."""
    if user.role == "admin":
        return sa.true()
    own = Reminder.professional_id == user.professional_id if user.professional_id else sa.false()
    if user.role != "team_leader":
        return own
    wards = sa.select(UserWard.ward_id).where(UserWard.user_id == user.id)
    return sa.or_(own, Reminder.ward_id.in_(wards))


def reminders(user, status: str | None = None) -> list[Reminder]:
    """The reminders the user sees, soonest due first; `status` filters."""
    query = sa.select(Reminder).where(visible(user))
    if status:
        query = query.where(Reminder.status == status)
    return list(db.session.scalars(query.order_by(Reminder.due_on, Reminder.id).limit(500)))


def get_reminder(user, reminder_id: int) -> Reminder:
    """A reminder the user sees, or 404."""
    reminder = db.session.scalar(sa.select(Reminder).where(Reminder.id == reminder_id, visible(user)))
    if reminder is None:
        raise NotFound(f"No reminder {reminder_id} for you.")
    return reminder


def digests(user, limit: int, cursor: str | None) -> dict:
    """A page of daily digests, newest first: of the user's wards for a team leader, of every ward for an admin."""
    query = sa.select(Digest).order_by(Digest.id.desc()).limit(limit + 1)
    if user.role != "admin":
        query = query.where(Digest.ward_id.in_(sa.select(UserWard.ward_id).where(UserWard.user_id == user.id)))
    if cursor:
        query = query.where(Digest.id < decode_cursor(cursor, 1, (int,))[0])
    return page(list(db.session.scalars(query)), limit, lambda row: [row.id])
