"""Database failures a client recovers from by sending again: a lost connection (pooled connections are pinged
only after sitting idle, so one lost in use costs its request a 503, no more) and a transaction the database ends
for a conflict, or an SQLite writer kept waiting too long."""

import pytest
import sqlalchemy as sa

from tests.conftest import _config
from tests.support import ApiClient, Factories, sqlite_write_lock_held
from wardtrack import create_app
from wardtrack.core import sqlite as core_sqlite
from wardtrack.core.db import ping_when_idle
from wardtrack.extensions import db


def _on_server(app) -> bool:
    return not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


_NAME = "wardtrack-ping-test"


@pytest.fixture
def second_worker(app):
    """second_worker(idle_seconds) -> another app on the suite's database server, as a worker whose pooled
    connections the test can end (they carry their own application_name)."""
    if not _on_server(app):
        pytest.skip("needs a database server: runs on PostgreSQL (WARDTRACK_TEST_DATABASE_URL)")
    made = []

    def _make(idle_seconds):
        made.append(create_app({**_config(app.config["SQLALCHEMY_DATABASE_URI"]),
                                "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"application_name": _NAME}},
                                "DATABASE_PING_IDLE_SECONDS": idle_seconds}))
        return made[-1]

    yield _make
    for worker in made:
        with worker.app_context():
            db.engine.dispose()


def _drop_connections(app) -> None:
    """What a server restart does to a worker's pooled connections."""
    outsider = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=sa.pool.NullPool)
    with outsider.begin() as connection:
        ended = connection.execute(sa.text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :name"),
            {"name": _NAME}).scalar()
    outsider.dispose()
    assert ended >= 1


@pytest.mark.parametrize("idle_seconds, pings", [(3600, 0), (0, 4)])
def test_only_a_connection_idle_long_enough_is_pinged(app, monkeypatch, idle_seconds, pings):
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], pool_size=1)
    calls = []
    original = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda connection: calls.append(1) or original(connection))
    ping_when_idle(engine, idle_seconds)
    try:
        for _ in range(5):  # the first checkout opens the connection: nothing to ping yet
            with engine.connect() as connection:
                assert connection.execute(sa.text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
    assert len(calls) == pings


def _logged_in(worker) -> ApiClient:
    api = ApiClient(worker.test_client())
    response = api.post("/api/v1/auth/login", json={"username": "nina", "password": Factories.PASSWORD})
    assert response.status_code == 200, response.get_json()
    return api


def test_a_connection_lost_while_in_use_answers_503_once(second_worker, ward_setup):
    worker = second_worker(3600)
    nurse = _logged_in(worker)
    assert nurse.get("/api/v1/me").status_code == 200
    _drop_connections(worker)
    response = nurse.get("/api/v1/me")  # used a moment ago: not pinged, so its first statement fails
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    assert response.headers["Retry-After"] == "1"
    assert nurse.get("/api/v1/me").status_code == 200  # the pool was renewed


def test_a_connection_lost_while_idle_is_replaced_before_use(second_worker, ward_setup):
    worker = second_worker(0)
    nurse = _logged_in(worker)
    _drop_connections(worker)
    assert nurse.get("/api/v1/me").status_code == 200


def test_a_transaction_the_database_ends_for_a_conflict_answers_503(second_worker, ward_setup):
    """A serialization failure (or a deadlock) leaves nothing written: the client may send the request again."""
    worker = second_worker(3600)
    ward_id = ward_setup.nurse.ward_ids[0]

    def conflicting_update():
        db.session.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        db.session.execute(sa.text("SELECT name FROM wards WHERE id = :id"), {"id": ward_id})
        outsider = sa.create_engine(worker.config["SQLALCHEMY_DATABASE_URI"], poolclass=sa.pool.NullPool)
        with outsider.begin() as connection:  # another transaction changes the row and commits first
            connection.execute(sa.text("UPDATE wards SET name = name || ' (renamed)' WHERE id = :id"), {"id": ward_id})
        outsider.dispose()
        db.session.execute(sa.text("UPDATE wards SET name = 'Lost update' WHERE id = :id"), {"id": ward_id})
        db.session.commit()
        return "stored"

    worker.add_url_rule("/api/v1/test/conflict", "conflict", conflicting_update, methods=["POST"])
    response = worker.test_client().post("/api/v1/test/conflict")
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    assert response.headers["Retry-After"] == "1"
    assert "nothing was stored" in response.get_json()["detail"]
    names = db.session.execute(sa.text("SELECT name FROM wards WHERE id = :id"), {"id": ward_id}).scalar()
    assert names.endswith("(renamed)")


def test_a_write_kept_waiting_past_sqlites_busy_timeout_answers_503(app, ward_setup, login, monkeypatch):
    """Another program held the write lock too long: nothing was written, and the client may send it again."""
    if _on_server(app):
        pytest.skip("SQLite's busy timeout: PostgreSQL has no database-wide write lock")
    monkeypatch.setattr(core_sqlite, "_BUSY_TIMEOUT_S", 1)
    db.engine.dispose()  # connections made from here on wait 1 s, not 10
    api = login(ward_setup.nurse)
    body = {"name": "Locum", "profession": "doctor", "ward_ids": [ward_setup.ward_a.id]}
    with sqlite_write_lock_held():
        response = api.post("/api/v1/professionals", json=body)
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    assert response.headers["Retry-After"] == "1"
    assert "nothing was stored" in response.get_json()["detail"]
    assert db.session.execute(sa.text("SELECT count(*) FROM professionals WHERE name = 'Locum'")).scalar() == 0
