"""Writing, reading and listing crisis-plan versions over HTTP: access, locking, validation, audit."""

import sqlalchemy as sa

from tests.crisisplans.conftest import PLAN, plan_url, put_plan
from wardtrack.audit.models import AuditEvent
from wardtrack.crisisplans.models import CrisisPlanVersion
from wardtrack.extensions import db


def audit_count(action, patient_id):
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.patient_id == patient_id))


def test_put_creates_version_one_and_get_returns_it_decrypted(setup):
    patient = setup.patient_a
    response = put_plan(setup.as_nurse, patient)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["version"] == 1 and created["created_by"] == {"name": "Nina Nurse", "role": "nurse"}
    assert created["created_at"].endswith("Z") and response.headers["ETag"].startswith('"')
    got = setup.as_leader.get(plan_url(patient))
    assert got.status_code == 200
    body = got.get_json()
    assert {k: body[k] for k in PLAN} == PLAN
    assert got.headers["ETag"] == response.headers["ETag"]


def test_versions_need_if_match_428_and_stale_412(setup):
    patient, nurse, leader = setup.patient_a, setup.as_nurse, setup.as_leader
    first = put_plan(nurse, patient)
    etag = first.headers["ETag"]
    missing = put_plan(leader, patient, {"note": "no if-match"})
    assert missing.status_code == 428 and missing.content_type == "application/problem+json"
    second = put_plan(leader, patient, {"note": "second"}, etag)
    assert second.status_code == 201 and second.get_json()["version"] == 2
    stale = put_plan(nurse, patient, {"note": "stale"}, etag)
    assert stale.status_code == 412 and stale.content_type == "application/problem+json"
    third = put_plan(nurse, patient, {"note": "third"}, second.headers["ETag"])
    assert third.status_code == 201 and third.get_json()["version"] == 3
    latest = leader.get(plan_url(patient)).get_json()
    assert latest["note"] == "third" and "warning_signs" not in latest
    versions = leader.get(plan_url(patient) + "/versions").get_json()["items"]
    assert [v["version"] for v in versions] == [3, 2, 1]
    assert all("note" not in v and "warning_signs" not in v for v in versions)
    first = leader.get(plan_url(patient) + "/versions?limit=2").get_json()
    rest = leader.get(plan_url(patient) + f"/versions?limit=2&cursor={first['next_cursor']}").get_json()
    assert [v["version"] for v in first["items"] + rest["items"]] == [3, 2, 1] and rest["next_cursor"] is None


def test_if_match_without_any_version_is_412(setup):
    assert put_plan(setup.as_nurse, setup.patient_a, etag='"crisis-plan-1-v1"').status_code == 412


def test_access_rules(setup):
    patient = setup.patient_a
    assert put_plan(setup.as_other, patient).status_code == 404  # out of reach
    assert put_plan(setup.as_admin, patient).status_code == 403
    assert put_plan(setup.as_patient, patient).status_code == 403
    assert setup.as_nurse.get(plan_url(patient)).status_code == 404  # no plan yet
    put_plan(setup.as_nurse, patient)
    assert setup.as_other.get(plan_url(patient)).status_code == 404
    assert setup.as_other.get(plan_url(patient) + "/versions").status_code == 404
    assert setup.as_patient.get(plan_url(patient)).status_code == 403


def test_patient_reads_own_plan_only(setup):
    patient_a, patient_b = setup.patient_a, setup.patient_b
    assert setup.as_patient.get("/api/v1/me/crisis-plan").status_code == 404
    put_plan(setup.as_nurse, patient_a)
    mine = setup.as_patient.get("/api/v1/me/crisis-plan")
    assert mine.status_code == 200 and mine.get_json()["warning_signs"] == PLAN["warning_signs"]
    assert audit_count("crisis_plan.read", patient_a.id) == 1
    assert setup.as_patient_b.get("/api/v1/me/crisis-plan").status_code == 404  # B has none
    assert setup.as_patient_b.get(plan_url(patient_a)).status_code == 403
    assert setup.as_nurse.get("/api/v1/me/crisis-plan").status_code == 403
    assert audit_count("crisis_plan.read", patient_b.id) == 0


def test_each_staff_read_is_exactly_one_audit_event(setup):
    patient = setup.patient_a
    put_plan(setup.as_nurse, patient)
    assert audit_count("crisis_plan.write", patient.id) == 1
    assert audit_count("crisis_plan.read", patient.id) == 0
    for expected in (1, 2, 3):
        assert setup.as_leader.get(plan_url(patient)).status_code == 200
        assert audit_count("crisis_plan.read", patient.id) == expected
    setup.as_leader.get(plan_url(patient) + "/versions")
    assert audit_count("crisis_plan.read", patient.id) == 3


def test_validation(setup):
    nurse, patient = setup.as_nurse, setup.patient_a
    bad = {
        "unknown_field": 1,
        "warning_signs": ["x" * 201],
        "coping_strategies": ["a"] * 31,
        "support_contacts": [{"name": "Sara", "phone": "call me"}],
        "note": "x" * 4001,
        "patient_controlled_admission": {"agreed": True, "max_days_per_stay": 15},
    }
    response = put_plan(nurse, patient, bad)
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    errors = response.get_json()["errors"]
    assert set(errors) >= {"unknown_field", "warning_signs", "coping_strategies", "support_contacts", "note",
                           "patient_controlled_admission"}
    no_ward = put_plan(nurse, patient, {"patient_controlled_admission": {"agreed": True, "ward_id": 999}})
    assert no_ward.status_code == 422 and "patient_controlled_admission.ward_id" in no_ward.get_json()["errors"]


def test_admission_defaults(setup):
    response = put_plan(setup.as_nurse, setup.patient_a, {"patient_controlled_admission": {"agreed": False}})
    assert response.status_code == 201
    agreement = setup.as_nurse.get(plan_url(setup.patient_a)).get_json()["patient_controlled_admission"]
    assert agreement["max_days_per_stay"] == 5 and agreement["min_days_between_stays"] == 14


def test_two_writers_racing_past_the_check_get_412(setup, monkeypatch):
    """Both saw version 1: the unique (patient, version) lets the first in and answers the second 412."""
    from wardtrack.crisisplans import operations

    patient = setup.patient_a
    first = put_plan(setup.as_nurse, patient)
    put_plan(setup.as_nurse, patient, {"note": "winner"}, first.headers["ETag"])
    version_one = db.session.scalar(sa.select(CrisisPlanVersion).where(CrisisPlanVersion.version == 1))
    monkeypatch.setattr(operations.queries, "latest", lambda _patient_id: version_one)  # a read before the win
    loser = put_plan(setup.as_leader, patient, {"note": "loser"}, first.headers["ETag"])
    assert loser.status_code == 412 and loser.content_type == "application/problem+json"
    monkeypatch.undo()
    assert setup.as_leader.get(plan_url(patient)).get_json()["note"] == "winner"
    assert audit_count("crisis_plan.write", patient.id) == 2


def test_openapi_describes_the_crisis_plan_paths(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/patients/{patient_id}/crisis-plan", "/api/v1/patients/{patient_id}/crisis-plan/versions",
                 "/api/v1/me/crisis-plan"):
        assert path in paths
    assert {"201", "412", "422", "428"} <= set(paths["/api/v1/patients/{patient_id}/crisis-plan"]["put"]["responses"])
