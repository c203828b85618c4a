"""Crisis-plan review reminders: a plan whose newest version has stood for CRISIS_PLAN_REVIEW_DAYS (less
the lead time) reminds its patient's ward once; a new version closes the reminder; the ward's team
leaders are told without a word about the patient or the plan."""

from datetime import timedelta

import sqlalchemy as sa

from tests.crisisplans.conftest import PLAN, SECRET
from tests.reminders.conftest import detached, job, set_email
from wardtrack.core.time import utcnow
from wardtrack.crisisplans.models import CrisisPlanVersion
from wardtrack.extensions import db
from wardtrack.reminders.models import Reminder
from wardtrack.reminders.review import sweep_reviews
from wardtrack.reminders.timezones import zone


def write_plan(api, patient, days_ago: int, etag: str | None = None) -> str:
    """Write a crisis-plan version through the API, then date it `days_ago` days back; its ETag."""
    headers = {"If-Match": etag} if etag else {}
    response = api.put(f"/api/v1/patients/{patient.id}/crisis-plan", json=PLAN, headers=headers)
    assert response.status_code == 201, response.get_json()
    db.session.execute(sa.update(CrisisPlanVersion).where(
        CrisisPlanVersion.patient_id == patient.id,
        CrisisPlanVersion.version == sa.select(sa.func.max(CrisisPlanVersion.version))
        .where(CrisisPlanVersion.patient_id == patient.id).scalar_subquery())
        .values(created_at=utcnow() - timedelta(days=days_ago)))
    db.session.commit()
    return response.headers["ETag"]


def _reviews():
    return detached(sa.select(Reminder).where(Reminder.kind == "crisis_plan_review").order_by(Reminder.id))


def test_a_plan_due_for_review_reminds_its_ward_once(setup):
    leader = setup.login(setup.leader)
    write_plan(leader, setup.patient_a, days_ago=170)  # due after 182 − 21 = 161 days
    assert sweep_reviews(utcnow()) == 1
    assert sweep_reviews(utcnow()) == 0
    db.session.commit()
    [reminder] = _reviews()
    [version] = detached(sa.select(CrisisPlanVersion))
    due_at = version.created_at + timedelta(days=161)
    assert (reminder.ward_id, reminder.plan_id, reminder.professional_id) == (setup.ward_a.id, None, None)
    assert (reminder.crisis_plan_version_id, reminder.status) == (version.id, "open")
    assert reminder.due_on == due_at.astimezone(zone("Europe/Oslo")).date()
    listed = leader.get("/api/v1/reminders").get_json()["items"]
    assert [(r["kind"], r["patient_id"]) for r in listed] == [("crisis_plan_review", setup.patient_a.id)]
    assert setup.login(setup.nurse).get("/api/v1/reminders").get_json()["items"] == []


def test_not_yet_due_and_configurable(app, setup):
    write_plan(setup.login(setup.leader), setup.patient_a, days_ago=150)
    assert sweep_reviews(utcnow()) == 0
    app.config["CRISIS_PLAN_REVIEW_DAYS"] = 171
    assert sweep_reviews(utcnow()) == 1


def test_a_new_version_closes_the_pending_review(setup):
    leader = setup.login(setup.leader)
    etag = write_plan(leader, setup.patient_a, days_ago=200)
    assert sweep_reviews(utcnow()) == 1
    db.session.commit()
    write_plan(leader, setup.patient_a, days_ago=0, etag=etag)
    assert sweep_reviews(utcnow()) == 0
    db.session.commit()
    assert [r.status for r in _reviews()] == ["closed"]


def test_a_patient_out_of_care_gets_none(setup, make):
    from wardtrack.patients.models import Episode

    discharged = make.patient("Patient C", "PC-1")
    episode = make.episode(discharged, setup.ward_a, started=timedelta(days=400))
    write_plan(setup.login(setup.leader), discharged, days_ago=200)
    db.session.execute(sa.update(Episode).where(Episode.id == episode.id)
                       .values(ended_at=utcnow() - timedelta(days=300)))
    db.session.commit()
    assert sweep_reviews(utcnow()) == 0


def test_the_team_leaders_are_emailed_without_patient_or_plan_data(app, setup, smtp):
    set_email(setup.leader, "tom@ward.example")
    write_plan(setup.login(setup.leader), setup.patient_a, days_ago=170)
    assert job(app, "reminder_sweep")["reviews"] == 1
    assert job(app, "deliver")["sent"] == 1
    [(_sender, recipients, message)] = smtp.wait_for(1)
    assert recipients == ["tom@ward.example"]
    assert message["Subject"] == "wardtrack: a crisis plan on your ward is due for review"
    text = str(message) + message.get_payload(decode=True).decode()
    for secret in (SECRET, "Patient A", setup.patient_a.identifier, "Sister Sara"):
        assert secret not in text


def test_the_sweep_command_creates_them_too(setup, runner):
    write_plan(setup.login(setup.leader), setup.patient_a, days_ago=170)
    result = runner.invoke(args=["reminders", "sweep"])
    assert result.exit_code == 0, result.output
    assert "1 crisis-plan review reminders created" in result.output
    assert len(_reviews()) == 1
