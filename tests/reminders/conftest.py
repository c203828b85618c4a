"""Reminder fixtures: ward_setup plus a maintenance professional with a login, and helpers."""

import uuid
from datetime import UTC, datetime

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
    s = dict(ward_setup)
    s["peter"] = make.professional("Peter Psychologist", "psychologist", [s["ward_a"]])
    s["peter_user"] = make.user("peter", "nurse", wards=[s["ward_a"]], professional=s["peter"])
    return s


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
