"""Reminder fixtures: ward_setup plus a maintenance professional with a login, and helpers."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from wardtrack.extensions import db
from wardtrack.reminders.models import Reminder


def at(text: str) -> datetime:
    """An aware UTC datetime from ISO text."""
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.fixture
def travel():
    """travel(when) -> a time_machine traveller frozen at `when` (use as a context manager)."""

    def _travel(when: datetime):
        return time_machine.travel(when, tick=False)

    return _travel


@pytest.fixture
def setup(ward_setup, make):
    """ward_setup plus Peter the psychologist on ward A with a login of his own."""
    peter = make.professional("Peter Psychologist", "psychologist", [ward_setup.ward_a])
    return ward_setup.with_(peter=peter, peter_user=make.user("peter", "nurse", wards=[ward_setup.ward_a],
                                                              professional=peter))


def plans_url(patient) -> str:
    return f"/api/v1/patients/{patient.id}/maintenance-plans"


def create_plan(api, patient, professional, **extra):
    body = {"professional_id": professional.id, "interval_days": extra.pop("interval_days", 182), **extra}
    response = api.post(plans_url(patient), json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def log_contact(api, patient, professional, occurred_at: datetime, kind: str = "maintenance"):
    response = api.post("/api/v1/contacts", json={
        "client_id": str(uuid.uuid4()), "patient_id": patient.id, "professional_id": professional.id,
        "occurred_at": occurred_at.isoformat(), "kind": kind})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def stored_reminders(plan_id: int | None = None) -> list[Reminder]:
    db.session.expire_all()
    query = db.select(Reminder).order_by(Reminder.id)
    if plan_id is not None:
        query = query.where(Reminder.plan_id == plan_id)
    return list(db.session.scalars(query))


@pytest.fixture
def smtp(app):
    """An SMTP sink on 127.0.0.1 that the app sends through."""
    from tests.reminders.servers import SmtpSink

    with SmtpSink() as sink:
        app.config.update(SMTP_URL=sink.url, MAIL_FROM="wardtrack <noreply@ward.example>",
                          BASE_URL="https://wardtrack.example")
        yield sink


@pytest.fixture
def push_service(app):
    """A push service on 127.0.0.1 that checks the app's VAPID signature and decrypts what it gets."""
    from tests.reminders.servers import PushService
    from wardtrack.notifications import push

    app.config["VAPID_PRIVATE_KEY"] = push.generate_vapid_key()
    with PushService(push.public_key()) as service:
        app.config["PUSH_ALLOW_HOST"] = service.base_url.split("//", 1)[1]  # the one inside host push may reach
        yield service


def due_plan(patient, professional, days_ago: int = 200, interval_days: int = 182):
    """An active plan started `days_ago` days ago with no contact since: due now (committed)."""
    from wardtrack.core.time import utcnow
    from wardtrack.reminders.models import MaintenancePlan

    plan = MaintenancePlan(patient_id=patient.id, professional_id=professional.id, interval_days=interval_days,
                           started_at=utcnow() - timedelta(days=days_ago))
    db.session.add(plan)
    db.session.commit()
    return plan


def set_email(user, address: str):
    user.email = address
    db.session.commit()
    return user


def deliveries(**where):
    """Stored deliveries, fresh from the database, filtered by column values."""
    from wardtrack.notifications.models import Delivery

    return detached(db.select(Delivery).filter_by(**where).order_by(Delivery.id))


def detached(query) -> list:
    """Rows read in a transaction of their own that is over when they come back: on SQLite an open read
    would hold the write lock that the jobs (in sessions of their own) need."""
    db.session.rollback()
    rows = list(db.session.scalars(query))
    for row in rows:
        db.session.expunge(row)
    db.session.rollback()
    return rows


def job(app, name: str) -> dict:
    """Run a scheduler job as the scheduler does (its own app context and session), after ending any
    transaction the test's session holds."""
    from wardtrack.notifications import jobs

    db.session.commit()
    return jobs.run(app, name)
