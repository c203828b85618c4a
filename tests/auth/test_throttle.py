"""Login throttling: growing delays per account and address, per address and per account, counted atomically
in the database or in Redis, alike for known and unknown names; and the bound on concurrent hashing."""

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import redis
import sqlalchemy as sa
import time_machine

from tests.conftest import _config
from tests.core.problems import assert_problem
from tests.reminders.servers import free_port
from tests.support import Factories
from wardtrack import create_app
from wardtrack.auth import operations, throttle
from wardtrack.auth.models import LoginThrottle
from wardtrack.core.time import utcnow
from wardtrack.extensions import db

LOGIN = "/api/v1/auth/login"
REDIS_URL = "redis://127.0.0.1:6379/0"


def _login(client, username, password=Factories.PASSWORD, address="127.0.0.1", **kwargs):
    return client.post(LOGIN, json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address}, **kwargs)


class _Hasher:
    """The app's argon2 hasher with its verify() replaced."""

    def __init__(self, real, verify):
        self._real, self.verify = real, verify

    def __getattr__(self, name):
        return getattr(self._real, name)


def _replace_verify(monkeypatch, make_verify):
    real = operations._hasher
    monkeypatch.setattr(operations, "_hasher", _Hasher(real, make_verify(real.verify)))


@pytest.fixture
def verifications(monkeypatch):
    """Counts the argon2 verifications the app runs."""
    seen = []

    def counting(real):
        def verify(hash_, password):
            seen.append(1)
            return real(hash_, password)
        return verify

    _replace_verify(monkeypatch, counting)
    return seen


def _redis_or_skip():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return client


@pytest.fixture(autouse=True)
def _long_delay(app):
    """A first delay longer than any test takes on a busy machine; tests travel in time past it."""
    app.config["LOGIN_DELAY_SECONDS"] = 30


@pytest.fixture(params=["database", "redis"])
def backend(request, app):
    """Each test with this fixture runs on both stores; Redis keys get a prefix of their own."""
    if request.param == "redis":
        client = _redis_or_skip()
        prefix = f"wardtrack-test-{uuid.uuid4().hex}:"
        app.config.update(REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=prefix)
        yield request.param
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        return
    yield request.param


def _stored_counters() -> int:
    db.session.rollback()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(LoginThrottle))
    db.session.rollback()
    return count


def test_unknown_and_known_names_are_answered_alike(ward_setup, client, app, verifications):
    answers = {}
    for name in ("nina", "nobody"):
        before = len(verifications)
        answers[name] = [(r.status_code, r.get_json(), r.headers.get("Retry-After"))
                         for r in (_login(client, name, "wrong-password") for _ in range(7))]
        answers[name].append(len(verifications) - before)
    limit = app.config["LOGIN_MAX_FAILURES"]
    assert answers["nina"] == answers["nobody"]
    assert [status for status, _body, _retry in answers["nina"][:-1]] == [401] * limit + [429] * (7 - limit)
    assert answers["nina"][-1] == limit  # the unknown name was checked against a hash as often
    _status, body, retry_after = answers["nobody"][limit]
    assert int(retry_after) >= 1 and "try again" in body["detail"]


def test_the_right_password_from_another_address_works_while_an_attacker_waits(ward_setup, client, app):
    attacker, nurse = "203.0.113.9", "198.51.100.7"
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert_problem(_login(client, "nina", "guess", attacker), 401)
    refused = assert_problem(_login(client, "nina", "guess", attacker), 429)
    assert "try again" in refused["detail"]
    assert_problem(_login(client, "nina", address=attacker), 429)  # a wait, not a verdict on the password
    assert _login(client, "nina", address=nurse).status_code == 200
    with time_machine.travel(utcnow() + timedelta(seconds=app.config["LOGIN_DELAY_SECONDS"] + 1), tick=False):
        assert_problem(_login(client, "nina", "guess", attacker), 401)
        response = _login(client, "nina", "guess", attacker)  # the delay has doubled
        assert_problem(response, 429)
        assert int(response.headers["Retry-After"]) == 2 * app.config["LOGIN_DELAY_SECONDS"]


def test_the_account_ceiling_spares_an_address_the_account_logged_in_from(ward_setup, client, app):
    app.config["LOGIN_ACCOUNT_MAX_FAILURES"] = 4
    assert _login(client, "nina", address="198.51.100.7").status_code == 200  # her phone
    for n in range(4):
        assert_problem(_login(client, "nina", "guess", f"203.0.113.{n}"), 401)
    assert_problem(_login(client, "nina", "guess", "203.0.113.200"), 429)  # a fresh address waits too
    assert_problem(_login(client, "nina", address="192.0.2.1"), 429)
    assert _login(client, "nina", address="198.51.100.7").status_code == 200


