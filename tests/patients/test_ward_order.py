"""GET /wards/{id}/patients?order=recent: the patients seen most recently on the ward first, then by name."""

import uuid
from datetime import timedelta

import pytest

from tests.patients.helpers import problem
from wardtrack.contacts.models import Contact
from wardtrack.core.time import utcnow
from wardtrack.extensions import db


def contact(patient, professional, ward, ago: timedelta):
    now = utcnow()
    db.session.add(Contact(client_id=uuid.uuid4(), patient_id=patient.id, professional_id=professional.id,
                           ward_id=ward.id, kind="conversation", occurred_at=now - ago, received_at=now))
    db.session.commit()


@pytest.fixture
def seen(ward_setup, make):
    """Ward A's patients: Carl seen an hour ago, Patient A two days ago, Bea only on ward B an hour ago,
    Dag forty days ago (no longer recent), Eva never."""
    ward_a, ward_b, doctor = ward_setup.ward_a, ward_setup.ward_b, ward_setup.doctor
    people = {name: make.patient(name) for name in ("Carl", "Bea", "Dag", "Eva")}
    for patient in people.values():
        make.episode(patient, ward_a, started=timedelta(days=60))
    make.episode(people["Bea"], ward_b, kind="outpatient", started=timedelta(days=60))
    contact(people["Carl"], doctor, ward_a, timedelta(hours=1))
    contact(people["Carl"], doctor, ward_a, timedelta(days=3))
    contact(ward_setup.patient_a, doctor, ward_a, timedelta(days=2))
    contact(people["Bea"], doctor, ward_b, timedelta(hours=1))
    contact(people["Dag"], doctor, ward_a, timedelta(days=40))
    return ward_setup


RECENT = ["Carl", "Patient A", "Bea", "Dag", "Eva"]


def names(body):
    return [item["display_name"] for item in body["items"]]


def test_recent_first_then_by_name(seen):
    api = seen.login(seen.nurse)
    body = api.get(f"/api/v1/wards/{seen.ward_a.id}/patients?order=recent").get_json()
    assert names(body) == RECENT
    stamps = [item["last_contact_at"] for item in body["items"]]
    assert stamps[0].endswith("Z") and stamps[1].endswith("Z") and stamps[2:] == [None, None, None]
    assert body["next_cursor"] is None


def test_recent_order_pages_through_every_patient_once(seen):
    api = seen.login(seen.nurse)
    path, found, cursor = f"/api/v1/wards/{seen.ward_a.id}/patients?order=recent&limit=2", [], None
    for _ in range(5):
        response = api.get(path + (f"&cursor={cursor}" if cursor else ""))
        assert response.status_code == 200, response.get_json()
        found += names(response.get_json())
        cursor = response.get_json()["next_cursor"]
        if cursor is None:
            break
    assert found == RECENT


def test_search_by_name_keeps_working_in_recent_order(seen):
    api = seen.login(seen.nurse)
    body = api.get(f"/api/v1/wards/{seen.ward_a.id}/patients?order=recent&q=a").get_json()
    assert names(body) == ["Carl", "Patient A", "Bea", "Dag", "Eva"]
    body = api.get(f"/api/v1/wards/{seen.ward_a.id}/patients?order=recent&q=e").get_json()
    assert names(body) == ["Patient A", "Bea", "Eva"]


def test_name_order_stays_the_default(seen):
    api = seen.login(seen.nurse)
    body = api.get(f"/api/v1/wards/{seen.ward_a.id}/patients").get_json()
    assert names(body) == sorted(RECENT)
    assert all("last_contact_at" not in item for item in body["items"])


def test_bad_order_or_cursor_is_422_and_other_wards_403(seen, make):
    api = seen.login(seen.nurse)
    ward = seen.ward_a.id
    problem(api.get(f"/api/v1/wards/{ward}/patients?order=newest"), 422, "order")
    name_cursor = api.get(f"/api/v1/wards/{ward}/patients?limit=1").get_json()["next_cursor"]
    problem(api.get(f"/api/v1/wards/{ward}/patients?order=recent&cursor={name_cursor}"), 422, "cursor")
    problem(api.get(f"/api/v1/wards/{seen.ward_b.id}/patients?order=recent"), 403)
    patient = seen.login(make.user("pia", "patient", patient=seen.patient_a))
    problem(patient.get(f"/api/v1/wards/{ward}/patients?order=recent"), 403)
