"""The maintenance rule over HTTP on the real database: the reminder's lead time is at most a third of the
interval; a plan is overdue when its last qualifying contact, at any time before, is older than interval +
grace, else counting from its start; the plan says which contacts count (`counts`)."""

from datetime import timedelta

import pytest

from tests.reminders.conftest import create_plan, log_contact, plans_url, stored_reminders
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.reminders.sweep import sweep_reminders


def open_flags(api, patient) -> dict:
    response = api.get(f"/api/v1/patients/{patient.id}/flags?status=unresolved")
    assert response.status_code == 200, response.get_json()
    return {(f["code"], f["subject"]): f for f in response.get_json()["items"]}


def test_a_short_plan_made_today_is_not_due_at_once(setup):
    leader = setup.login(setup.leader)
    plan = create_plan(leader, setup.patient_a, setup.peter, interval_days=14)
    now = utcnow()
    assert sweep_reminders(now)["created"] == 0
    assert sweep_reminders(now + timedelta(days=9))["created"] == 0  # 14 − 14/3 = 9⅓ days
    assert sweep_reminders(now + timedelta(days=9, hours=9))["created"] == 1
    db.session.commit()
    [reminder] = stored_reminders(plan["id"])
    assert reminder.due_at - reminder.basis_at == timedelta(days=14) - timedelta(days=14) / 3


def test_a_long_plan_keeps_the_full_lead_time(setup):
    plan = create_plan(setup.login(setup.leader), setup.patient_a, setup.peter, interval_days=182)
    sweep_reminders(utcnow() + timedelta(days=162))
    db.session.commit()
    [reminder] = stored_reminders(plan["id"])
    assert reminder.due_at - reminder.basis_at == timedelta(days=182 - 21)


def test_a_contact_before_the_plan_began_counts(setup):
    leader, nurse = setup.login(setup.leader), setup.login(setup.nurse)
    patient, peter = setup.patient_a, setup.peter
    log_contact(nurse, patient, peter, utcnow() - timedelta(days=200))
    plan = create_plan(leader, patient, peter, interval_days=90)
    flag = open_flags(leader, patient)[("maintenance_overdue", f"plan:{plan['id']}")]
    assert flag["severity"] == "medium"  # 200 days: overdue by more than another interval
    assert flag["reasons"] == [{"key": "maintenance_overdue",
                                "params": {"name": "Peter Psychologist", "days": 200, "interval": 90}}]
    sweep_reminders(utcnow())
    db.session.commit()
    [reminder] = stored_reminders(plan["id"])
    assert utcnow() - reminder.basis_at > timedelta(days=199)  # the old contact, not the plan's start


def test_with_no_qualifying_contact_ever_the_plan_start_counts(setup, travel):
    leader, patient, peter = setup.login(setup.leader), setup.patient_a, setup.peter
    with travel(utcnow() - timedelta(days=100)):
        plan = create_plan(setup.login(setup.leader), patient, peter, interval_days=90)
    assert ("maintenance_overdue", f"plan:{plan['id']}") not in open_flags(leader, patient)  # 100 ≤ 90 + 14
    with travel(utcnow() - timedelta(days=200)):
        other = create_plan(setup.login(setup.admin), patient, setup.nurse_professional, interval_days=90)
    flag = open_flags(leader, patient)[("maintenance_overdue", f"plan:{other['id']}")]
    assert flag["reasons"][0]["params"]["days"] == 200


@pytest.mark.parametrize(("counts", "kind", "overdue"), [
    ("maintenance", "conversation", True), ("maintenance", "maintenance", False),
    ("any", "conversation", False), ("any", "phone", False),
])
def test_the_plan_says_which_contacts_count(setup, travel, counts, kind, overdue):
    leader, nurse, patient, peter = (setup.login(setup.leader), setup.login(setup.nurse),
                                     setup.patient_a, setup.peter)
    with travel(utcnow() - timedelta(days=120)):
        plan = create_plan(setup.login(setup.leader), patient, peter, interval_days=60, counts=counts)
    assert plan["counts"] == counts and plan["any_contact_counts"] is (counts == "any")
    log_contact(nurse, patient, peter, utcnow() - timedelta(days=10), kind)
    assert (("maintenance_overdue", f"plan:{plan['id']}") in open_flags(leader, patient)) is overdue


def test_counts_defaults_to_maintenance_and_is_validated(setup):
    leader = setup.login(setup.leader)
    plan = create_plan(leader, setup.patient_a, setup.peter)
    assert plan["counts"] == "maintenance" and plan["any_contact_counts"] is False
    listed = leader.get(plans_url(setup.patient_a)).get_json()["items"]
    assert [p["counts"] for p in listed] == ["maintenance"]
    body = {"professional_id": setup.nurse_professional.id}
    for bad in ({"counts": "some"}, {"counts": True}, {"counts": "any", "any_contact_counts": False}):
        response = leader.post(plans_url(setup.patient_a), json={**body, **bad})
        assert response.status_code == 422, response.get_json()
        assert "counts" in response.get_json()["errors"]
    older = create_plan(leader, setup.patient_a, setup.nurse_professional, any_contact_counts=True)
    assert older["counts"] == "any"
