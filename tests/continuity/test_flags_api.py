"""GET /patients/{id}/flags, GET /wards/{id}/flags, POST /flags/{id}/acknowledge and /resolve: access, audit,
validation and the lifecycle's conflicts."""

import pytest

from tests.patients.helpers import audit_count, parse_z, problem

ITEM_KEYS = {"id", "patient_id", "code", "severity", "status", "opened_at", "resolved_at", "detail", "reasons"}


@pytest.fixture
def flagged(world):
    """A patient admitted to ward A through the API, with an open no_safety_person flag."""
    patient = world.patient()
    world.admit(patient, started_days_ago=5)
    flag = world.open_flags(patient)["no_safety_person"]
    return patient, flag


def settle(api, flag_id, action, note="Talked to the patient; the team will ask about a safety person."):
    return api.post(f"/api/v1/flags/{flag_id}/{action}", json={"note": note})


def test_patient_flags_are_listed_and_every_read_is_audited(world, flagged):
    patient, flag = flagged
    assert set(flag) >= ITEM_KEYS
    parse_z(flag["opened_at"])
    before = audit_count("flags.read", patient.id)
    assert [f["id"] for f in world.flags(patient, api=world.nurse)] == [flag["id"]]
    assert audit_count("flags.read", patient.id) == before + 1
    assert world.flags(patient, "resolved") == []


def test_a_flag_says_why_in_language_neutral_reasons_beside_the_english_detail(world, flagged):
    patient, flag = flagged
    assert flag["reasons"] == [{"key": "no_safety_person", "params": {}}]
    assert flag["detail"] == "No safety person named for a patient in care."
    ward = world.leader.get(f"/api/v1/wards/{world.ward_a.id}/flags").get_json()
    assert next(f for f in ward["items"] if f["id"] == flag["id"])["reasons"] == flag["reasons"]


def test_patient_flags_out_of_reach_unknown_or_anonymous(world, flagged, client):
    patient, _flag = flagged
    other = world.login(world.make.user("olga", "nurse", wards=[world.ward_b]))
    problem(other.get(f"/api/v1/patients/{patient.id}/flags"), 404)
    problem(world.leader.get("/api/v1/patients/999999/flags"), 404)
    problem(client.get(f"/api/v1/patients/{patient.id}/flags"), 401)
    problem(world.leader.get(f"/api/v1/patients/{patient.id}/flags?status=closed"), 422, "status")


def test_ward_flags_list_the_patients_in_care_there(world, flagged):
    patient, flag = flagged
    elsewhere = world.patient("Patient B")
    world.admit(elsewhere, started_days_ago=3, ward=world.ward_b)
    response = world.nurse.get(f"/api/v1/wards/{world.ward_a.id}/flags?status=open")
    assert response.status_code == 200, response.get_json()
    items = response.get_json()["items"]
    assert [(item["id"], item["patient_id"]) for item in items] == [(flag["id"], patient.id)]
    assert set(items[0]) >= ITEM_KEYS and items[0]["resolved_at"] is None
    assert audit_count("ward.flags.list") == 1
    # ward B's patient was queued and is recomputed when ward B's flags are read
    on_b = world.admin.get(f"/api/v1/wards/{world.ward_b.id}/flags").get_json()["items"]
    assert {item["patient_id"] for item in on_b} == {elsewhere.id}


def test_ward_flags_access_and_paging(world, flagged):
    patient, _flag = flagged
    problem(world.nurse.get(f"/api/v1/wards/{world.ward_b.id}/flags"), 403)
    problem(world.nurse.get("/api/v1/wards/999999/flags"), 404)
    problem(world.nurse.get(f"/api/v1/wards/{world.ward_a.id}/flags?limit=0"), 422, "limit")
    problem(world.nurse.get(f"/api/v1/wards/{world.ward_a.id}/flags?cursor=bogus"), 422, "cursor")
    second = world.patient("Patient C")
    world.admit(second, started_days_ago=2)
    first_page = world.nurse.get(f"/api/v1/wards/{world.ward_a.id}/flags?limit=1").get_json()
    assert len(first_page["items"]) == 1 and first_page["next_cursor"]
    rest = world.nurse.get(f"/api/v1/wards/{world.ward_a.id}/flags?limit=1&cursor={first_page['next_cursor']}")
    assert rest.status_code == 200
    both = {first_page["items"][0]["patient_id"], rest.get_json()["items"][0]["patient_id"]}
    assert both == {patient.id, second.id}


def test_acknowledge_then_resolve_by_a_team_leader_is_audited(world, flagged):
    patient, flag = flagged
    response = settle(world.leader, flag["id"], "acknowledge")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "acknowledged" and body["acknowledged_by"] == world.leader_user.id
    assert body["acknowledge_note"].startswith("Talked to the patient")
    parse_z(body["acknowledged_at"])
    assert audit_count("flag.acknowledge", patient.id) == 1
    problem(settle(world.leader, flag["id"], "acknowledge"), 409)

    response = settle(world.leader, flag["id"], "resolve", "  Agreed with the patient to wait.  ")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "resolved" and body["resolved_by"] == world.leader_user.id
    assert body["resolve_note"] == "Agreed with the patient to wait." and body["suppressed"] is True
    assert audit_count("flag.resolve", patient.id) == 1
    problem(settle(world.leader, flag["id"], "acknowledge"), 409)
    problem(settle(world.leader, flag["id"], "resolve"), 409)


def test_an_admin_may_settle_a_flag(world, flagged):
    _patient, flag = flagged
    assert settle(world.admin, flag["id"], "resolve").status_code == 200


@pytest.mark.parametrize("action", ["acknowledge", "resolve"])
def test_who_may_settle_a_flag(world, flagged, action):
    _patient, flag = flagged
    problem(settle(world.nurse, flag["id"], action), 403)
    problem(settle(world.login(world.leader_b_user), flag["id"], action), 404)  # not in that leader's reach
    problem(settle(world.leader, 999999, action), 404)
    assert world.flags(_patient)[0]["status"] == "open"


@pytest.mark.parametrize("body", [{}, {"note": ""}, {"note": "   "}, {"note": "x" * 1001}, {"note": "a\tb"},
                                  {"note": "line\nbreak"}, {"note": 5}, {"note": None}])
def test_the_note_is_required_and_checked(world, flagged, body):
    _patient, flag = flagged
    problem(world.leader.post(f"/api/v1/flags/{flag['id']}/acknowledge", json=body), 422, "note")


def test_unknown_fields_and_malformed_json_are_refused(world, flagged):
    _patient, flag = flagged
    problem(world.leader.post(f"/api/v1/flags/{flag['id']}/resolve", json={"note": "ok", "by": 1}), 422, "by")
    problem(world.leader.post(f"/api/v1/flags/{flag['id']}/resolve", data="{",
                              headers={"Content-Type": "application/json"}), 400)


def test_a_note_of_1000_characters_is_kept(world, flagged):
    _patient, flag = flagged
    response = settle(world.leader, flag["id"], "acknowledge", "é" * 1000)
    assert response.status_code == 200 and response.get_json()["acknowledge_note"] == "é" * 1000
