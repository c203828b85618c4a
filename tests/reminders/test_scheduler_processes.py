"""`flask scheduler run` as real processes: it sends what comes due, stops cleanly, catches up once after
downtime; on PostgreSQL two copies run as active and hot standby, and killing the active one loses and
doubles nothing."""

import os
from collections import Counter

import pytest
import sqlalchemy as sa

from tests.reminders.conftest import detached, due_plan, set_email
from tests.reminders.processes import SchedulerProcess, wait_until
from wardtrack.extensions import db
from wardtrack.notifications.models import Delivery, PushSubscription
from wardtrack.reminders.models import Reminder

ON_POSTGRES = bool(os.environ.get("WARDTRACK_TEST_DATABASE_URL"))


@pytest.fixture
def staff(setup, make, push_service):
    """Four professionals on ward A, each with a login, an e-mail address and a subscribed phone."""
    people = []
    for n in range(4):
        professional = make.professional(f"Professional {n}", "psychologist", [setup.ward_a])
        user = set_email(make.user(f"pro{n}", "nurse", wards=[setup.ward_a], professional=professional),
                         f"pro{n}@ward.example")
        device = push_service.device(f"phone{n}")
        keys = device.subscription(push_service.base_url)
        db.session.add(PushSubscription(user_id=user.id, endpoint=keys["endpoint"], p256dh=keys["keys"]["p256dh"],
                                        auth=keys["keys"]["auth"], created_at=user.created_at))
        db.session.commit()
        people.append((professional, user.email, device))
    return people


def _settings(app, smtp) -> dict:
    return {"SMTP_URL": smtp.url, "MAIL_FROM": app.config["MAIL_FROM"],
            "VAPID_PRIVATE_KEY": app.config["VAPID_PRIVATE_KEY"], "PUSH_ALLOW_HOST": app.config["PUSH_ALLOW_HOST"]}


def _all_sent(count: int):
    def check():
        rows = detached(sa.select(Delivery).where(Delivery.reminder_id.is_not(None)))
        return len(rows) == count and all(row.status == "sent" for row in rows)
    return check


def _assert_exactly_once(plans, staff, smtp):
    reminders = detached(sa.select(Reminder).order_by(Reminder.id))
    assert sorted(r.plan_id for r in reminders) == sorted(p.id for p in plans)
    rows = detached(sa.select(Delivery).where(Delivery.reminder_id.is_not(None)))
    assert Counter((row.reminder_id, row.channel) for row in rows) == Counter(
        {(r.id, channel): 1 for r in reminders for channel in ("email", "push")})
    assert {(row.status, row.attempts) for row in rows} == {("sent", 1)}
    owners = Counter(plan.professional_id for plan in plans)
    by_professional = {professional.id: (email, device) for professional, email, device in staff}
    assert Counter(recipients[0] for _sender, recipients, _message in smtp.messages) == Counter(
        {by_professional[p][0]: n for p, n in owners.items()})
    for professional_id, (_email, device) in by_professional.items():
        assert len(device.received) == owners.get(professional_id, 0)


def test_the_scheduler_sends_stops_cleanly_and_catches_up_once_after_downtime(app, setup, staff, smtp,
                                                                                 push_service):
    url, settings = app.config["SQLALCHEMY_DATABASE_URI"], _settings(app, smtp)
    patient = setup.patient_a
    plans = [due_plan(patient, staff[0][0]), due_plan(patient, staff[1][0])]
    with SchedulerProcess("first", url, **settings) as first:
        wait_until(_all_sent(4), 40)
        assert first.stop() == 0, first.log()
    # Downtime: sweeps every second were missed, and two more plans came due meanwhile.
    plans += [due_plan(patient, staff[2][0]), due_plan(setup.patient_b, staff[3][0])]
    with SchedulerProcess("after", url, SCHEDULER_SWEEP_SECONDS=3600, **settings) as after:
        wait_until(_all_sent(8), 40)
        assert after.logged("job reminder_sweep done") == 1, after.log()
        assert after.stop() == 0, after.log()
    _assert_exactly_once(plans, staff, smtp)
    assert push_service.refused == []


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="two schedulers need PostgreSQL's advisory lock; "
                                              "set WARDTRACK_TEST_DATABASE_URL to run this")
def test_a_standby_takes_over_when_the_active_scheduler_is_killed(app, setup, staff, smtp, push_service):
    url, settings = app.config["SQLALCHEMY_DATABASE_URI"], _settings(app, smtp)
    a, b = setup.patient_a, setup.patient_b
    with SchedulerProcess("one", url, **settings) as one, SchedulerProcess("two", url, **settings) as two:
        def roles():
            active = [p for p in (one, two) if p.logged("scheduler lock taken")]
            standby = [p for p in (one, two) if p.logged("standby: waiting for lock")]
            return (active[0], standby[0]) if len(active) == 1 and len(standby) == 1 else None

        active, standby = wait_until(roles, 30)
        plans = [due_plan(a, staff[0][0]), due_plan(a, staff[1][0]), due_plan(b, staff[2][0])]
        wait_until(_all_sent(6), 40)
        assert standby.logged("job ") == 0, standby.log()  # the standby did no work
        active.kill()
        plans += [due_plan(a, staff[3][0]), due_plan(b, staff[0][0])]
        wait_until(lambda: standby.logged("scheduler lock taken"), 30)
        wait_until(_all_sent(10), 40)
        assert standby.stop() == 0, standby.log()
    _assert_exactly_once(plans, staff, smtp)
    assert push_service.refused == []


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="the scheduler lock exists on PostgreSQL only; "
                                              "set WARDTRACK_TEST_DATABASE_URL to run this")
def test_a_scheduler_that_loses_its_lock_connection_stops(app):
    """Without the lock another copy may already be active: the scheduler exits (systemd restarts it)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with SchedulerProcess("lonely", url, SCHEDULER_LOCK_CHECK_SECONDS=1) as lonely:
        wait_until(lambda: lonely.logged("scheduler lock taken"), 30)
        with db.engine.connect() as connection:
            ended = connection.scalar(sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"))
        assert ended == 1
        assert lonely.process.wait(20) == 1, lonely.log()
        assert lonely.logged("lost the connection holding the scheduler lock; stopping") == 1
