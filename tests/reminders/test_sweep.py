"""The sweep: local due dates across daylight-saving changes, exactly one reminder however often and
however many sweeps run, superseded reminders closed, snoozed ones back on their date, the CLI."""

import threading
from datetime import timedelta

import pytest

from tests.conftest import _config
from tests.reminders.conftest import at, create_plan, stored_reminders
from wardtrack import create_app
from wardtrack.extensions import db
from wardtrack.reminders.models import Reminder
from wardtrack.reminders.sweep import sweep_reminders

# interval 63 days − 21 days' lead (a third of the interval, so not capped): due 42 days after the plan starts
LEAD_GAP = timedelta(days=42)


def _plan_due_at(setup, travel, due_at):
    """A 63-day plan started so that its reminder is due at `due_at`."""
    with travel(due_at - LEAD_GAP):
        api = setup.login(setup.leader)
        return create_plan(api, setup.patient_a, setup.peter, interval_days=63)


@pytest.mark.parametrize(("due_at", "local_day"), [
    ("2026-03-28T23:30:00+00:00", "2026-03-29"),  # CET (+1): 00:30 on the 29th
    ("2026-03-29T22:30:00+00:00", "2026-03-30"),  # CEST (+2) since 01:00 UTC: 00:30 on the 30th
    ("2026-10-24T22:30:00+00:00", "2026-10-25"),  # still CEST (+2): 00:30 on the 25th
    ("2026-10-25T22:30:00+00:00", "2026-10-25"),  # CET (+1) again: 23:30 on the 25th
])
def test_due_dates_across_daylight_saving_land_on_the_local_date(setup, travel, due_at, local_day):
    plan = _plan_due_at(setup, travel, at(due_at))
    assert sweep_reminders(at(due_at) - timedelta(seconds=1))["created"] == 0
    counts = sweep_reminders(at(due_at))
    db.session.commit()
    assert counts["created"] == 1
    [reminder] = stored_reminders(plan["id"])
    assert reminder.due_on.isoformat() == local_day
    assert reminder.due_at == at(due_at)
    assert (reminder.professional_id, reminder.ward_id) == (setup.peter.id, setup.ward_a.id)


def test_the_wards_own_time_zone_decides_the_date(setup, travel):
    setup.ward_a.timezone = "America/New_York"
    db.session.commit()
    plan = _plan_due_at(setup, travel, at("2026-03-10T03:00:00+00:00"))
    sweep_reminders(at("2026-03-10T03:00:00+00:00"))
    assert stored_reminders(plan["id"])[0].due_on.isoformat() == "2026-03-09"


def test_sweeping_twice_makes_one_reminder(setup, travel):
    plan = _plan_due_at(setup, travel, at("2026-05-01T08:00:00+00:00"))
    first = sweep_reminders(at("2026-05-02T08:00:00+00:00"))
    second = sweep_reminders(at("2026-05-03T08:00:00+00:00"))
    db.session.commit()
    assert (first["created"], second["created"], second["due"]) == (1, 0, 1)
    assert len(stored_reminders(plan["id"])) == 1


def test_a_done_reminder_is_not_made_again(setup, travel):
    plan = _plan_due_at(setup, travel, at("2026-05-01T08:00:00+00:00"))
    sweep_reminders(at("2026-05-02T08:00:00+00:00"))
    stored_reminders(plan["id"])[0].status = "done"
    db.session.commit()
    assert sweep_reminders(at("2026-05-09T08:00:00+00:00"))["created"] == 0


def test_two_app_instances_sweeping_at_once_make_one_reminder(setup, travel, app):
    plan = _plan_due_at(setup, travel, at("2026-05-01T08:00:00+00:00"))
    db.session.commit()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    others = [create_app(_config(url)) for _ in range(2)]
    barrier, created, errors = threading.Barrier(2), [], []

    def sweep(other):
        try:
            with other.app_context():
                barrier.wait(timeout=10)
                created.append(sweep_reminders(at("2026-05-02T08:00:00+00:00"))["created"])
                db.session.commit()
                db.session.remove()
                db.engine.dispose()
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=sweep, args=(other,)) for other in others]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(created) == [0, 1]
    assert len(stored_reminders(plan["id"])) == 1


def test_a_snoozed_reminder_reappears_on_its_date(setup, travel):
    plan = _plan_due_at(setup, travel, at("2026-05-01T08:00:00+00:00"))
    sweep_reminders(at("2026-05-01T08:00:00+00:00"))
    reminder = stored_reminders(plan["id"])[0]
    reminder.status, reminder.snoozed_until = "snoozed", at("2026-05-10T00:00:00+00:00").date()
    db.session.commit()
    assert sweep_reminders(at("2026-05-09T21:30:00+00:00"))["woken"] == 0  # 23:30 in Oslo
    assert sweep_reminders(at("2026-05-09T22:30:00+00:00"))["woken"] == 1  # 00:30 on the 10th
    db.session.commit()
    assert stored_reminders(plan["id"])[0].status == "open"


def test_an_ended_plan_makes_no_reminder(setup, travel):
    plan = _plan_due_at(setup, travel, at("2026-05-01T08:00:00+00:00"))
    with travel(at("2026-04-20T08:00:00+00:00")):
        api = setup.login(setup.leader)
        assert api.post(f"/api/v1/maintenance-plans/{plan['id']}/end").status_code == 200
    assert sweep_reminders(at("2026-05-02T08:00:00+00:00"))["plans"] == 0


def test_cli_sweep_reports_counts_and_commits(setup, travel, runner):
    plan = _plan_due_at(setup, travel, at("2026-05-01T08:00:00+00:00"))
    with travel(at("2026-05-02T08:00:00+00:00")):
        result = runner.invoke(args=["reminders", "sweep"])
    assert result.exit_code == 0, result.output
    assert "1 active plans, 1 due: 1 reminders created" in result.output
    db.session.remove()
    assert db.session.scalar(db.select(db.func.count()).select_from(Reminder)
                             .where(Reminder.plan_id == plan["id"])) == 1
