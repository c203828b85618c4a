"""Reading plans and reminders within the caller's reach (404 outside it)."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from wardtrack.access.queries import get_patient
from wardtrack.access.reach import patient_reach
from wardtrack.auth.models import User, UserWard
from wardtrack.contacts.models import Contact, is_counted
from wardtrack.core.errors import NotFound
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Membership, Professional
from wardtrack.patients.models import Episode, Patient
from wardtrack.reminders.models import PENDING, MaintenancePlan, Reminder
from wardtrack.reminders.timezones import local_date, ward_zones


def qualifies(plan=MaintenancePlan, contact=Contact):
    """SQL: the contact counts for the plan (same patient and professional; a maintenance contact
    unless the plan lets any contact count; not entered in error)."""
    return sa.and_(contact.patient_id == plan.patient_id,
                   contact.professional_id == plan.professional_id,
                   sa.or_(plan.any_contact_counts.is_(True), contact.kind == "maintenance"),
                   is_counted(contact))


def last_qualifying_contact(now: datetime):
    """SQL, correlated to the MaintenancePlan row of the enclosing query: when the patient last had
    a contact that counts for the plan, at any time up to now, even before the plan began; NULL when
    never."""
    return (
        sa.select(sa.func.max(Contact.occurred_at))
        .where(qualifies(MaintenancePlan, Contact), Contact.occurred_at <= now)
        .scalar_subquery()
    )


def active_plans(now: datetime, patient_ids: list[int] | None = None) -> list[tuple]:
    """The one definition of a plan's basis, for the maintenance_overdue flag and the reminder sweep
    alike.

    Every active plan (of these patients, or of all) as (plan, its professional's name, the last
    qualifying contact or None); the basis is that contact, else the plan's start. One query, by
    plan id.
    """
    query = (sa.select(MaintenancePlan, Professional.name, last_qualifying_contact(now))
             .join(Professional, Professional.id == MaintenancePlan.professional_id)
             .where(MaintenancePlan.ended_at.is_(None), MaintenancePlan.started_at <= now)
             .order_by(MaintenancePlan.id))
    if patient_ids is not None:
        query = query.where(MaintenancePlan.patient_id.in_(patient_ids))
    return [tuple(row) for row in db.session.execute(query)]


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
    """SQL: the reminders a user sees — their own as professional, their wards' as team leader, all
    as admin; only ever of patients within the user's reach (a reminder names its patient)."""
    if user.role == "admin":
        return sa.true()
    own = Reminder.professional_id == user.professional_id if user.professional_id else sa.false()
    if user.role == "team_leader":
        wards = sa.select(UserWard.ward_id).where(UserWard.user_id == user.id)
        own = sa.or_(own, Reminder.ward_id.in_(wards))
    return sa.and_(own, patient_reach(user, Reminder.patient_id))


def professional_reaches(professional_id: int, patient_id: int) -> bool:
    """Whether a professional could open the patient's record: through their login's wards when they
    have one (emergency grants never count), else through the wards they belong to today, by the
    same rule."""
    account = db.session.scalar(sa.select(User).where(
        User.professional_id == professional_id, User.disabled_at.is_(None)))
    if account is not None:
        return db.session.scalar(sa.select(Patient.id).where(
            Patient.id == patient_id, patient_reach(account, Patient.id, grants=False))) is not None
    now = utcnow()
    wards = sa.select(Membership.ward_id).where(
        Membership.professional_id == professional_id, Membership.started_on <= now.date(),
        sa.or_(Membership.ended_on.is_(None), Membership.ended_on >= now.date()))
    horizon = now - timedelta(days=current_app.config["REACH_AFTER_DISCHARGE_DAYS"])
    return db.session.scalar(sa.select(Episode.id).where(
        Episode.patient_id == patient_id, Episode.ward_id.in_(wards),
        sa.or_(Episode.ended_at.is_(None), Episode.ended_at >= horizon)).limit(1)) is not None


def reminders(user, status: str | None = None) -> list[dict]:
    """The reminders the user sees, soonest due first, each with its patient's and professional's
    names for the staff page (shown there, never stored); `status` filters."""
    query = (sa.select(Reminder, Patient.display_name, Professional.name)
             .join(Patient, Patient.id == Reminder.patient_id)
             .outerjoin(Professional, Professional.id == Reminder.professional_id)
             .where(visible(user)))
    if status:  # open and snoozed ask for both: a snooze whose date has come reads as open
        query = query.where(
            Reminder.status.in_(PENDING) if status in PENDING else Reminder.status == status
        )
    rows = db.session.execute(query.order_by(Reminder.due_on, Reminder.id).limit(500))
    items = _woken([_with_names(reminder, patient_name, professional_name)
                    for reminder, patient_name, professional_name in rows], utcnow())
    return [item for item in items if not status or item["status"] == status]


def _woken(items: list[dict], now) -> list[dict]:
    """A snoozed reminder whose date has come in its ward's time zone is shown open, as the sweep
    will store it (reminders.sweep.wake_snoozed): a read never writes."""
    zones = ward_zones(item["ward_id"] for item in items if item["status"] == "snoozed")
    for item in items:
        if (
            item["status"] == "snoozed"
            and item["snoozed_until"] <= local_date(now, item["ward_id"], zones)
        ):
            item["status"], item["snoozed_until"] = "open", None
    return items


def _with_names(reminder: Reminder, patient_name: str, professional_name: str | None) -> dict:
    row = {
        column.key: getattr(reminder, column.key) for column in sa.inspect(Reminder).column_attrs
    }
    return row | {"patient_name": patient_name, "professional_name": professional_name}


def get_reminder(user, reminder_id: int) -> Reminder:
    """A reminder the user sees, or 404."""
    reminder = db.session.scalar(
        sa.select(Reminder).where(Reminder.id == reminder_id, visible(user))
    )
    if reminder is None:
        raise NotFound(f"No reminder {reminder_id} for you.")
    return reminder
