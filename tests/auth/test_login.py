"""Logging in and out, the session cookie, lockout and CSRF."""

import io
import json
from datetime import timedelta

import flask
import pytest
import sqlalchemy as sa
import time_machine

from tests.core.problems import assert_problem
from tests.support import ApiClient, Factories, sqlite_write_lock_held
from wardtrack.auth.models import UserSession
from wardtrack.core.time import utcnow
from wardtrack.extensions import db

LOGIN = "/api/v1/auth/login"


def _login(client, username, password=Factories.PASSWORD):
    return client.post(LOGIN, json={"username": username, "password": password})


def _cookie(response):
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("wardtrack_session=")]
    return header


def test_login_returns_user_and_csrf_token_and_sets_a_locked_down_cookie(ward_setup, client):
    response = _login(client, "nina")
    assert response.status_code == 200
    body = response.get_json()
    assert body["user"] == {"id": ward_setup.nurse.id, "username": "nina", "role": "nurse",
                            "ward_ids": [ward_setup.ward_a.id],
                            "professional_id": ward_setup.nurse_professional.id, "patient_id": None}
    assert len(body["csrf_token"]) >= 32
    attributes = [part.strip() for part in _cookie(response).split(";")]
    assert "Secure" in attributes
    assert "HttpOnly" in attributes
    assert "SameSite=Lax" in attributes
    assert "Path=/" in attributes


def test_flask_cookie_sessions_are_off_so_a_login_lives_only_on_the_server(ward_setup, app, client):
    response = _login(client, "nina")
    assert [h.split("=")[0] for h in response.headers.getlist("Set-Cookie")] == ["wardtrack_session"]
    with app.test_request_context("/"), pytest.raises(RuntimeError, match="session is unavailable"):
        flask.session["anything"] = 1


def test_login_ignores_case_and_surrounding_space_in_the_username(ward_setup, client):
    assert _login(client, "  NINA ").status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_401(ward_setup, client):
    wrong = assert_problem(_login(client, "nina", "not-the-password"), 401)
    unknown = assert_problem(_login(client, "nobody", "not-the-password"), 401)
    assert wrong["detail"] == unknown["detail"]
    assert "Set-Cookie" not in _login(client, "nina", "not-the-password").headers


def test_disabled_account_cannot_log_in(ward_setup, client):
    ward_setup.nurse.disabled_at = utcnow()
    db.session.commit()
    assert_problem(_login(client, "nina"), 401)


def test_login_body_is_validated(ward_setup, client):
    assert_problem(client.post(LOGIN, json={"username": "nina"}), 422, "password")
    assert_problem(client.post(LOGIN, json={"username": 7, "password": "x"}), 422, "username")


def test_too_many_failures_make_the_next_attempt_wait_not_a_lock(ward_setup, client, app):
    app.config["LOGIN_DELAY_SECONDS"] = 30  # longer than the test takes; it travels past it
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        assert_problem(_login(client, "nina", "wrong-password"), 401)
    assert_problem(_login(client, "nina"), 429)
    assert _login(client, "tom").status_code == 200  # only that account, from this address, waits
    with time_machine.travel(utcnow() + timedelta(seconds=app.config["LOGIN_DELAY_SECONDS"] + 1), tick=False):
        assert _login(client, "nina").status_code == 200


def test_a_successful_login_resets_the_failure_count(ward_setup, client, app):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit - 1):
        assert_problem(_login(client, "nina", "wrong-password"), 401)
    assert _login(client, "nina").status_code == 200
    for _ in range(limit - 1):
        assert_problem(_login(client, "nina", "wrong-password"), 401)
    assert _login(client, "nina").status_code == 200


def _token(response):
    return _cookie(response).split(";")[0].split("=", 1)[1]


def test_logout_revokes_the_session_even_if_the_cookie_is_kept(ward_setup, app):
    client = app.test_client()
    response = _login(client, "nina")
    token = _token(response)
    api = ApiClient(client, csrf_token=response.get_json()["csrf_token"])
    logout = api.post("/api/v1/auth/logout")
    assert logout.status_code == 204
    assert "wardtrack_session=;" in _cookie(logout)
    client.set_cookie("wardtrack_session", token)
    assert_problem(client.get("/api/v1/me"), 401)


def test_logging_in_again_replaces_the_browser_session(ward_setup, app):
    client = app.test_client()
    first = _token(_login(client, "nina"))
    assert _login(client, "tom").status_code == 200  # switching user needs no token of the old session
    assert client.get("/api/v1/me").get_json()["username"] == "tom"
    client.set_cookie("wardtrack_session", first)
    assert_problem(client.get("/api/v1/me"), 401)


def test_logout_without_a_session_is_401(client):
    assert_problem(client.post("/api/v1/auth/logout"), 401)


def test_csrf_endpoint_gives_the_session_token(ward_setup, login, client):
    api = login(ward_setup.leader)
    response = api.get("/api/v1/auth/csrf")
    assert response.status_code == 200
    assert response.get_json() == {"csrf_token": api.csrf_token}
    assert_problem(client.get("/api/v1/auth/csrf"), 401)


