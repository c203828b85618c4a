"""Admission obeys reach (issue 17, findings 1 and 11): POST /api/v1/patients/{id}/episodes.

Patient A is known on ward A; Lena leads ward B and does not reach patient A. Admitting patient A to ward B
needs a reason, cannot be an already-ended episode, is audited, shows in patient A's access log and in the
review list of ward A's team leader; an unknown patient and one out of reach get the same answers.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import g

from tests.core.problems import assert_problem
from tests.crisisplans.conftest import PLAN
from wardtrack.access.models import OutsideAdmission
from wardtrack.access.operations import HOSPITAL_FEED, admit
from wardtrack.audit.models import AuditEvent
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.patients.models import Episode

REASON = "Transferred to us from ward A after an assessment tonight."


@pytest.fixture
def world(ward_setup, make, login):
    leader_b = make.user("lena", "team_leader", wards=[ward_setup.ward_b], professional=make.professional(
        "Lena Leader", "nurse", [ward_setup.ward_b]))
    w = ward_setup.with_(leader_b=leader_b, pat_a=make.user("pat-a", "patient", patient=ward_setup.patient_a),
                         lena=login(leader_b))
    assert login(w.nurse).put(f"/api/v1/patients/{w.patient_a.id}/crisis-plan", json=PLAN).status_code == 201
    return w


def episode(ward, **extra) -> dict:
    started = (utcnow() - timedelta(hours=2)).isoformat()
    return {"ward_id": ward.id, "kind": "inpatient", "started_at": started, "legal_status": "voluntary", **extra}


def url(patient_id: int) -> str:
    return f"/api/v1/patients/{patient_id}/episodes"


def episodes(patient) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Episode).where(Episode.patient_id == patient.id))


def test_a_backdated_ended_episode_buys_no_reach(world, login):
    """The reviewer's exact move: an already-ended outpatient episode in the past, then the crisis plan."""
    patient, lena = world.patient_a, world.lena
    now = utcnow()
    backdated = episode(world.ward_b, kind="outpatient", started_at=(now - timedelta(days=20)).isoformat(),
                        ended_at=(now - timedelta(days=19)).isoformat())
    assert_problem(lena.post(url(patient.id), json=backdated), 422, "reason")
    assert_problem(lena.post(url(patient.id), json={**backdated, "reason": REASON}), 422, "ended_at")
    assert episodes(patient) == 1
    assert_problem(lena.get(f"/api/v1/patients/{patient.id}/crisis-plan"), 404)
    assert_problem(login(world.other_nurse).get(f"/api/v1/patients/{patient.id}"), 404)


def test_without_a_reason_nothing_happens(world, login):
    patient, lena = world.patient_a, world.lena
    for extra in ({}, {"reason": None}, {"reason": "short"}, {"reason": "x" * 501}, {"reason": "bad\x00byte here"}):
        assert_problem(lena.post(url(patient.id), json=episode(world.ward_b, **extra)), 422, "reason")
    assert episodes(patient) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutsideAdmission)) == 0
    assert_problem(lena.get(f"/api/v1/patients/{patient.id}"), 404)


def test_an_outside_admission_is_audited_logged_for_the_patient_and_reviewed_by_the_previous_ward(world, login):
    patient, lena = world.patient_a, world.lena
    response = lena.post(url(patient.id), json=episode(world.ward_b, kind="outpatient", reason="  " + REASON + " "))
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert "reason" not in created and created["ward_id"] == world.ward_b.id
    # the admission gives ward B ordinary reach
    assert lena.get(f"/api/v1/patients/{patient.id}/crisis-plan").status_code == 200
    assert login(world.other_nurse).get(f"/api/v1/patients/{patient.id}").status_code == 200

    [admission] = db.session.scalars(sa.select(OutsideAdmission)).all()
    assert (admission.episode_id, admission.user_id, admission.from_ward_id, admission.reason) == (
        created["id"], world.leader_b.id, world.ward_a.id, REASON)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "episode.admit_outside"))
    assert (event.actor_user_id, event.patient_id, event.object_type, event.object_id) == (
        world.leader_b.id, patient.id, "outside_admission", str(admission.id))

    log = login(world.pat_a).get("/api/v1/me/access-log").get_json()["items"]
    admitted = [item for item in log if item["action"] == "episode.admit_outside"]
    assert [(i["who"], i["role"], i["reason"]) for i in admitted] == [("Lena Leader", "team_leader", REASON)]
    actions = [item["action"] for item in log]  # newest first: the reads after the admission that allowed them
    assert actions.index("episode.admit_outside") > actions.index("crisis_plan.read")

    leader_a = login(world.leader)
    items = leader_a.get("/api/v1/emergency-access?status=unreviewed").get_json()["items"]
    assert [(i["kind"], i["id"], i["patient_id"], i["who"], i["reason"], i["episode_id"], i["ward_id"], i["active"])
            for i in items] == [("outside_admission", admission.id, patient.id, "Lena Leader", REASON, created["id"],
                                 world.ward_b.id, True)]
    assert items[0]["expires_at"] is None
    assert lena.get("/api/v1/emergency-access").get_json()["items"] == []  # not her previous ward, not hers
    assert [i["id"] for i in login(world.admin).get("/api/v1/emergency-access").get_json()["items"]] == [
        admission.id]
    assert_problem(lena.post(f"/api/v1/outside-admissions/{admission.id}/review", json={"note": "fine"}), 404)
    reviewed = leader_a.post(f"/api/v1/outside-admissions/{admission.id}/review", json={"note": "Agreed transfer."})
    assert reviewed.status_code == 200, reviewed.get_json()
    assert (reviewed.get_json()["reviewed_by"], reviewed.get_json()["review_note"]) == (
        world.leader.id, "Agreed transfer.")
    assert leader_a.get("/api/v1/emergency-access?status=unreviewed").get_json()["items"] == []
    assert_problem(leader_a.post(f"/api/v1/outside-admissions/{admission.id}/review", json={"note": "again"}), 409)
    assert_problem(login(world.nurse).post(f"/api/v1/outside-admissions/{admission.id}/review",
                                              json={"note": "fine"}), 403)


