"""Changing a reminder while a contact closes it.

A contact records its audit event (taking the chain's lock on PostgreSQL) and then closes the reminders it
satisfies. Marking a reminder done, snoozing it or ending its plan takes the chain's lock before it locks the
reminder, or PostgreSQL finds a deadlock; and it acts on the reminder as it is once it holds that lock.
"""

import uuid
from datetime import timedelta

import pytest

from tests.support import World, race_for_the_chain
from wardtrack.audit.models import AuditEvent
from wardtrack.audit.operations import record
from wardtrack.auth.models import User
from wardtrack.contacts.models import Contact
from wardtrack.core.errors import Conflict
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.reminders.models import MaintenancePlan, Reminder
from wardtrack.reminders.operations import close_satisfied, end_plan, mark_done, snooze


@pytest.fixture
def due(ward_setup):
    """An open maintenance reminder of patient A, and a maintenance contact since its basis that satisfies it."""
    now, patient, professional = utcnow(), ward_setup.patient_a, ward_setup.doctor
    plan = MaintenancePlan(patient_id=patient.id, professional_id=professional.id, interval_days=30,
                           started_at=now - timedelta(days=60))
    db.session.add(plan)
    db.session.flush()
    reminder = Reminder(plan_id=plan.id, patient_id=patient.id, kind="maintenance_due", due_on=now.date(),
                        due_at=now, basis_at=now - timedelta(days=40), professional_id=professional.id,
                        ward_id=ward_setup.ward_a.id, status="open", created_at=now)
    db.session.add_all([reminder, Contact(
        client_id=uuid.uuid4(), patient_id=patient.id, professional_id=professional.id, kind="maintenance",
        occurred_at=now - timedelta(hours=1), received_at=now)])
    db.session.flush()
    return World(patient_id=patient.id, plan_id=plan.id, reminder_id=reminder.id, user_id=ward_setup.nurse.id)


def _race(app, due, change):
    """A contact's write (its event, then closing what it satisfies) against `change(user, reminder, plan)`."""
    patient_id = due.patient_id

    def other():
        change(db.session.get(User, due.user_id), db.session.get(Reminder, due.reminder_id),
               db.session.get(MaintenancePlan, due.plan_id))
        record("test.change", patient_id=patient_id)

    return race_for_the_chain(app, lambda: record("test.contact", patient_id=patient_id),
                              lambda: close_satisfied(patient_id), other)


def _stored(due) -> tuple[str, list[str]]:
    db.session.expire_all()
    actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.action.like("test.%"))
                                 .order_by(AuditEvent.id)).all()
    return db.session.get(Reminder, due.reminder_id).status, actions


@pytest.mark.parametrize("change", [
    lambda user, reminder, _plan: mark_done(user, reminder),
    lambda user, reminder, _plan: snooze(user, reminder, utcnow().date() + timedelta(days=7)),
], ids=["done", "snooze"])
def test_a_reminder_closed_by_a_contact_meanwhile_is_a_conflict_not_a_deadlock(app, due, change):
    errors = _race(app, due, change)
    assert [type(error) for error in errors] == [Conflict]
    assert _stored(due) == ("closed", ["test.contact"])


def test_ending_a_plan_while_a_contact_closes_its_reminder_never_deadlocks(app, due):
    assert _race(app, due, lambda user, _reminder, plan: end_plan(user, plan)) == []
    assert _stored(due) == ("closed", ["test.contact", "test.change"])
    assert db.session.get(MaintenancePlan, due.plan_id).ended_at is not None
