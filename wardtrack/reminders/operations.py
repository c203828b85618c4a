"""Writing maintenance plans and settling reminders (flush only; views commit once).

A qualifying contact closes the plan's pending reminders by itself: `on_patient_changed` listens to
`patient_changed` (sent by contacts after every insert) and runs one UPDATE, which touches nothing
when the patient has no pending reminder. The sweep also closes reminders whose basis a newer
contact has superseded, for contacts that arrive by a path that sends no signal.
"""

import functools
from datetime import date, timedelta

import sqlalchemy as sa

from wardtrack.audit.operations import assert_chain_locked, audited_write, record
from wardtrack.contacts.models import Contact
from wardtrack.core.errors import Conflict, Invalid
from wardtrack.core.signals import send_patient_changed
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional
from wardtrack.reminders.models import PENDING, MaintenancePlan, Reminder
from wardtrack.reminders.queries import professional_reaches, qualifies
from wardtrack.reminders.timezones import local_date, ward_zones

MAX_SNOOZE_DAYS = 90


def _changed(patient_id: int) -> None:
    send_patient_changed(patient_id)


def create_plan(actor, patient_id: int, data: dict) -> MaintenancePlan:
    """A new active plan; 422 for an unknown professional or one who cannot reach the patient, 409
    when one is already active for the pair."""
    if db.session.get(Professional, data["professional_id"]) is None:
        raise Invalid("professional_id", f"No such professional: {data['professional_id']}.")
    if not professional_reaches(data["professional_id"], patient_id):
        # Their reminders would name a patient they may not open.
        raise Invalid("professional_id",
                      "This professional cannot reach the patient (not on the patient's ward).")
    active = db.session.scalar(
        sa.select(MaintenancePlan.id).where(
            MaintenancePlan.patient_id == patient_id,
            MaintenancePlan.professional_id == data["professional_id"],
            MaintenancePlan.ended_at.is_(None),
        )
    )
    if active is not None:
        raise Conflict(f"Plan {active} for this professional is already active; end it first.")
    plan = MaintenancePlan(patient_id=patient_id, started_at=utcnow(), created_by=actor.id, **data)
    db.session.add(plan)
    db.session.flush()
    record("maintenance_plan.create", patient_id=patient_id, object_type="maintenance_plan",
           object_id=plan.id)
    _changed(patient_id)
    return plan


def _close_pending(condition) -> None:
    db.session.execute(sa.update(Reminder).where(condition, Reminder.status.in_(PENDING))
                       .values(status="closed", closed_at=utcnow())
                       .execution_options(synchronize_session=False))


@audited_write("plan")
def end_plan(actor, plan: MaintenancePlan) -> MaintenancePlan:
    """End an active plan (409 if already ended) and close its pending reminders."""
    if plan.ended_at is not None:
        raise Conflict("This plan has already ended.")
    plan.ended_at = utcnow()
    _close_pending(Reminder.plan_id == plan.id)
    db.session.flush()
    record("maintenance_plan.end", patient_id=plan.patient_id, object_type="maintenance_plan",
           object_id=plan.id)
    _changed(plan.patient_id)
    return plan


@audited_write("reminder")
def mark_done(actor, reminder: Reminder) -> Reminder:
    """Mark a reminder done (again is harmless); a closed one is a 409."""
    if reminder.status == "closed":
        raise Conflict("This reminder was closed by a contact or by ending its plan.")
    if reminder.status != "done":
        reminder.status, reminder.done_at, reminder.done_by = "done", utcnow(), actor.id
        reminder.snoozed_until = None
        db.session.flush()
        record("reminder.done", patient_id=reminder.patient_id, object_type="reminder",
               object_id=reminder.id)
    return reminder


@audited_write("reminder")
def snooze(actor, reminder: Reminder, until: date) -> Reminder:
    """Hide a pending reminder until a later date (≤ 90 days ahead, in the ward's time zone)."""
    if reminder.status not in PENDING:
        raise Conflict(
            f"Only an open or snoozed reminder can be snoozed; this one is {reminder.status}."
        )
    today = local_date(utcnow(), reminder.ward_id, ward_zones([reminder.ward_id]))
    if until <= today:
        raise Invalid("until", "Must be a date after today.")
    if until > today + timedelta(days=MAX_SNOOZE_DAYS):
        raise Invalid("until", f"Must be at most {MAX_SNOOZE_DAYS} days ahead.")
    reminder.status, reminder.snoozed_until = "snoozed", until
    db.session.flush()
    record("reminder.snooze", patient_id=reminder.patient_id, object_type="reminder",
           object_id=reminder.id)
    return reminder


@functools.cache
def _close_satisfied_statement():
    # Built once: it runs inside every contact request. The statuses are plain parameters, not an
    # expanding IN, so that the SQL is not rendered again at every execution.
    reminders = Reminder.__table__
    satisfied = (
        sa.select(Contact.id)
        .join(MaintenancePlan, qualifies())
        .where(
            MaintenancePlan.id == reminders.c.plan_id, Contact.occurred_at > reminders.c.basis_at
        )
        .exists()
    )
    return (
        sa.update(reminders)
        .where(reminders.c.patient_id == sa.bindparam("changed_patient"),
               reminders.c.kind == "maintenance_due",
               sa.or_(*(reminders.c.status == status for status in PENDING)), satisfied)
        .values(status="closed", closed_at=sa.bindparam("now"))
    )


def close_satisfied(patient_id: int) -> None:
    """Close the patient's pending maintenance reminders that a qualifying contact after their basis
    satisfies: one UPDATE, guarded by the (patient_id, status) index. The chain's lock comes
    first."""
    assert_chain_locked("Closing satisfied reminders")
    db.session.connection().execute(
        _close_satisfied_statement(), {"changed_patient": patient_id, "now": utcnow()}
    )


def on_patient_changed(_sender, patient_id: int, **_extra) -> None:
    close_satisfied(patient_id)
