"""GET /patients/{id}/timeline: the relationship timeline's data, its access and its bounds."""

from datetime import timedelta

import pytest

from tests.patients.helpers import audit_count, iso, parse_z, problem
from wardtrack.core.time import utcnow


def post(api, contact_body, **fields) -> dict:
    response = api.post("/api/v1/contacts", json=contact_body(**fields))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_one_row_per_professional_with_the_window_contacts(ward_setup, nurse_api, contact_body):
    now = utcnow().replace(microsecond=0)
    nurse, doctor = ward_setup.nurse_professional, ward_setup.doctor
    post(nurse_api, contact_body, professional_id=nurse.id, occurred_at=iso(now - timedelta(days=200)))
    for days in (80, 10, 2):
        post(nurse_api, contact_body, professional_id=nurse.id, occurred_at=iso(now - timedelta(days=days)))
    for days in (30, 1):
        post(nurse_api, contact_body, professional_id=doctor.id, occurred_at=iso(now - timedelta(days=days)))
    patient_id = ward_setup.patient_a.id

    response = nurse_api.get(f"/api/v1/patients/{patient_id}/timeline")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["window_days"] == 90 and body["contacts"] == 5 and body["truncated"] is False
    assert parse_z(body["until"]) - parse_z(body["since"]) == timedelta(days=90)
    first, second = body["professionals"]
    assert (first["professional_id"], first["name"], first["profession"]) == (nurse.id, "Nina Nurse", "nurse")
    assert first["known_before"] is True and len(first["contacts"]) == 3
    assert [parse_z(at) for at in first["contacts"]] == sorted(parse_z(at) for at in first["contacts"])
    assert (second["professional_id"], second["known_before"], len(second["contacts"])) == (doctor.id, False, 2)
    assert audit_count("contacts.read", patient_id) == 1

    year = nurse_api.get(f"/api/v1/patients/{patient_id}/timeline?days=365").get_json()
    assert year["contacts"] == 6 and year["professionals"][0]["known_before"] is False


def test_a_patient_without_contacts_has_no_rows(ward_setup, nurse_api):
    body = nurse_api.get(f"/api/v1/patients/{ward_setup.patient_a.id}/timeline?days=365").get_json()
    assert body["professionals"] == [] and body["contacts"] == 0


def test_out_of_reach_is_404_and_unknown_is_404(ward_setup, nurse_api):
    problem(nurse_api.get(f"/api/v1/patients/{ward_setup.patient_b.id}/timeline"), 404)
    problem(nurse_api.get("/api/v1/patients/999999/timeline"), 404)
    assert audit_count("contacts.read") == 0


@pytest.mark.parametrize("days", ["0", "3651", "many", "-5"])
def test_bad_window_is_422(ward_setup, nurse_api, days):
    problem(nurse_api.get(f"/api/v1/patients/{ward_setup.patient_a.id}/timeline?days={days}"), 422, "days")


def test_patients_and_strangers_may_not_read_it(ward_setup, make, login, client):
    patient = ward_setup.patient_a
    own = login(make.user("pat", "patient", patient=patient))
    problem(own.get(f"/api/v1/patients/{patient.id}/timeline"), 403)
    problem(client.get(f"/api/v1/patients/{patient.id}/timeline"), 401)


def test_team_leader_and_admin_read_it(ward_setup):
    for who in ("leader", "admin"):
        api = ward_setup.login(getattr(ward_setup, who))
        assert api.get(f"/api/v1/patients/{ward_setup.patient_a.id}/timeline").status_code == 200
