"""Reminders stay within reach (issue 17, finding 10).

A maintenance plan's professional must be able to reach the patient (422 naming professional_id otherwise),
and GET /api/v1/reminders lists, and done/snooze act on, only patients within the caller's reach, whatever
professional a reminder names (a plan made before this rule, or a patient who has since moved on).
"""

from datetime import timedelta

import pytest

from tests.core.problems import assert_problem
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.reminders.models import MaintenancePlan, Reminder


@pytest.fixture
def world(ward_setup, make, login):
    olga_professional = make.professional("Olga Outreach", "nurse", [ward_setup.ward_b])
    ward_setup.other_nurse.professional_id = olga_professional.id
    db.session.commit()
    return ward_setup.with_(olga_professional=olga_professional,
                            locum_b=make.professional("Lars Locum", "doctor", [ward_setup.ward_b]),  # no login
                            leader_api=login(ward_setup.leader))


def plans(patient) -> str:
    return f"/api/v1/patients/{patient.id}/maintenance-plans"


def test_a_plans_professional_must_reach_the_patient(world):
    leader, patient = world.leader_api, world.patient_a
    for professional in (world.olga_professional, world.locum_b):  # a login on ward B; a locum of ward B
        assert_problem(leader.post(plans(patient), json={"professional_id": professional.id}), 422, "professional_id")
    assert db.session.query(MaintenancePlan).count() == 0
    for professional in (world.nurse_professional, world.doctor):  # a login on ward A; a locum of ward A
        response = leader.post(plans(patient), json={"professional_id": professional.id})
        assert response.status_code == 201, response.get_json()


def test_a_professional_whose_login_lost_the_ward_cannot_be_named(world, make):
    moved = make.professional("Mona Moved", "psychologist", [world.ward_a])
    make.user("mona", "nurse", wards=[world.ward_b], professional=moved)  # her login now works on ward B
    assert_problem(world.leader_api.post(plans(world.patient_a), json={"professional_id": moved.id}), 422,
                   "professional_id")


def _reminder(patient, professional, ward) -> Reminder:
    """A due reminder of a plan made before the rule (straight in the database)."""
    now = utcnow()
    plan = MaintenancePlan(patient_id=patient.id, professional_id=professional.id, interval_days=30,
                           started_at=now - timedelta(days=40))
    db.session.add(plan)
    db.session.flush()
    reminder = Reminder(plan_id=plan.id, patient_id=patient.id, kind="maintenance_due", due_on=now.date(),
                        due_at=now - timedelta(days=1), basis_at=plan.started_at, professional_id=professional.id,
                        ward_id=ward.id, status="open", created_at=now)
    db.session.add(reminder)
    db.session.commit()
    return reminder


def test_reminders_list_and_settle_only_patients_within_reach(world, login):
    outside = _reminder(world.patient_a, world.olga_professional, world.ward_a)
    own = _reminder(world.patient_b, world.olga_professional, world.ward_b)
    olga = login(world.other_nurse)
    listed = olga.get("/api/v1/reminders").get_json()["items"]
    assert [(item["id"], item["patient_name"]) for item in listed] == [(own.id, "Patient B")]
    assert_problem(olga.post(f"/api/v1/reminders/{outside.id}/done"), 404)
    until = (utcnow() + timedelta(days=3)).date().isoformat()
    assert_problem(olga.post(f"/api/v1/reminders/{outside.id}/snooze", json={"until": until}), 404)
    db.session.expire_all()
    assert db.session.get(Reminder, outside.id).status == "open"
    assert olga.post(f"/api/v1/reminders/{own.id}/done").status_code == 200
    # ward A's team leader, who reaches patient A, still sees and settles the reminder of their ward
    leader_items = world.leader_api.get("/api/v1/reminders").get_json()["items"]
    assert [item["id"] for item in leader_items] == [outside.id]
    assert world.leader_api.post(f"/api/v1/reminders/{outside.id}/done").status_code == 200


def test_a_team_leader_sees_no_reminder_of_their_ward_for_a_patient_out_of_reach(world, login, make):
    leader_b = login(make.user("lena", "team_leader", wards=[world.ward_b]))
    stray = _reminder(world.patient_a, world.doctor, world.ward_b)
    assert leader_b.get("/api/v1/reminders").get_json()["items"] == []
    assert_problem(leader_b.post(f"/api/v1/reminders/{stray.id}/done"), 404)
