"""Maintenance plans and reminders over HTTP: happy paths, reach (404), roles (403) and 422 naming fields."""

from datetime import timedelta

import pytest

from tests.reminders.conftest import create_plan, plans_url, stored_reminders
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.reminders.models import Reminder
from wardtrack.reminders.sweep import sweep_reminders
from wardtrack.reminders.timezones import local_date, ward_zones


def test_leader_creates_lists_and_ends_a_plan(setup):
    leader, nurse = setup.login(setup.leader), setup.login(setup.nurse)
    plan = create_plan(leader, setup.patient_a, setup.peter, interval_days=90, any_contact_counts=True,
                       note="Twice a year, just so I don't lose her")
    assert plan["interval_days"] == 90 and plan["any_contact_counts"] and plan["active"]
    listed = nurse.get(plans_url(setup.patient_a))
    assert listed.status_code == 200
    assert [p["id"] for p in listed.get_json()["items"]] == [plan["id"]]
    ended = leader.post(f"/api/v1/maintenance-plans/{plan['id']}/end")
    assert ended.status_code == 200 and ended.get_json()["active"] is False
    assert leader.post(f"/api/v1/maintenance-plans/{plan['id']}/end").status_code == 409


def test_plan_defaults_and_one_active_plan_per_professional(setup):
    admin = setup.login(setup.admin)
    plan = create_plan(admin, setup.patient_a, setup.peter)
    assert (plan["interval_days"], plan["any_contact_counts"], plan["note"]) == (182, False, None)
    again = admin.post(plans_url(setup.patient_a), json={"professional_id": setup.peter.id})
    assert again.status_code == 409


def test_plan_roles_reach_and_validation(setup, make):
    leader, nurse = setup.login(setup.leader), setup.login(setup.nurse)
    body = {"professional_id": setup.peter.id, "interval_days": 182}
    assert nurse.post(plans_url(setup.patient_a), json=body).status_code == 403
    assert leader.post(plans_url(setup.patient_b), json=body).status_code == 404
    assert setup.login(setup.other_nurse).get(plans_url(setup.patient_a)).status_code == 404
    bad = leader.post(plans_url(setup.patient_a), json={"professional_id": setup.peter.id,
                                                           "interval_days": 6, "note": "x" * 501, "extra": 1})
    assert bad.status_code == 422
    assert {"interval_days", "note", "extra"} <= set(bad.get_json()["errors"])
    missing = leader.post(plans_url(setup.patient_a), json={"professional_id": 99999})
    assert missing.status_code == 422 and "professional_id" in missing.get_json()["errors"]
    other = create_plan(setup.login(setup.admin), setup.patient_b,
                        make.professional("Bo on ward B", "nurse", [setup.ward_b]))
    assert leader.post(f"/api/v1/maintenance-plans/{other['id']}/end").status_code == 404
    assert nurse.post(f"/api/v1/maintenance-plans/{other['id']}/end").status_code == 403


@pytest.fixture
def due(setup, travel):
    """Peter's plan for patient A started 200 days ago and swept: one open reminder."""
    with travel(utcnow() - timedelta(days=200)):
        plan = create_plan(setup.login(setup.leader), setup.patient_a, setup.peter)
    sweep_reminders(utcnow())
    db.session.commit()
    [reminder] = stored_reminders(plan["id"])
    return reminder.id


def test_reminders_are_seen_by_the_professional_their_leader_and_admins(setup, due):
    for user in ("peter_user", "leader", "admin"):
        items = setup.login(getattr(setup, user)).get("/api/v1/reminders?status=open").get_json()["items"]
        assert [r["id"] for r in items] == [due], user
    for user in ("nurse", "other_nurse"):
        assert setup.login(getattr(setup, user)).get("/api/v1/reminders").get_json()["items"] == []
    assert setup.login(setup.admin).get("/api/v1/reminders?status=done").get_json()["items"] == []
    assert setup.login(setup.admin).get("/api/v1/reminders?status=later").status_code == 422


def test_done_and_snooze(setup, due):
    peter = setup.login(setup.peter_user)
    until = (utcnow() + timedelta(days=30)).date().isoformat()
    snoozed = peter.post(f"/api/v1/reminders/{due}/snooze", json={"until": until})
    assert snoozed.status_code == 200
    assert (snoozed.get_json()["status"], snoozed.get_json()["snoozed_until"]) == ("snoozed", until)
    done = peter.post(f"/api/v1/reminders/{due}/done")
    assert done.status_code == 200 and done.get_json()["status"] == "done"
    assert peter.post(f"/api/v1/reminders/{due}/done").status_code == 200
    assert peter.post(f"/api/v1/reminders/{due}/snooze", json={"until": until}).status_code == 409


def test_snooze_validation_and_reach(setup, due):
    peter = setup.login(setup.peter_user)
    # "today" is the ward's (Europe/Oslo by default): a UTC date is a day behind after 23:00 UTC
    ward_id = db.session.get(Reminder, due).ward_id
    today = local_date(utcnow(), ward_id, ward_zones([ward_id]))
    for until in (today, today + timedelta(days=91)):
        response = peter.post(f"/api/v1/reminders/{due}/snooze", json={"until": until.isoformat()})
        assert response.status_code == 422 and "until" in response.get_json()["errors"]
    response = peter.post(f"/api/v1/reminders/{due}/snooze", json={"until": "soon"})
    assert response.status_code == 422 and "until" in response.get_json()["errors"]
    assert setup.login(setup.nurse).post(f"/api/v1/reminders/{due}/done").status_code == 404
    assert setup.login(setup.other_nurse).post(f"/api/v1/reminders/{due}/done").status_code == 404
    assert peter.post("/api/v1/reminders/99999/done").status_code == 404


def test_reminders_need_staff(setup, make, due):
    patient_user = make.user("pat", "patient", patient=setup.patient_a)
    api = setup.login(patient_user)
    assert api.get("/api/v1/reminders").status_code == 403
    assert api.post(f"/api/v1/reminders/{due}/done").status_code == 403
    assert api.post(f"/api/v1/patients/{setup.patient_a.id}/maintenance-plans",
                    json={"professional_id": setup.peter.id}).status_code == 403


def test_ending_a_plan_closes_its_reminder(setup, due):
    plan_id = stored_reminders()[0].plan_id
    assert setup.login(setup.leader).post(f"/api/v1/maintenance-plans/{plan_id}/end").status_code == 200
    assert stored_reminders(plan_id)[0].status == "closed"
