"""POST /contacts: recording once per client_id, validation, access."""

from datetime import datetime, timedelta, timezone

import pytest

from tests.contacts.helpers import stored_contacts
from tests.patients.helpers import audit_count, iso, parse_z, problem
from wardtrack.core.time import utcnow


def test_record_a_contact(ward_setup, nurse_api, contact_body):
    at = utcnow().replace(microsecond=0) - timedelta(hours=2)
    body = contact_body(occurred_at=at.astimezone(timezone(timedelta(hours=1))).isoformat(), kind="medication",
                        duration_minutes=15)
    assert body["occurred_at"].endswith("+01:00")
    before = utcnow()
    response = nurse_api.post("/api/v1/contacts", json=body)
    assert response.status_code == 201, response.get_json()
    assert response.mimetype == "application/json"
    created = response.get_json()
    assert created["occurred_at"] == at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert created["logged_by"] == ward_setup.nurse.id
    assert before - timedelta(seconds=1) <= parse_z(created["received_at"]) <= utcnow()
    for name in ("client_id", "patient_id", "professional_id", "kind", "duration_minutes"):
        assert created[name] == body[name]
    assert created["ward_id"] == ward_setup.ward_a.id
    [stored] = stored_contacts()
    assert stored.id == created["id"] and str(stored.client_id) == body["client_id"]
    assert stored.occurred_at == at
    assert stored.logged_by == ward_setup.nurse.id
    assert audit_count("contact.create", ward_setup.patient_a.id) == 1


def test_resending_the_same_contact_returns_the_stored_one(ward_setup, nurse_api, contact_body):
    body = contact_body()
    first = nurse_api.post("/api/v1/contacts", json=body)
    assert first.status_code == 201
    # the same moment written in another zone is the same contact
    moved = {**body, "occurred_at": datetime.fromisoformat(body["occurred_at"]).astimezone(
        timezone(timedelta(hours=5, minutes=30))).isoformat()}
    assert moved["occurred_at"] != body["occurred_at"]
    for resent in (body, moved, {**body, "ward_id": ward_setup.ward_a.id}):
        again = nurse_api.post("/api/v1/contacts", json=resent)
        assert again.status_code == 200, again.get_json()
        assert again.get_json() == first.get_json()
    assert len(stored_contacts()) == 1
    assert audit_count("contact.create") == 1


@pytest.mark.parametrize("change", [
    {"kind": "phone"}, {"duration_minutes": 30}, {"professional_id": "doctor"}, {"ward_id": "ward_b"},
    {"occurred_at": "earlier"},
])
def test_reusing_a_client_id_for_another_contact_is_409(ward_setup, nurse_api, contact_body, change):
    body = contact_body()
    assert nurse_api.post("/api/v1/contacts", json=body).status_code == 201
    named = {"doctor": ward_setup.doctor.id, "ward_b": ward_setup.ward_b.id,
             "earlier": iso(utcnow() - timedelta(days=1))}
    changed = {key: named.get(value, value) for key, value in change.items()}
    problem(nurse_api.post("/api/v1/contacts", json={**body, **changed}), 409)
    [stored] = stored_contacts()
    assert stored.kind == "conversation" and stored.duration_minutes is None


def test_clock_skew(nurse_api, contact_body):
    now = utcnow()
    problem(nurse_api.post("/api/v1/contacts", json=contact_body(occurred_at=iso(now + timedelta(minutes=6)))), 422,
            "occurred_at")
    assert nurse_api.post("/api/v1/contacts", json=contact_body(occurred_at=iso(now + timedelta(minutes=4)))
                          ).status_code == 201
    assert len(stored_contacts()) == 1


@pytest.mark.parametrize("field, value", [
    ("occurred_at", "2026-01-05T10:15:00"),
    ("occurred_at", "2026-02-30T10:15:00+01:00"),
    ("occurred_at", "1999-01-01T00:00:00Z"),
    ("occurred_at", None),
    ("occurred_at", "0001-01-01T00:00:00+14:00"),
    ("occurred_at", "9999-12-31T23:59:59-14:00"),
    ("client_id", "not-a-uuid"),
    ("kind", "chat"),
    ("patient_id", "1"),
    ("professional_id", 0),
    ("ward_id", -3),
    ("duration_minutes", 0),
    ("duration_minutes", 1441),
    ("duration_minutes", 1.5),
    ("duration_minutes", "10"),
    ("note", "free text"),
])
def test_invalid_fields_are_422(nurse_api, contact_body, field, value):
    problem(nurse_api.post("/api/v1/contacts", json=contact_body(**{field: value})), 422, field)
    assert stored_contacts() == []