def test_one_address_is_limited_across_accounts(ward_setup, client, app, verifications):
    app.config["LOGIN_ADDRESS_MAX_FAILURES"] = 6
    names = ["nina", "tom", "olga", "ada", "ghost1", "ghost2"]
    for name in names:
        assert_problem(_login(client, name, "Winter2026!", "203.0.113.5"), 401)
    response = _login(client, "ghost3", "Winter2026!", "203.0.113.5")
    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) >= 1
    assert len(verifications) == 6
    assert_problem(_login(client, "tom", "Winter2026!", "203.0.113.6"), 401)  # another address: checked
    assert _login(client, "tom", address="203.0.113.6").status_code == 200


def test_parallel_wrong_passwords_check_at_most_the_limit(ward_setup, app, backend, verifications):
    app.config.update(LOGIN_DELAY_SECONDS=60, LOGIN_HASH_CONCURRENCY=64)
    start = threading.Barrier(40)

    def attempt(_n):
        client = app.test_client()
        start.wait()
        return _login(client, "nina", "wrong-password").status_code

    with ThreadPoolExecutor(40) as pool:
        statuses = Counter(pool.map(attempt, range(40)))
    limit = app.config["LOGIN_MAX_FAILURES"]
    assert statuses == {401: limit, 429: 40 - limit}
    assert len(verifications) == limit
    assert (_stored_counters() > 0) == (backend == "database")


def test_parallel_right_passwords_wait_for_each_other_instead_of_being_refused(ward_setup, app, backend):
    threads = 2 * app.config["LOGIN_MAX_FAILURES"]
    start = threading.Barrier(threads)

    def attempt(_n):
        client = app.test_client()
        start.wait()
        return _login(client, "nina").status_code

    with ThreadPoolExecutor(threads) as pool:
        assert Counter(pool.map(attempt, range(threads))) == {200: threads}


def test_counters_are_shared_by_two_app_instances(ward_setup, app, backend):
    shared = {key: app.config.get(key) for key in ("REDIS_URL", "REDIS_KEY_PREFIX", "LOGIN_DELAY_SECONDS")}
    other = create_app({**_config(app.config["SQLALCHEMY_DATABASE_URI"]), **shared})
    try:
        for _ in range(app.config["LOGIN_MAX_FAILURES"]):
            assert_problem(_login(app.test_client(), "nina", "wrong-password"), 401)
        response = _login(other.test_client(), "nina", "wrong-password")
        assert_problem(response, 429)
        assert int(response.headers["Retry-After"]) >= 1
        assert _login(other.test_client(), "nina", address="198.51.100.7").status_code == 200
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_without_its_redis_a_login_answers_503_not_500_and_is_not_let_through(ward_setup, app, client):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"
    response = _login(client, "nina")
    assert_problem(response, 503)
    assert response.headers["Retry-After"] == "5"


def test_password_hashing_is_bounded_per_worker_and_a_full_worker_answers_at_once(ward_setup, app, monkeypatch):
    app.config["LOGIN_HASH_CONCURRENCY"] = 1
    entered, release = threading.Event(), threading.Event()

    def slow_first(real):
        def verify(hash_, password):
            if not entered.is_set():
                entered.set()
                release.wait(10)
            return real(hash_, password)
        return verify

    _replace_verify(monkeypatch, slow_first)
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(lambda: _login(app.test_client(), "nina", address="198.51.100.7").status_code)
        assert entered.wait(10)
        busy = _login(app.test_client(), "tom", address="198.51.100.8")
        health = app.test_client().get("/healthz")
        release.set()
        assert first.result(10) == 200
    assert_problem(busy, 503)
    assert busy.headers["Retry-After"] == "1"
    assert health.status_code == 200
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):  # the busy answer was not counted as a failure
        assert_problem(_login(app.test_client(), "tom", "wrong", address="198.51.100.8"), 401)


def test_the_client_address_behind_trusted_proxies_and_by_ipv6_prefix(app):
    def address(remote, forwarded=None):
        headers = {"X-Forwarded-For": forwarded} if forwarded else {}
        with app.test_request_context("/", environ_base={"REMOTE_ADDR": remote}, headers=headers):
            return throttle.client_address()

    assert address("127.0.0.1") == "127.0.0.1"
    assert address("127.0.0.1", "6.6.6.6, 198.51.100.7") == "198.51.100.7"  # the proxy on this host appended it
    assert address("203.0.113.1", "198.51.100.7") == "203.0.113.1"  # not a proxy: the header is anyone's
    app.config["FORWARDED_ALLOW_IPS"] = "127.0.0.1,10.0.0.2"
    assert address("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2") == "198.51.100.7"
    assert address("2001:db8:1:2:3:4:5:6") == address("2001:db8:1:2:ffff::1") == "2001:db8:1:2::/64"
    assert address("::ffff:198.51.100.7") == "198.51.100.7"


def test_expired_counters_are_forgotten(ward_setup, client):
    assert_problem(_login(client, "nina", "wrong-password"), 401)
    assert _stored_counters() == 3
    store = throttle.DatabaseStore()
    assert store.forget_expired(utcnow()) == 0
    assert store.forget_expired(utcnow() + timedelta(hours=2)) == 3
