"""Fixtures: a migrated database per test (SQLite, or PostgreSQL when WARDTRACK_TEST_DATABASE_URL is set),
the app, a client, the CLI runner, factories that build named objects, and logged-in API clients."""

import os
import shutil
import time
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from tests.support import ApiClient, Factories, backend_url
from wardtrack import create_app
from wardtrack.audit.checkpoints import generate_key_text
from wardtrack.audit.operations import GENESIS
from wardtrack.core.crypto import generate_key_line
from wardtrack.extensions import db

TEST_KEYS = generate_key_line()
TEST_AUDIT_SIGNING_KEY = generate_key_text()


def pytest_report_header(config):
    url = os.environ.get("WARDTRACK_TEST_DATABASE_URL")
    if url:
        return f"database: PostgreSQL ({sa.engine.make_url(url).render_as_string(hide_password=True)})"
    return ("database: SQLite (PostgreSQL run skipped: WARDTRACK_TEST_DATABASE_URL is not set; "
            "`make test` runs it when the variable points at a server)")


def _config(url: str) -> dict:
    return {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret",
            "CRYPTO_KEYS": TEST_KEYS, "CRYPTO_KEYS_FILE": None, "AUDIT_SIGNING_KEY": TEST_AUDIT_SIGNING_KEY,
            # Tests log in from many threads of one process; tests/auth/test_throttle.py tests the bound itself.
            "LOGIN_HASH_CONCURRENCY": 16}


def _migrate(url: str) -> None:
    app = create_app(_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """A migrated template database for the session; yields a function giving each test a clean one."""
    server_url = os.environ.get("WARDTRACK_TEST_DATABASE_URL")
    if server_url:
        with backend_url(server_url) as url:
            _migrate(url)
            yield _postgres_cleaner(url)
        return
    template = tmp_path_factory.mktemp("db") / "template.sqlite3"
    _migrate(f"sqlite:///{template}")

    def fresh(tmp_path):
        copy = tmp_path / "wardtrack.sqlite3"
        shutil.copyfile(template, copy)
        return f"sqlite:///{copy}", lambda: None

    yield fresh


# Kept between tests: the migrations' own bookkeeping, and the chain's one head row (restarted instead).
_KEPT_TABLES = {"alembic_version", "audit_chain_head"}
DEADLOCK_DETECTED = "40P01"  # PostgreSQL's SQLSTATE


def _postgres_cleaner(url: str):
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        tables = [name for name in sa.inspect(connection).get_table_names() if name not in _KEPT_TABLES]
    statement = sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    restart_chain = sa.text("UPDATE audit_chain_head SET hash = :genesis").bindparams(genesis=GENESIS)

    def fresh(_tmp_path):
        def clean():
            for attempt in range(5):
                try:
                    with engine.begin() as connection:
                        # The audit tables refuse TRUNCATE by a trigger; this transaction (as the superuser)
                        # skips it.
                        connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
                        connection.execute(statement)
                        connection.execute(restart_chain)
                    return
                except sa.exc.OperationalError as error:
                    # A browser test's live server may still be answering the page's last request: PostgreSQL
                    # ends the TRUNCATE as a deadlock, and it is tried again once that request is done.
                    if getattr(error.orig, "sqlstate", None) != DEADLOCK_DETECTED or attempt == 4:
                        raise
                    time.sleep(0.2)

        return url, clean

    return fresh


@pytest.fixture
def app(database, tmp_path):
    url, clean = database(tmp_path)
    app = create_app({**_config(url), "AUDIT_CHECKPOINT_FILE": str(tmp_path / "audit-checkpoints.jsonl")})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    clean()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    """Factories: make.ward(), make.professional(), make.patient(), make.episode(), make.user(), ..."""
    return Factories()


@pytest.fixture
def login(app):
    """login(user) -> an ApiClient with that user's session and CSRF token."""

    def _login(user, password=Factories.PASSWORD):
        api = ApiClient(app.test_client())
        response = api.post("/api/v1/auth/login", json={"username": user.username, "password": password})
        assert response.status_code == 200, response.get_json()
        api.csrf_token = response.get_json()["csrf_token"]
        return api

    return _login


@pytest.fixture
def ward_setup(make, login):
    """make.ward_world() (two wards, staff, a patient on each ward) with `login` alongside, as a World:
    ward_setup.nurse, ward_setup.ward_a, ward_setup.login(ward_setup.nurse)."""
    return make.ward_world().with_(login=login)


def new_client_id() -> str:
    return str(uuid.uuid4())