def test_no_one_reviews_their_own_outside_admission(world, login, make):
    both = make.user("bo", "team_leader", wards=[world.ward_a, world.ward_b])
    other = make.patient("Patient C", "PC-1")
    make.episode(other, world.ward_a, started=timedelta(days=60), ended=timedelta(days=45))  # beyond reach
    api = login(both)
    assert api.post(url(other.id), json=episode(world.ward_b, reason=REASON)).status_code == 201
    [item] = api.get("/api/v1/emergency-access").get_json()["items"]
    assert_problem(api.post(f"/api/v1/outside-admissions/{item['id']}/review", json={"note": "fine"}), 403)


def test_within_reach_or_just_registered_needs_no_reason(world, login):
    leader = login(world.leader)
    assert leader.post(url(world.patient_a.id), json=episode(world.ward_a, kind="outpatient")).status_code == 201
    new = leader.post("/api/v1/patients", json={"display_name": "New Patient", "identifier": "NP-1"}).get_json()
    assert leader.post(url(new["id"]), json=episode(world.ward_a)).status_code == 201
    admin = login(world.admin)
    assert admin.post(url(world.patient_b.id), json=episode(world.ward_a, kind="outpatient")).status_code == 201
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutsideAdmission)) == 0


def test_a_grant_does_not_count_as_reach_for_admitting(world):
    patient, lena = world.patient_a, world.lena
    grant = lena.post(f"/api/v1/patients/{patient.id}/emergency-access", json={"reason": REASON})
    assert grant.status_code == 201
    assert lena.get(f"/api/v1/patients/{patient.id}").status_code == 200
    assert_problem(lena.post(url(patient.id), json=episode(world.ward_b)), 422, "reason")


@pytest.mark.parametrize("body", [
    {"ward_id": 888888},                                 # unknown ward
    {},                                                  # no reason
    {"ended_at": (utcnow() - timedelta(hours=1)).isoformat(), "reason": REASON},  # ended, with a reason
    {"started_at": (utcnow() + timedelta(days=1)).isoformat()},  # in the future
])
def test_an_unknown_patient_and_one_out_of_reach_get_the_same_answer(world, body):
    """Finding 11: reach is decided first, and nothing after it tells the two apart until a reason is given."""
    lena = world.lena
    unknown = lena.post(url(999999), json=episode(world.ward_b, **body))
    outside = lena.post(url(world.patient_a.id), json=episode(world.ward_b, **body))
    assert unknown.status_code == outside.status_code and unknown.status_code in (403, 422)
    assert unknown.get_json() == {**outside.get_json(), "detail": unknown.get_json()["detail"]}
    assert unknown.get_json()["detail"].replace("999999", "") == outside.get_json()["detail"].replace(
        str(world.patient_a.id), "")
    assert episodes(world.patient_a) == 1


def test_with_a_reason_an_unknown_patient_is_404(world):
    assert_problem(world.lena.post(url(999999), json=episode(world.ward_b, reason=REASON)), 404)


def test_the_hospital_feed_admits_through_the_same_operation_without_the_rule_about_people(world, app):
    with app.test_request_context(method="POST"):
        g.caller = None  # the tests' requests share one app context; the feed runs in its own
        created = admit(HOSPITAL_FEED, world.patient_a.id, ward_id=world.ward_b.id, kind="outpatient",
                        started_at=utcnow() - timedelta(hours=1), legal_status="voluntary", location="Room 3")
        db.session.commit()
    assert (created.ward_id, created.location) == (world.ward_b.id, "Room 3")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutsideAdmission)) == 0
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "episode.create"))
    assert (event.actor_user_id, event.actor_role, event.object_id) == (None, "system", str(created.id))
