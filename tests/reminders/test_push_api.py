"""POST/DELETE /api/v1/push/subscriptions and GET /api/v1/push/vapid-public-key: happy paths, 4xx."""

import base64

import sqlalchemy as sa

from tests.core.problems import assert_problem
from tests.reminders.conftest import detached
from tests.reminders.servers import Device
from wardtrack.notifications.models import PushSubscription

URL = "/api/v1/push/subscriptions"
SERVICE = "https://updates.push.services.mozilla.com"


def _body(name="phone", service=SERVICE):
    return Device(name).subscription(service)


def test_register_again_and_remove(setup):
    api = setup.login(setup.nurse)
    body = _body()
    created = api.post(URL, json=body)
    assert created.status_code == 201
    assert created.get_json()["endpoint"] == body["endpoint"] and created.get_json()["id"]
    again = api.post(URL, json=body)
    assert again.status_code == 200 and again.get_json()["id"] == created.get_json()["id"]
    [row] = detached(sa.select(PushSubscription))
    assert (row.user_id, row.p256dh, row.auth) == (setup.nurse.id, body["keys"]["p256dh"], body["keys"]["auth"])
    assert api.delete(URL, json={"endpoint": body["endpoint"]}).status_code == 204
    assert detached(sa.select(PushSubscription)) == []
    assert_problem(api.delete(URL, json={"endpoint": body["endpoint"]}), 404)


def test_a_browser_moves_to_whoever_registers_it_last(setup):
    body = _body()
    assert setup.login(setup.nurse).post(URL, json=body).status_code == 201
    leader = setup.login(setup.leader)
    assert leader.post(URL, json=body).status_code == 201
    assert [row.user_id for row in detached(sa.select(PushSubscription))] == [setup.leader.id]
    assert_problem(setup.login(setup.nurse).delete(URL, json={"endpoint": body["endpoint"]}), 404)


def test_validation_names_the_field(setup):
    api = setup.login(setup.nurse)
    body = _body()
    assert_problem(api.post(URL, json={**body, "extra": 1}), 422, "extra")
    assert_problem(api.post(URL, json={**body, "keys": {**body["keys"], "x": "y"}}), 422, "keys")
    assert_problem(api.post(URL, json={**body, "keys": {"p256dh": "not-a-key", "auth": body["keys"]["auth"]}}),
                   422, "keys")
    short = base64.urlsafe_b64encode(b"1234").decode()
    assert_problem(api.post(URL, json={**body, "keys": {**body["keys"], "auth": short}}), 422, "keys")
    assert_problem(api.post(URL, json={"keys": body["keys"]}), 422, "endpoint")
    assert_problem(api.post(URL, json={**body, "endpoint": "ftp://push.example.net/x"}), 422, "endpoint")
    assert_problem(api.post(URL, json={**body, "endpoint": "http://push.example.net/x"}), 422, "endpoint")
    assert_problem(api.delete(URL, json={}), 422, "endpoint")
    assert_problem(api.delete(URL, json={"endpoint": body["endpoint"], "keys": {}}), 422, "keys")


def test_only_known_push_services_so_that_no_subscription_points_the_server_inside_the_network(app, setup):
    api = setup.login(setup.nurse)
    for endpoint in ("https://10.0.0.5/admin", "https://intranet.hospital.example/x", "https://169.254.169.254/x",
                     "https://fcm.googleapis.com.evil.example/x", "https://notgoogleapis.com/x"):
        assert_problem(api.post(URL, json=_body(service=endpoint)), 422, "endpoint")
    assert api.post(URL, json=_body("android", service="https://fcm.googleapis.com/fcm/send")).status_code == 201
    assert api.post(URL, json=_body("iphone", service="https://web.push.apple.com")).status_code == 201
    app.config["PUSH_SERVICE_HOSTS"] = ("push.hospital.example",)  # WARDTRACK_PUSH_SERVICE_HOSTS
    assert api.post(URL, json=_body("own", service="https://push.hospital.example")).status_code == 201


def test_plain_http_is_only_for_the_one_allowed_test_host_and_never_in_production(app, setup):
    api = setup.login(setup.nurse)
    assert_problem(api.post(URL, json=_body(service="http://127.0.0.1:9")), 422, "endpoint")
    app.config["PUSH_ALLOW_HOST"] = "127.0.0.1:9"
    assert api.post(URL, json=_body(service="http://127.0.0.1:9")).status_code == 201
    assert_problem(api.post(URL, json=_body("other-port", service="http://127.0.0.1:10")), 422, "endpoint")
    app.config.update(WARDTRACK_ENV="production", TESTING=False)
    assert_problem(api.post(URL, json=_body("other", service="http://localhost:9")), 422, "endpoint")


def test_staff_and_patients_with_csrf(app, setup, make, login, client):
    from wardtrack.notifications import push

    app.config["VAPID_PRIVATE_KEY"] = push.generate_vapid_key()
    patient_user = make.user("pat", "patient", patient=setup.patient_a)
    patient_api = login(patient_user)
    assert patient_api.post(URL, json=_body()).status_code == 201  # offers to check in (docs/checkins.md)
    assert patient_api.get("/api/v1/push/vapid-public-key").status_code == 200
    assert_problem(client.post(URL, json=_body()), 401)
    patient_api.csrf_token = None
    assert_problem(patient_api.post(URL, json=_body("other")), 403)
    nurse = setup.login(setup.nurse)
    nurse.csrf_token = None
    assert_problem(nurse.post(URL, json=_body()), 403)


def test_vapid_public_key(app, setup):
    from wardtrack.notifications import push

    app.config["VAPID_PRIVATE_KEY"] = push.generate_vapid_key()
    response = setup.login(setup.nurse).get("/api/v1/push/vapid-public-key")
    assert response.status_code == 200
    key = response.get_json()["public_key"]
    raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(raw) == 65 and raw[0] == 4 and key == push.public_key()


def test_without_a_key_in_production_push_is_off(app, setup):
    app.config.update(WARDTRACK_ENV="production", VAPID_PRIVATE_KEY=None)
    assert_problem(setup.login(setup.nurse).get("/api/v1/push/vapid-public-key"), 503)
