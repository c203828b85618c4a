"""E-mail delivery through a real SMTP server (aiosmtpd on 127.0.0.1): headers, no patient data, retries
with backoff, and nothing sent for a reminder that a contact closed."""

from datetime import timedelta

import sqlalchemy as sa

from tests.reminders.conftest import deliveries, detached, due_plan, job, log_contact, set_email
from tests.reminders.servers import free_port
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.notifications import delivery
from wardtrack.notifications.models import Delivery
from wardtrack.reminders.models import Reminder


def _sweep_and_deliver(app):
    job(app, "reminder_sweep")
    return job(app, "deliver")


def test_the_professional_gets_an_email_without_patient_data(app, setup, smtp):
    set_email(setup.peter_user, "peter@ward.example")
    patient = setup.patient_a
    due_plan(patient, setup.peter)
    assert _sweep_and_deliver(app)["sent"] == 1
    [(sender, recipients, message)] = smtp.wait_for(1)
    assert (sender, recipients) == ("noreply@ward.example", ["peter@ward.example"])
    assert message["From"] == "wardtrack <noreply@ward.example>" and message["To"] == "peter@ward.example"
    assert message["Subject"] == "wardtrack: you have a maintenance contact due"
    body = message.get_payload(decode=True).decode()
    assert "You have a maintenance contact due." in body and "https://wardtrack.example/" in body
    everything = str(message) + body
    for secret in (patient.display_name, patient.identifier, "Patient A", "Peter Psychologist"):
        assert secret not in everything
    [row] = deliveries(channel="email")
    assert (row.status, row.attempts, row.user_id, row.last_error) == ("sent", 1, setup.peter_user.id, None)
    assert job(app, "deliver") == {"cancelled": 0}  # nothing twice
    assert len(smtp.messages) == 1


def test_no_email_for_a_reminder_a_contact_closed(app, setup, smtp):
    set_email(setup.peter_user, "peter@ward.example")
    patient, peter = setup.patient_a, setup.peter
    plan = due_plan(patient, peter)
    job(app, "reminder_sweep")
    assert [d.status for d in deliveries()] == ["pending"]
    log_contact(setup.login(setup.leader), patient, peter, utcnow() - timedelta(hours=1))
    assert [r.status for r in detached(sa.select(Reminder).where(Reminder.plan_id == plan.id))] == ["closed"]
    assert job(app, "deliver") == {"cancelled": 1}
    assert [d.status for d in deliveries()] == ["cancelled"]
    assert smtp.messages == []


def test_an_unreachable_server_is_retried_with_backoff_then_given_up(app, setup, smtp):
    set_email(setup.peter_user, "peter@ward.example")
    due_plan(setup.patient_a, setup.peter)
    working = app.config["SMTP_URL"]
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    app.config.update(DELIVERY_MAX_ATTEMPTS=3, DELIVERY_BACKOFF_SECONDS=60)
    before = utcnow()
    assert _sweep_and_deliver(app)["retry"] == 1
    [row] = deliveries()
    assert (row.status, row.attempts) == ("pending", 1) and row.last_error == "ConnectionRefusedError"
    assert timedelta(seconds=59) <= row.next_attempt_at - before <= timedelta(seconds=70)
    assert job(app, "deliver") == {"cancelled": 0}  # not due again yet
    _make_due()
    assert job(app, "deliver")["retry"] == 1
    [row] = deliveries()
    assert row.attempts == 2 and timedelta(seconds=119) <= row.next_attempt_at - utcnow() <= timedelta(seconds=121)
    _make_due()
    assert job(app, "deliver")["failed"] == 1
    assert [(d.status, d.attempts) for d in deliveries()] == [("failed", 3)]
    app.config["SMTP_URL"] = working
    assert job(app, "deliver") == {"cancelled": 0} and smtp.messages == []


def _make_due():
    db.session.execute(sa.update(Delivery).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def test_a_claimed_delivery_is_not_claimed_again_until_its_lease_runs_out(app, setup, smtp):
    set_email(setup.peter_user, "peter@ward.example")
    due_plan(setup.patient_a, setup.peter)
    job(app, "reminder_sweep")
    now = utcnow()
    first = delivery.claim(now, 10)
    db.session.commit()
    assert len(first) == 1
    assert delivery.claim(now, 10) == []  # a second scheduler finds nothing
    assert delivery.claim(now + delivery.LEASE + timedelta(seconds=1), 10) == first  # the first one died
    db.session.rollback()


def test_without_an_address_the_reminder_is_in_app_only(app, setup, smtp):
    due_plan(setup.patient_a, setup.peter)
    job(app, "reminder_sweep")
    assert deliveries() == [] and [r.notified_at is not None for r in detached(sa.select(Reminder))] == [True]
    listed = setup.login(setup.peter_user).get("/api/v1/reminders").get_json()["items"]
    assert [r["kind"] for r in listed] == ["maintenance_due"]


def test_without_an_account_of_their_own_the_ward_team_leaders_are_told(app, setup, smtp):
    set_email(setup.leader, "tom@ward.example")
    due_plan(setup.patient_a, setup.doctor)  # Dora has no login
    assert _sweep_and_deliver(app)["sent"] == 1
    [(_sender, recipients, _message)] = smtp.wait_for(1)
    assert recipients == ["tom@ward.example"]


def test_email_is_off_without_an_smtp_url(app, setup):
    set_email(setup.peter_user, "peter@ward.example")
    due_plan(setup.patient_a, setup.peter)
    job(app, "reminder_sweep")
    assert deliveries() == []


def test_users_get_an_address_from_the_command_line(app, runner):
    from wardtrack.auth.models import User

    created = runner.invoke(args=["users", "create", "eve", "--role", "team_leader", "--email", "eve@ward.example",
                                  "--password-stdin"], input="correct-horse-battery\n")
    assert created.exit_code == 0, created.output
    assert [u.email for u in detached(sa.select(User).where(User.username == "eve"))] == ["eve@ward.example"]
    bad = runner.invoke(args=["users", "set-email", "eve", "not-an-address"])
    assert bad.exit_code != 0 and "email: " in bad.output
    assert runner.invoke(args=["users", "set-email", "eve", "eve@other.example"]).exit_code == 0
    assert [u.email for u in detached(sa.select(User).where(User.username == "eve"))] == ["eve@other.example"]
    assert runner.invoke(args=["users", "set-email", "eve"]).output.strip() == "eve: e-mail cleared"
    assert runner.invoke(args=["users", "set-email", "nobody", "x@y.example"]).exit_code != 0


def test_patient_accounts_get_no_address_from_the_command_line(app, runner, make):
    patient = make.patient("Pia Patient", "PP-1")
    refused = runner.invoke(args=["users", "create", "pia", "--role", "patient", "--patient-id", str(patient.id),
                                  "--email", "pia@home.example", "--password-stdin"], input="correct-horse-battery\n")
    assert refused.exit_code != 0 and "email: Only staff accounts have an e-mail address." in refused.output
    assert runner.invoke(args=["users", "create", "pia", "--role", "patient", "--patient-id", str(patient.id),
                               "--password-stdin"], input="correct-horse-battery\n").exit_code == 0
    refused = runner.invoke(args=["users", "set-email", "pia", "pia@home.example"])
    assert refused.exit_code != 0 and "Only staff" in refused.output
