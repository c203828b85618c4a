"""The ward's team leader reviews emergency accesses to the ward's patients."""

from datetime import timedelta

import sqlalchemy as sa

from tests.access.conftest import REASON, break_glass
from tests.core.problems import assert_problem
from wardtrack.audit.models import AuditEvent
from wardtrack.extensions import db

UNREVIEWED = "/api/v1/emergency-access?status=unreviewed"


def test_the_wards_team_leader_sees_the_grant_and_reviews_it(glass, login):
    grant = break_glass(glass.stranger, glass.patient_a).get_json()
    leader = login(glass.leader)
    items = leader.get(UNREVIEWED).get_json()["items"]
    assert [(i["id"], i["patient_id"], i["reason"], i["who"]) for i in items] == [
        (grant["id"], glass.patient_a.id, REASON, "Olga Outreach")]
    response = leader.post(f"/api/v1/emergency-access/{grant['id']}/review", json={"note": "Justified; discussed."})
    assert response.status_code == 200, response.get_json()
    reviewed = response.get_json()
    assert reviewed["reviewed_by"] == glass.leader.id and reviewed["review_note"] == "Justified; discussed."
    assert reviewed["reviewed_at"] is not None
    assert leader.get(UNREVIEWED).get_json()["items"] == []
    assert [i["id"] for i in leader.get("/api/v1/emergency-access?status=reviewed").get_json()["items"]] == [
        grant["id"]]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "emergency_access.review"))
    assert (event.actor_user_id, event.patient_id, event.object_type, event.object_id) == (
        glass.leader.id, glass.patient_a.id, "emergency_access", str(grant["id"]))
    assert_problem(leader.post(f"/api/v1/emergency-access/{grant['id']}/review", json={"note": "again"}), 409)


def test_a_review_needs_a_note(glass, login):
    grant = break_glass(glass.stranger, glass.patient_a).get_json()
    leader = login(glass.leader)
    for body in ({}, {"note": ""}, {"note": "   "}, {"note": "x" * 1001}, {"note": "bad\x00byte"}):
        assert_problem(leader.post(f"/api/v1/emergency-access/{grant['id']}/review", json=body), 422)


def test_nurses_and_patients_may_not_review_or_list(glass, login):
    grant = break_glass(glass.stranger, glass.patient_a).get_json()
    for who in ("nurse", "pat_a"):
        api = login(getattr(glass, who))
        assert_problem(api.post(f"/api/v1/emergency-access/{grant['id']}/review", json={"note": "fine"}), 403)
        assert_problem(api.get(UNREVIEWED), 403)
    assert_problem(glass.stranger.post(f"/api/v1/emergency-access/{grant['id']}/review",
                                          json={"note": "fine"}), 403)


def test_other_wards_leaders_neither_see_nor_review_it_and_admins_see_all(glass, login):
    grant = break_glass(glass.stranger, glass.patient_a).get_json()
    other = login(glass.leader_b)
    assert other.get(UNREVIEWED).get_json()["items"] == []
    assert_problem(other.post(f"/api/v1/emergency-access/{grant['id']}/review", json={"note": "fine"}), 404)
    assert_problem(login(glass.leader).post("/api/v1/emergency-access/99999/review", json={"note": "x"}), 404)
    admin = login(glass.admin)
    assert [i["id"] for i in admin.get(UNREVIEWED).get_json()["items"]] == [grant["id"]]


def test_no_one_reviews_their_own_grant(glass, login, make):
    api = login(glass.leader_b)
    grant = break_glass(api, glass.patient_a).get_json()
    make.episode(glass.patient_a, glass.ward_b, kind="outpatient", started=timedelta(hours=1))
    assert [i["id"] for i in api.get(UNREVIEWED).get_json()["items"]] == [grant["id"]]
    assert_problem(api.post(f"/api/v1/emergency-access/{grant['id']}/review", json={"note": "fine"}), 403)


def test_the_list_is_paginated_newest_first_and_checks_its_status(glass, login):
    ids = [break_glass(glass.stranger, glass.patient_a, f"{REASON} ({n})").get_json()["id"] for n in range(3)]
    leader = login(glass.leader)
    first = leader.get(f"{UNREVIEWED}&limit=2").get_json()
    second = leader.get(f"{UNREVIEWED}&limit=2&cursor={first['next_cursor']}").get_json()
    assert [i["id"] for i in first["items"] + second["items"]] == ids[::-1]
    assert second["next_cursor"] is None
    assert_problem(leader.get("/api/v1/emergency-access?status=open"), 422, "status")
    assert_problem(leader.get("/api/v1/emergency-access?cursor=forged.cursor"), 422, "cursor")
