"""POST /patients, GET /patients/{id} and GET /wards/{id}/patients."""

from datetime import timedelta

import sqlalchemy as sa

from tests.patients.helpers import audit_count, parse_z, problem
from wardtrack.core.pagination import encode_cursor
from wardtrack.extensions import db
from wardtrack.patients.models import Patient


def test_team_leader_and_admin_create_patients(ward_setup):
    login = ward_setup.login
    for user, identifier in ((ward_setup.leader, "NEW-1"), (ward_setup.admin, "NEW-2")):
        response = login(user).post("/api/v1/patients", json={"display_name": "  Ola  ", "identifier": identifier})
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        assert body["display_name"] == "Ola" and body["identifier"] == identifier
        assert body["active_episode"] is None and body["key_people"] == []
        stored = db.session.get(Patient, body["id"])
        assert (stored.display_name, stored.identifier) == ("Ola", identifier)
    assert audit_count("patient.create") == 2


def test_nurse_may_not_create_a_patient(ward_setup):
    api = ward_setup.login(ward_setup.nurse)
    problem(api.post("/api/v1/patients", json={"display_name": "Ola", "identifier": "NEW-1"}), 403)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Patient)) == 2


def test_anonymous_gets_401(client, ward_setup):
    problem(client.post("/api/v1/patients", json={"display_name": "Ola", "identifier": "NEW-1"}), 401)
    problem(client.get(f"/api/v1/patients/{ward_setup.patient_a.id}"), 401)


def test_duplicate_identifier_is_409(ward_setup):
    api = ward_setup.login(ward_setup.leader)
    body = problem(api.post("/api/v1/patients", json={"display_name": "Other", "identifier": "PA-1"}), 409)
    assert "identifier" in body["errors"]


def test_bad_identifier_and_unknown_fields_are_422(ward_setup):
    api = ward_setup.login(ward_setup.leader)
    for identifier in ("", "-starts-with-dash", "has space", "x" * 65, "NEW-9\n", "x" * 64 + "\n", 12345, None):
        problem(api.post("/api/v1/patients", json={"display_name": "Ola", "identifier": identifier}), 422,
                "identifier")
    problem(api.post("/api/v1/patients", json={"display_name": "Ola", "identifier": "OK-1", "ssn": "1"}), 422, "ssn")
    problem(api.post("/api/v1/patients", json={"display_name": "   ", "identifier": "OK-2"}), 422, "display_name")
    problem(api.post("/api/v1/patients", json={"identifier": "OK-3"}), 422, "display_name")
    problem(api.post("/api/v1/patients", json={"display_name": "A\x00B", "identifier": "OK-4"}), 422, "display_name")
    problem(api.post("/api/v1/patients", json={"display_name": "x" * 201, "identifier": "OK-5"}), 422, "display_name")
    problem(api.post("/api/v1/patients", json=["not", "an", "object"]), 422)
    response = api.post("/api/v1/patients", data="{not json", content_type="application/json")
    assert response.status_code in (400, 422) and response.mimetype == "application/problem+json"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Patient)) == 2


def test_get_patient_with_active_episode_and_key_people(ward_setup, make):
    patient, doctor = ward_setup.patient_a, ward_setup.doctor
    make.designation(patient, doctor, "safety_person")
    make.designation(patient, ward_setup.nurse_professional, "primary_contact", chosen_by_patient=False)
    response = ward_setup.login(ward_setup.nurse).get(f"/api/v1/patients/{patient.id}")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["id"], body["display_name"], body["identifier"]) == (patient.id, "Patient A", "PA-1")
    episode = body["active_episode"]
    assert episode["ward_id"] == ward_setup.ward_a.id and episode["kind"] == "inpatient"
    assert episode["ended_at"] is None and episode["patient_id"] == patient.id
    parse_z(episode["started_at"])
    people = {person["kind"]: person for person in body["key_people"]}
    assert set(people) == {"safety_person", "primary_contact"}
    assert people["safety_person"]["professional"]["name"] == "Dora Doctor"
    assert people["safety_person"]["chosen_by_patient"] is True
    assert people["primary_contact"]["professional"]["id"] == ward_setup.nurse_professional.id
    parse_z(people["safety_person"]["since"])


def test_every_read_of_a_record_is_audited(ward_setup):
    patient = ward_setup.patient_a
    api = ward_setup.login(ward_setup.nurse)
    for expected in (1, 2, 3):
        assert api.get(f"/api/v1/patients/{patient.id}").status_code == 200
        assert audit_count("patient.read", patient.id) == expected
    problem(api.get(f"/api/v1/patients/{ward_setup.patient_b.id}"), 404)
    assert audit_count("patient.read", ward_setup.patient_b.id) == 0


def test_patients_out_of_reach_are_404(ward_setup, make):
    login, patient_a, patient_b = ward_setup.login, ward_setup.patient_a, ward_setup.patient_b
    problem(login(ward_setup.other_nurse).get(f"/api/v1/patients/{patient_a.id}"), 404)
    problem(login(ward_setup.nurse).get("/api/v1/patients/999999"), 404)
    own = make.user("pat", "patient", patient=patient_a)
    api = login(own)
    problem(api.get(f"/api/v1/patients/{patient_b.id}"), 404)
    response = api.get(f"/api/v1/patients/{patient_a.id}")
    assert response.status_code == 200 and response.get_json()["id"] == patient_a.id
    assert audit_count("patient.read", patient_a.id) == 1


