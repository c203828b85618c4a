"""Web push through a real local push service that checks the VAPID signature and decrypts the payload;
a 410 removes the subscription."""

import sqlalchemy as sa

from tests.reminders.conftest import deliveries, detached, due_plan, job
from wardtrack.notifications.models import PushSubscription

URL = "/api/v1/push/subscriptions"


def _subscribe(api, device, push_service):
    response = api.post(URL, json=device.subscription(push_service.base_url))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_subscribed_phone_gets_a_signed_encrypted_message_without_patient_data(app, setup, push_service):
    phone = push_service.device("peters-phone")
    _subscribe(setup.login(setup.peter_user), phone, push_service)
    patient = setup.patient_a
    due_plan(patient, setup.peter)
    job(app, "reminder_sweep")
    assert job(app, "deliver")["sent"] == 1
    assert push_service.refused == []
    assert phone.received == [{"title": "wardtrack", "body": "You have a maintenance contact due.", "url": "/"}]
    assert patient.display_name not in str(phone.received) and patient.identifier not in str(phone.received)
    assert [(d.channel, d.status, d.attempts) for d in deliveries()] == [("push", "sent", 1)]
    assert job(app, "deliver") == {"cancelled": 0}
    assert len(phone.received) == 1


def test_every_phone_of_the_user_gets_it_and_a_gone_one_is_removed(app, setup, push_service):
    api = setup.login(setup.peter_user)
    live, expired = push_service.device("live"), push_service.device("expired", status=410)
    _subscribe(api, live, push_service)
    _subscribe(api, expired, push_service)
    due_plan(setup.patient_a, setup.peter)
    job(app, "reminder_sweep")
    assert job(app, "deliver")["sent"] == 1
    assert len(live.received) == 1 and expired.received == []
    endpoints = [s.endpoint for s in detached(sa.select(PushSubscription))]
    assert endpoints == [live.subscription(push_service.base_url)["endpoint"]]


def test_when_the_only_subscription_is_gone_the_delivery_is_gone_too(app, setup, push_service):
    expired = push_service.device("expired", status=404)
    _subscribe(setup.login(setup.peter_user), expired, push_service)
    due_plan(setup.patient_a, setup.peter)
    job(app, "reminder_sweep")
    assert job(app, "deliver")["gone"] == 1
    assert detached(sa.select(PushSubscription)) == []
    [row] = deliveries()
    assert (row.status, row.last_error) == ("gone", "every push subscription is gone")


def test_a_push_service_error_is_retried(app, setup, push_service):
    flaky = push_service.device("flaky", status=503)
    _subscribe(setup.login(setup.peter_user), flaky, push_service)
    due_plan(setup.patient_a, setup.peter)
    job(app, "reminder_sweep")
    assert job(app, "deliver")["retry"] == 1
    [row] = deliveries()
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "push service answered 503")
    assert len(detached(sa.select(PushSubscription))) == 1


def test_email_and_push_are_one_delivery_each(app, setup, push_service, smtp):
    from tests.reminders.conftest import set_email

    set_email(setup.peter_user, "peter@ward.example")
    phone = push_service.device("phone")
    _subscribe(setup.login(setup.peter_user), phone, push_service)
    due_plan(setup.patient_a, setup.peter)
    job(app, "reminder_sweep")
    job(app, "reminder_sweep")
    assert job(app, "deliver")["sent"] == 2
    assert sorted((d.channel, d.status) for d in deliveries()) == [("email", "sent"), ("push", "sent")]
    assert len(smtp.wait_for(1)) == 1 and len(phone.received) == 1


def test_the_push_service_refuses_a_message_signed_with_another_key(app, setup, push_service):
    """Guard against a vacuous check: the local push service really verifies the VAPID signature."""
    from wardtrack.notifications import push

    phone = push_service.device("phone")
    _subscribe(setup.login(setup.peter_user), phone, push_service)
    app.config["VAPID_PRIVATE_KEY"] = push.generate_vapid_key()
    due_plan(setup.patient_a, setup.peter)
    job(app, "reminder_sweep")
    assert job(app, "deliver")["retry"] == 1
    assert phone.received == [] and "not signed by the server's key" in push_service.refused[0]