def test_missing_fields_and_bad_json(nurse_api, contact_body):
    body = contact_body()
    for name in ("client_id", "patient_id", "professional_id", "occurred_at", "kind"):
        problem(nurse_api.post("/api/v1/contacts", json={k: v for k, v in body.items() if k != name}), 422, name)
    response = nurse_api.post("/api/v1/contacts", data="{", content_type="application/json")
    assert response.status_code in (400, 422) and response.mimetype == "application/problem+json"
    problem(nurse_api.post("/api/v1/contacts", json=[body]), 422)


def test_duration_bounds_are_accepted(nurse_api, contact_body):
    for minutes in (1, 1440, None):
        response = nurse_api.post("/api/v1/contacts", json=contact_body(duration_minutes=minutes))
        assert response.status_code == 201 and response.get_json()["duration_minutes"] == minutes
    assert [c.duration_minutes for c in stored_contacts()] == [1, 1440, None]


def test_unknown_professional_or_ward_is_422(nurse_api, contact_body):
    problem(nurse_api.post("/api/v1/contacts", json=contact_body(professional_id=999999)), 422, "professional_id")
    problem(nurse_api.post("/api/v1/contacts", json=contact_body(ward_id=999999)), 422, "ward_id")
    assert stored_contacts() == []


def test_access(ward_setup, make, client, contact_body):
    login = ward_setup.login
    problem(login(ward_setup.nurse).post("/api/v1/contacts", json=contact_body(
        patient_id=ward_setup.patient_b.id)), 404)
    problem(login(ward_setup.nurse).post("/api/v1/contacts", json=contact_body(patient_id=999999)), 404)
    own = make.user("pat", "patient", patient=ward_setup.patient_a)
    problem(login(own).post("/api/v1/contacts", json=contact_body()), 403)
    problem(client.post("/api/v1/contacts", json=contact_body()), 401)
    assert stored_contacts() == []
    response = login(ward_setup.admin).post("/api/v1/contacts", json=contact_body(
        patient_id=ward_setup.patient_b.id))
    assert response.status_code == 201 and response.get_json()["logged_by"] == ward_setup.admin.id


def test_session_request_without_csrf_is_403(ward_setup, nurse_api, contact_body):
    nurse_api.csrf_token = None
    problem(nurse_api.post("/api/v1/contacts", json=contact_body()), 403)
    assert stored_contacts() == []


def test_ward_defaults_to_the_episode_at_that_time(ward_setup, make, nurse_api, contact_body):
    ward_a, ward_b = ward_setup.ward_a, ward_setup.ward_b
    patient = make.patient("Mover", "M-1")
    make.episode(patient, ward_b, started=timedelta(days=30), ended=timedelta(days=20))
    make.episode(patient, ward_a, kind="outpatient", started=timedelta(days=60))
    make.episode(patient, ward_a, started=timedelta(days=5))
    at = {"during_b": timedelta(days=25), "now": timedelta(hours=1), "before_all": timedelta(days=90)}
    wards = {}
    for name, ago in at.items():
        response = nurse_api.post("/api/v1/contacts", json=contact_body(
            patient_id=patient.id, occurred_at=iso(utcnow() - ago)))
        assert response.status_code == 201, response.get_json()
        wards[name] = response.get_json()["ward_id"]
    assert wards == {"during_b": ward_b.id, "now": ward_a.id, "before_all": None}
    assert [c.ward_id for c in stored_contacts(patient_id=patient.id)] == [ward_b.id, ward_a.id, None]
    explicit = nurse_api.post("/api/v1/contacts", json=contact_body(patient_id=patient.id, ward_id=ward_b.id))
    assert explicit.get_json()["ward_id"] == ward_b.id
