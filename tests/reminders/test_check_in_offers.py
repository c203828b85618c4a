"""Offers to check in by web push: patients subscribe like staff; a patient asked for check-ins
(checkins.queries.due) gets one neutral push per occasion through a real local push service, never
again for the same occasion, again for the next interval or a new discharge."""

import logging
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale, gettext

from tests.core.problems import assert_problem
from tests.reminders.conftest import deliveries, detached, job
from tests.reminders.servers import Device
from wardtrack.checkins.models import DIALOG_ITEMS, RELATIONSHIP_ITEMS
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.notifications.models import PushSubscription
from wardtrack.patients.models import Episode

URL = "/api/v1/push/subscriptions"
NEUTRAL = {"title": "wardtrack", "body": "A check-in is waiting for you.", "url": "/me/check-ins"}


def _world(ward_setup, make):
    """ward_setup plus Nina as patient A's safety person and logins for patients A and B."""
    make.designation(ward_setup.patient_a, ward_setup.nurse_professional, "safety_person")
    return ward_setup.with_(pat_a=make.user("pat-a", "patient", patient=ward_setup.patient_a),
                            pat_b=make.user("pat-b", "patient", patient=ward_setup.patient_b))


def _subscribe(api, device, push_service, **headers):
    response = api.post(URL, json=device.subscription(push_service.base_url), headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _check_in_all(world, api):
    """Patient A makes every check-in due: life and care, and one on Nina."""
    assert api.post("/api/v1/me/check-ins", json={
        "kind": "relationship", "professional_id": world.nurse_professional.id,
        "scores": dict.fromkeys(RELATIONSHIP_ITEMS, 1)}).status_code == 201
    assert api.post("/api/v1/me/check-ins", json={
        "kind": "dialog", "scores": dict.fromkeys(DIALOG_ITEMS, 2)}).status_code == 201


def _offer(app) -> int:
    """Run the offer job and then delivery, as the scheduler does; how many pushes were sent."""
    job(app, "check_in_offers")
    return job(app, "deliver").get("sent", 0)


def _secrets(world) -> list[str]:
    """What a push or a log line must never name."""
    return [world.patient_a.display_name, world.patient_a.identifier, world.nurse_professional.name,
            world.doctor.name, world.ward_a.name, "safety", "relationship", "dialog", "mental_health"]


def test_a_patient_subscribes_and_unsubscribes_like_staff(app, ward_setup, make):
    from wardtrack.notifications import push

    app.config["VAPID_PRIVATE_KEY"] = push.generate_vapid_key()
    world = _world(ward_setup, make)
    api = world.login(world.pat_a)
    assert api.get("/api/v1/push/vapid-public-key").get_json() == {"public_key": push.public_key()}
    body = Device("pats-phone").subscription("https://updates.push.services.mozilla.com")
    created = api.post(URL, json=body)
    assert created.status_code == 201, created.get_json()
    again = api.post(URL, json=body)
    assert again.status_code == 200 and again.get_json()["id"] == created.get_json()["id"]
    [row] = detached(sa.select(PushSubscription))
    assert (row.user_id, row.language) == (world.pat_a.id, "en")
    assert_problem(api.post(URL, json={**body, "endpoint": "https://10.0.0.5/admin"}), 422, "endpoint")
    assert_problem(world.login(world.pat_b).delete(URL, json={"endpoint": body["endpoint"]}), 404)
    assert api.delete(URL, json={"endpoint": body["endpoint"]}).status_code == 204
    assert detached(sa.select(PushSubscription)) == []


def test_a_due_check_in_gives_one_neutral_push_and_a_second_run_none(app, ward_setup, make, push_service,
                                                                       caplog):
    world = _world(ward_setup, make)
    phone = push_service.device("pats-phone")
    _subscribe(world.login(world.pat_a), phone, push_service)
    with caplog.at_level(logging.DEBUG, logger="wardtrack"):
        assert _offer(app) == 1
        assert push_service.refused == []
        assert phone.received == [NEUTRAL]
        assert [(d.channel, d.status, d.user_id) for d in deliveries()] == [("push", "sent", world.pat_a.id)]
        [offer] = deliveries()
        assert offer.check_in_offer.startswith("interval:") and (offer.reminder_id, offer.digest_id) == (None, None)
        assert job(app, "check_in_offers") == {"asked": 1, "queued": 0}
        assert job(app, "deliver") == {"cancelled": 0}
    assert phone.received == [NEUTRAL]
    logged = " ".join(record.getMessage() for record in caplog.records)
    for secret in _secrets(world):
        assert secret not in str(phone.received) and secret not in logged


def test_nothing_due_and_staff_get_no_offer(app, ward_setup, make, push_service):
    world = _world(ward_setup, make)
    long_gone, never = make.patient("Patient C", "PC-1"), make.patient("Patient D", "PD-1")
    make.episode(long_gone, world.ward_a, started=timedelta(days=60), ended=timedelta(days=20))  # past 14 days
    phones = [push_service.device(name) for name in ("c-phone", "d-phone", "nurse-phone")]
    for user, phone in zip((make.user("pat-c", "patient", patient=long_gone),
                            make.user("pat-d", "patient", patient=never), world.nurse), phones, strict=True):
        _subscribe(world.login(user), phone, push_service)
    assert job(app, "check_in_offers") == {"asked": 0, "queued": 0}
    assert job(app, "deliver") == {"cancelled": 0}
    assert [phone.received for phone in phones] == [[], [], []] and deliveries() == []


def test_a_patient_who_made_every_check_in_due_gets_nothing(app, ward_setup, make, push_service):
    world = _world(ward_setup, make)
    api = world.login(world.pat_a)
    _subscribe(api, push_service.device("pats-phone"), push_service)
    _check_in_all(world, api)
    assert job(app, "check_in_offers") == {"asked": 0, "queued": 0}
    assert deliveries() == []


def test_the_next_interval_and_a_discharge_are_new_occasions(app, ward_setup, make, push_service, travel):
    world = _world(ward_setup, make)
    api = world.login(world.pat_a)
    phone = push_service.device("pats-phone")
    _subscribe(api, phone, push_service)
    assert _offer(app) == 1
    _check_in_all(world, api)  # partly or wholly done: the same occasion is never offered again
    assert _offer(app) == 0
    with travel(utcnow() + timedelta(days=31)):  # the ward's 30 days have passed since the check-ins
        assert _offer(app) == 1
        assert _offer(app) == 0
    assert phone.received == [NEUTRAL, NEUTRAL]
    episode = db.session.scalar(sa.select(Episode).where(Episode.patient_id == world.patient_a.id))
    episode.ended_at = utcnow() + timedelta(days=32)
    db.session.commit()
    with travel(utcnow() + timedelta(days=33)):  # discharged a day ago: asked again, however recent
        assert _offer(app) == 1
        assert _offer(app) == 0
    assert phone.received == [NEUTRAL] * 3
    keys = [d.check_in_offer for d in deliveries()]
    assert keys[0].startswith("interval:") and keys[1].startswith("interval:") and keys[0] != keys[1]
    assert keys[2] == f"discharge:{episode.id}"


def test_the_push_is_written_in_the_language_the_browser_subscribed_in(app, ward_setup, make, push_service):
    world = _world(ward_setup, make)
    phone = push_service.device("pats-phone")
    _subscribe(world.login(world.pat_a), phone, push_service, **{"Accept-Language": "nb-NO,nb;q=0.9"})
    [row] = detached(sa.select(PushSubscription))
    assert row.language == "nb"
    assert _offer(app) == 1
    with force_locale("nb"):
        expected = gettext("A check-in is waiting for you.")
    assert phone.received == [{**NEUTRAL, "body": expected}]