def test_reach_lasts_thirty_days_after_discharge(ward_setup, make):
    ward_a = ward_setup.ward_a
    recent, old = make.patient("Recent", "R-1"), make.patient("Old", "O-1")
    make.episode(recent, ward_a, started=timedelta(days=40), ended=timedelta(days=29))
    make.episode(old, ward_a, started=timedelta(days=60), ended=timedelta(days=31))
    api = ward_setup.login(ward_setup.nurse)
    assert api.get(f"/api/v1/patients/{recent.id}").get_json()["active_episode"] is None
    problem(api.get(f"/api/v1/patients/{old.id}"), 404)
    assert ward_setup.login(ward_setup.admin).get(f"/api/v1/patients/{old.id}").status_code == 200


def _names(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [item["display_name"] for item in response.get_json()["items"]]


def test_ward_list_shows_only_active_episodes_there(ward_setup, make):
    ward_a = ward_setup.ward_a
    make.episode(make.patient("Discharged", "D-1"), ward_a, started=timedelta(days=9), ended=timedelta(days=1))
    both = make.patient("Both Kinds", "BK-1")
    make.episode(both, ward_a, kind="inpatient")
    make.episode(both, ward_a, kind="outpatient", started=timedelta(days=100))
    response = ward_setup.login(ward_setup.nurse).get(f"/api/v1/wards/{ward_a.id}/patients")
    assert _names(response) == ["Both Kinds", "Patient A"]
    items = response.get_json()["items"]
    assert items[0]["active_episode"]["kind"] == "inpatient"
    assert items[1]["active_episode"]["ward_id"] == ward_a.id
    assert response.get_json()["next_cursor"] is None


def test_ward_list_search_and_pagination(ward_setup, make):
    ward_a = ward_setup.ward_a
    for index in range(5):
        make.episode(make.patient(f"Same Name{'_%'[index % 2]}", f"S-{index}"), ward_a)
    api = ward_setup.login(ward_setup.leader)
    url = f"/api/v1/wards/{ward_a.id}/patients"
    assert _names(api.get(url, query_string={"q": "patient a"})) == ["Patient A"]
    assert _names(api.get(url, query_string={"q": "%"})) == ["Same Name%", "Same Name%"]
    assert _names(api.get(url, query_string={"q": "_"})) == ["Same Name_"] * 3
    seen, cursor = [], None
    while True:
        body = api.get(url, query_string={"limit": 2, **({"cursor": cursor} if cursor else {})}).get_json()
        assert len(body["items"]) <= 2
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 6
    problem(api.get(url, query_string={"limit": 0}), 422, "limit")
    problem(api.get(url, query_string={"limit": 501}), 422, "limit")
    problem(api.get(url, query_string={"cursor": "garbage!"}), 422, "cursor")
    problem(api.get(url, query_string={"q": ""}), 422, "q")
    problem(api.get(url, query_string={"q": "a\x00"}), 422, "q")


def test_tampered_ward_list_cursor_is_422(ward_setup):
    api = ward_setup.login(ward_setup.leader)
    url = f"/api/v1/wards/{ward_setup.ward_a.id}/patients"
    for keyset in (["Patient A", "x"], [1, 2], [None, None], [["a"], {"b": 1}], "Patient A"):
        cursor = encode_cursor(keyset)  # made by the service itself: only the content is wrong
        problem(api.get(url, query_string={"cursor": cursor}), 422, "cursor")


def test_ward_list_access(ward_setup, make):
    login, ward_a = ward_setup.login, ward_setup.ward_a
    problem(login(ward_setup.other_nurse).get(f"/api/v1/wards/{ward_a.id}/patients"), 403)
    problem(login(ward_setup.nurse).get("/api/v1/wards/999999/patients"), 404)
    assert _names(login(ward_setup.admin).get(f"/api/v1/wards/{ward_setup.ward_b.id}/patients")) == [
        "Patient B"]
    own = make.user("pat", "patient", patient=ward_setup.patient_a)
    problem(login(own).get(f"/api/v1/wards/{ward_a.id}/patients"), 403)


def test_ids_beyond_the_id_columns_are_404(ward_setup):
    api, big = ward_setup.login(ward_setup.admin), 2**31
    body = {"professional_id": ward_setup.doctor.id, "chosen_by_patient": True}
    for method, url, payload in (
        ("get", f"/api/v1/patients/{big}", None), ("get", f"/api/v1/wards/{big}/patients", None),
        ("patch", f"/api/v1/episodes/{big}", {"ended_at": "2026-11-01T00:00:00Z"}),
        ("put", f"/api/v1/patients/{big}/safety-person", body),
        ("delete", f"/api/v1/patients/{2**64}/safety-person", None),
        ("get", f"/api/v1/patients/{big}/contacts", None), ("get", f"/api/v1/patients/{big}/relationships", None),
    ):
        problem(getattr(api, method)(url, **({"json": payload} if payload else {})), 404)