def test_unsafe_session_request_needs_the_csrf_header(ward_setup, login):
    api = login(ward_setup.nurse)
    body = {"name": "Locum", "profession": "doctor", "ward_ids": [ward_setup.ward_a.id]}
    token, api.csrf_token = api.csrf_token, None
    assert_problem(api.post("/api/v1/professionals", json=body), 403)
    assert_problem(api.post("/api/v1/professionals", json=body, headers={"X-CSRF-Token": "forged"}), 403)
    assert_problem(api.post("/api/v1/auth/logout"), 403)
    assert api.get("/api/v1/me").status_code == 200  # reads need no token; the session is still alive
    assert api.get("/api/v1/professionals?q=Locum").get_json()["items"] == []
    api.csrf_token = token
    assert api.post("/api/v1/professionals", json=body).status_code == 201


def test_bearer_token_needs_no_csrf_header(ward_setup, bearer):
    api = bearer(ward_setup.nurse)
    body = {"name": "Locum", "profession": "doctor", "ward_ids": [ward_setup.ward_a.id]}
    assert api.post("/api/v1/professionals", json=body).status_code == 201
    assert api.get("/api/v1/me").get_json()["username"] == "nina"


def test_unknown_or_malformed_bearer_token_is_401(ward_setup, client):
    for header in ("Bearer wt_not-a-token", "Bearer ", "bearer   "):
        assert_problem(client.get("/api/v1/me", headers={"Authorization": header}), 401)


def test_anonymous_me_is_401(client):
    assert_problem(client.get("/api/v1/me"), 401)


def test_me_for_each_role(ward_setup, make, login):
    patient_user = make.user("pat", "patient", patient=ward_setup.patient_a)
    expected = {
        "nurse": ("nurse", [ward_setup.ward_a.id], ward_setup.nurse_professional.id, None),
        "leader": ("team_leader", [ward_setup.ward_a.id], None, None),
        "admin": ("admin", [], None, None),
    }
    for key, (role, ward_ids, professional_id, patient_id) in expected.items():
        me = login(getattr(ward_setup, key)).get("/api/v1/me").get_json()
        assert me == {"id": getattr(ward_setup, key).id, "username": getattr(ward_setup, key).username, "role": role,
                      "ward_ids": ward_ids, "professional_id": professional_id, "patient_id": patient_id}
    me = login(patient_user).get("/api/v1/me").get_json()
    assert (me["role"], me["patient_id"], me["ward_ids"]) == ("patient", ward_setup.patient_a.id, [])


def test_idle_and_expired_sessions_end(ward_setup, login, app):
    idle = login(ward_setup.nurse)
    expired = login(ward_setup.leader)
    now = utcnow()
    sessions = {s.user_id: s for s in db.session.scalars(sa.select(UserSession))}
    sessions[ward_setup.nurse.id].last_seen_at = now - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    sessions[ward_setup.leader.id].expires_at = now - timedelta(seconds=1)
    db.session.commit()
    assert_problem(idle.get("/api/v1/me"), 401)
    assert_problem(expired.get("/api/v1/me"), 401)


def test_activity_keeps_a_session_alive(ward_setup, login, app):
    api = login(ward_setup.nurse)
    session = db.session.scalar(sa.select(UserSession))
    session.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] - 1)
    db.session.commit()
    assert api.get("/api/v1/me").status_code == 200
    db.session.expire_all()
    assert utcnow() - db.session.scalar(sa.select(UserSession)).last_seen_at < timedelta(minutes=1)


class _Upload(io.BytesIO):
    """A request body that notes in `events` when the server has read all of it."""

    def __init__(self, data: bytes, events: list):
        super().__init__(data)
        self.events, self.size = events, len(data)

    def _note(self, result):
        if self.tell() == self.size and "body read" not in self.events:
            self.events.append("body read")
        return result

    def read(self, size=-1):
        return self._note(super().read(size))

    def readinto(self, buffer):
        return self._note(super().readinto(buffer))


@pytest.mark.parametrize("auth", ["bearer", "session"])
def test_an_unsafe_request_is_read_whole_before_its_first_statement(ward_setup, bearer, login, app, auth):
    """Read before the caller, and so before the request takes SQLite's write lock: a slow upload must not hold it."""
    api = bearer(ward_setup.nurse) if auth == "bearer" else login(ward_setup.nurse)
    events = []
    data = json.dumps({"name": "Locum", "profession": "doctor", "ward_ids": [ward_setup.ward_a.id]}).encode()

    def statement(*_args):
        events.append("statement")

    sa.event.listen(db.engine, "before_cursor_execute", statement)
    try:
        response = api.post("/api/v1/professionals", input_stream=_Upload(data, events),
                            content_type="application/json", content_length=len(data))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", statement)
    assert response.status_code == 201, response.get_json()
    assert events.index("body read") < events.index("statement"), events


@pytest.mark.parametrize("auth", ["bearer", "session"])
def test_a_refused_body_is_answered_without_waiting_for_the_write_lock(ward_setup, bearer, login, auth):
    """The request takes SQLite's write lock only at its first statement after the caller: a body that fails
    its checks never waits for another writer."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock: PostgreSQL has none to wait for")
    api = bearer(ward_setup.nurse) if auth == "bearer" else login(ward_setup.nurse)
    body = {"patient_id": ward_setup.patient_a.id, "colour": "red"}
    with sqlite_write_lock_held():
        response = api.post("/api/v1/contacts", json=body)
    assert_problem(response, 422, field="colour")
