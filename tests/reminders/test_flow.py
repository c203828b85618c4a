"""The whole story through the API: a plan comes due, a reminder appears, the plan runs past its grace
period and maintenance_overdue opens; a maintenance contact closes the reminder and resolves the flag."""

import uuid
from datetime import timedelta

from tests.reminders.conftest import at, create_plan, log_contact, stored_reminders
from wardtrack.contacts.models import Contact
from wardtrack.continuity import operations as continuity
from wardtrack.extensions import db
from wardtrack.reminders.sweep import sweep_reminders

START = at("2026-01-05T09:00:00+00:00")
DAY = timedelta(days=1)


def _flag_status(api, patient) -> dict[str, str]:
    response = api.get(f"/api/v1/patients/{patient.id}/flags")
    assert response.status_code == 200, response.get_json()
    return {flag["code"]: flag["status"] for flag in response.get_json()["items"]
            if flag["code"] == "maintenance_overdue"}


def test_contact_closes_reminder_and_resolves_the_overdue_flag(setup, travel):
    patient, peter = setup.patient_a, setup.peter
    with travel(START):
        plan = create_plan(setup.login(setup.leader), patient, peter, interval_days=30)
    with travel(START + 21 * DAY):  # due 30 − 10 = 20 days after the start (the lead is at most a third)
        assert sweep_reminders()["created"] == 1
        db.session.commit()
        reminder = setup.login(setup.peter_user).get("/api/v1/reminders?status=open").get_json()["items"]
        assert [r["plan_id"] for r in reminder] == [plan["id"]]
        assert _flag_status(setup.login(setup.leader), patient) == {}
    overdue_at = START + (30 + 14 + 1) * DAY  # interval + the default grace of 14 days, and a day
    with travel(overdue_at):
        continuity.sweep()
        db.session.commit()
        leader = setup.login(setup.leader)
        assert _flag_status(leader, patient) == {"maintenance_overdue": "open"}
        log_contact(leader, patient, peter, overdue_at - timedelta(hours=2), kind="conversation")
        assert stored_reminders(plan["id"])[0].status == "open"  # not a maintenance contact
        log_contact(leader, patient, peter, overdue_at - timedelta(hours=1))
        assert stored_reminders(plan["id"])[0].status == "closed"
        assert _flag_status(leader, patient) == {"maintenance_overdue": "resolved"}
        assert sweep_reminders()["created"] == 0
    with travel(overdue_at + 21 * DAY):  # the next one is due 20 days after the contact
        assert sweep_reminders()["created"] == 1
        db.session.commit()
        assert [r.status for r in stored_reminders(plan["id"])] == ["closed", "open"]


def test_any_contact_counts_when_the_plan_says_so(setup, travel):
    patient, peter = setup.patient_a, setup.peter
    with travel(START):
        plan = create_plan(setup.login(setup.leader), patient, peter, interval_days=30,
                           any_contact_counts=True)
    with travel(START + 21 * DAY):
        sweep_reminders()
        db.session.commit()
        log_contact(setup.login(setup.leader), patient, peter, START + 21 * DAY - DAY / 2, kind="phone")
        assert stored_reminders(plan["id"])[0].status == "closed"


def test_a_contact_with_someone_else_or_an_older_one_leaves_the_reminder_open(setup, travel):
    patient, peter = setup.patient_a, setup.peter
    with travel(START):
        plan = create_plan(setup.login(setup.leader), patient, peter, interval_days=30)
    with travel(START + 21 * DAY):
        sweep_reminders()
        db.session.commit()
        leader = setup.login(setup.leader)
        log_contact(leader, patient, setup.doctor, START + 20 * DAY)
        # Entered late, from before the plan began: it is the basis now (any time before counts), older than
        # the reminder's; the reminder stands and no second one is made.
        log_contact(leader, patient, peter, START - DAY)
        assert stored_reminders(plan["id"])[0].status == "open"
        assert sweep_reminders() == {"plans": 1, "due": 1, "created": 0, "closed": 0, "woken": 0}


def test_the_sweep_closes_a_reminder_a_contact_has_superseded(setup, travel):
    patient, peter = setup.patient_a, setup.peter
    with travel(START):
        plan = create_plan(setup.login(setup.leader), patient, peter, interval_days=30)
    with travel(START + 21 * DAY):
        sweep_reminders()
        db.session.add(Contact(client_id=uuid.uuid4(), patient_id=patient.id, professional_id=peter.id,
                               kind="maintenance", occurred_at=START + 21 * DAY - DAY,
                               received_at=START + 21 * DAY))
        db.session.commit()  # inserted without the signal, as an import might
        assert sweep_reminders()["closed"] == 1
        db.session.commit()
        assert stored_reminders(plan["id"])[0].status == "closed"
