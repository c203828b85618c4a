"""The same contact sent at once from several phones (or retries) through two app instances is stored once."""

import threading

import pytest

from tests.conftest import _config
from tests.contacts.helpers import stored_contacts
from tests.support import ApiClient, Factories
from wardtrack import create_app
from wardtrack.extensions import db

THREADS = 8


@pytest.fixture
def second_app(app):
    """Another app instance on the same database: a second worker process."""
    other = create_app(_config(app.config["SQLALCHEMY_DATABASE_URI"]))
    yield other
    with other.app_context():
        db.engine.dispose()


def logged_in(flask_app, username) -> ApiClient:
    api = ApiClient(flask_app.test_client())
    response = api.post("/api/v1/auth/login", json={"username": username, "password": Factories.PASSWORD})
    assert response.status_code == 200, response.get_json()
    api.csrf_token = response.get_json()["csrf_token"]
    return api


def race(apps, send) -> list:
    """In one thread per client, log in, then run send(client) with all threads released at once.

    The threads alternate between the app instances; each thread has its own app context and
    database session, as a worker would.
    """
    # The test's own session must hold no transaction (on SQLite: the write lock) while others write.
    db.session.close()
    barrier, results = threading.Barrier(THREADS), [None] * THREADS

    def run(index):
        try:
            api = logged_in(apps[index % len(apps)], "nina")
            barrier.wait(timeout=30)
            results[index] = send(api)
        except Exception as error:  # reported below instead of dying silently in the thread
            barrier.abort()
            results[index] = error

    threads = [threading.Thread(target=run, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert not [r for r in results if isinstance(r, Exception)], results
    return results


def test_the_same_contact_posted_at_once_is_stored_once(app, second_app, ward_setup, contact_body):
    body = contact_body()
    responses = race([app, second_app], lambda api: api.post("/api/v1/contacts", json=body))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * (THREADS - 1) + [201], [r.get_data(as_text=True) for r in responses]
    assert len({r.get_json()["id"] for r in responses}) == 1
    [stored] = stored_contacts()
    assert str(stored.client_id) == body["client_id"]


def test_the_same_batch_posted_at_once_stores_each_contact_once(app, second_app, ward_setup, contact_body):
    items = [contact_body() for _ in range(5)]
    responses = race([app, second_app], lambda api: api.post("/api/v1/contacts/batch", json={"contacts": items}))
    assert {r.status_code for r in responses} == {200}
    for position in range(len(items)):
        statuses = sorted(r.get_json()["results"][position]["status"] for r in responses)
        assert statuses == [200] * (THREADS - 1) + [201]
    assert sorted(str(c.client_id) for c in stored_contacts()) == sorted(item["client_id"] for item in items)


def test_racing_different_bodies_keep_the_first(app, second_app, ward_setup, contact_body):
    body = contact_body()
    kinds = ["conversation", "phone"] * (THREADS // 2)
    index = iter(range(THREADS))
    lock = threading.Lock()

    def send(api):
        with lock:
            kind = kinds[next(index)]
        return kind, api.post("/api/v1/contacts", json={**body, "kind": kind})

    results = race([app, second_app], send)
    [stored] = stored_contacts()
    for kind, response in results:
        expected = (200, 201) if kind == stored.kind else (409,)
        assert response.status_code in expected, (kind, stored.kind, response.get_data(as_text=True))
    assert sum(response.status_code == 201 for _, response in results) == 1
