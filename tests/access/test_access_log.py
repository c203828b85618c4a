"""The patient's access log: every staff read of their record and crisis plan, once, and nothing else."""

import pytest

from tests.access.conftest import REASON, break_glass, expire
from tests.core.problems import assert_problem
from wardtrack.audit.operations import record
from wardtrack.extensions import db

LOG = "/api/v1/me/access-log"


def _log(api, **query) -> list[dict]:
    response = api.get(LOG, query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_the_patient_sees_the_emergency_access_with_its_reason_and_the_read_after_it(glass, login):
    patient = glass.patient_a
    grant = break_glass(glass.stranger, patient).get_json()
    glass.stranger.get(f"/api/v1/patients/{patient.id}")
    items = _log(login(glass.pat_a))
    assert [(i["action"], i["who"], i["role"]) for i in items] == [
        ("patient.read", "Olga Outreach", "nurse"), ("emergency_access.grant", "Olga Outreach", "nurse")]
    assert items[1]["reason"] == REASON and "reason" not in items[0]
    assert items[0]["at"].endswith("Z") and items[0]["at"] >= items[1]["at"]
    expire(grant["id"])
    glass.stranger.get(f"/api/v1/patients/{patient.id}")  # a 404 now: not a read
    assert len(_log(login(glass.pat_a))) == 2


def test_each_staff_read_shows_exactly_once_and_nothing_of_other_patients(glass, login):
    a, b = glass.patient_a, glass.patient_b
    nurse, leader, other = login(glass.nurse), login(glass.leader), login(glass.other_nurse)
    reads = [(nurse, f"/api/v1/patients/{a.id}", "patient.read"),
             (nurse, f"/api/v1/patients/{a.id}/contacts", "contacts.read"),
             (leader, f"/api/v1/patients/{a.id}/relationships", "relationships.read"),
             (leader, f"/api/v1/patients/{a.id}/flags", "flags.read"),
             (nurse, f"/api/v1/patients/{a.id}/continuity", "continuity.read"),
             (nurse, f"/api/v1/patients/{a.id}", "patient.read")]
    for api, path, _ in reads:
        assert api.get(path).status_code == 200, path
    other.get(f"/api/v1/patients/{b.id}")
    mine = login(glass.pat_a)
    mine.get(f"/api/v1/patients/{a.id}")  # the patient's own read is not listed
    items = _log(mine)
    assert [i["action"] for i in items] == [action for *_, action in reversed(reads)]
    who = {"nina": "Nina Nurse", "tom": "tom"}
    expected = [who["tom" if api is leader else "nina"] for api, *_ in reversed(reads)]
    assert [i["who"] for i in items] == expected
    assert {i["role"] for i in items} == {"nurse", "team_leader"}
    assert [i["action"] for i in _log(login(glass.pat_b))] == ["patient.read"]


def test_other_audit_events_are_not_reads(glass, login, app):
    with app.test_request_context():
        record("crisis_plan.read", patient_id=glass.patient_a.id, actor=glass.nurse)
        record("episode.create", patient_id=glass.patient_a.id, actor=glass.leader)
        record("patient.read", patient_id=glass.patient_a.id)  # by the system: no one to name
    db.session.commit()
    assert [i["action"] for i in _log(login(glass.pat_a))] == ["crisis_plan.read"]


def test_the_log_is_paginated(glass, login):
    nurse = login(glass.nurse)
    for _ in range(5):
        nurse.get(f"/api/v1/patients/{glass.patient_a.id}")
    mine = login(glass.pat_a)
    first = mine.get(LOG, query_string={"limit": 3}).get_json()
    second = mine.get(LOG, query_string={"limit": 3, "cursor": first["next_cursor"]}).get_json()
    assert len(first["items"]) == 3 and len(second["items"]) == 2 and second["next_cursor"] is None
    assert [i["at"] for i in first["items"] + second["items"]] == sorted(
        (i["at"] for i in first["items"] + second["items"]), reverse=True)
    assert_problem(mine.get(LOG, query_string={"limit": 0}), 422, "limit")


@pytest.mark.parametrize("who", ["nurse", "leader", "admin"])
def test_only_patients_have_an_access_log(glass, login, who):
    assert_problem(login(getattr(glass, who)).get(LOG), 403)


def test_a_patient_cannot_call_staff_endpoints(glass, login):
    api = login(glass.pat_a)
    a = glass.patient_a
    assert_problem(api.get(f"/api/v1/patients/{a.id}/contacts"), 403)
    assert_problem(api.get(f"/api/v1/wards/{glass.ward_a.id}/patients"), 403)
    assert_problem(break_glass(api, glass.patient_b), 403)
    assert_problem(api.get("/api/v1/emergency-access"), 403)
