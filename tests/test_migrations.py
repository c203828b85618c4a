"""The migrations build exactly the schema the models describe, on the backend the suite runs on."""

import contextlib
import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import current_app
from flask_migrate import downgrade, upgrade

from tests.conftest import TEST_KEYS
from tests.support import backend_url
from wardtrack import create_app
from wardtrack.audit.models import AuditEvent
from wardtrack.audit.operations import GENESIS, chain_hash, record
from wardtrack.core.time import utcnow
from wardtrack.extensions import db


@contextlib.contextmanager
def empty_database(tmp_path):
    """A new empty database URL on the backend of the suite: a SQLite file or a PostgreSQL database."""
    server_url = os.environ.get("WARDTRACK_TEST_DATABASE_URL")
    if server_url:
        with backend_url(server_url) as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"


@pytest.fixture
def fresh_app(tmp_path):
    with empty_database(tmp_path) as url:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret",
                          "CRYPTO_KEYS": TEST_KEYS, "CRYPTO_KEYS_FILE": None})
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()


def differences() -> list:
    """What Alembic's autogenerate would change to make the database match the models."""
    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("compare_type", True)
    options["compare_server_default"] = True
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=options)
        return compare_metadata(context, db.metadata)


def table_names() -> set[str]:
    with db.engine.connect() as connection:
        return set(sa.inspect(connection).get_table_names())


def test_upgrade_from_empty_matches_the_models(fresh_app):
    assert table_names() == set()
    upgrade()
    assert set(db.metadata.tables) <= table_names()
    assert differences() == []


def test_downgrade_to_base_and_upgrade_again(fresh_app):
    upgrade()
    downgrade(revision="base")
    assert table_names() <= {"alembic_version"}
    upgrade()
    assert set(db.metadata.tables) <= table_names()
    assert differences() == []
    with db.engine.connect() as connection:
        head = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    assert head


def test_the_chain_goes_on_from_the_events_recorded_before_its_head_row(fresh_app):
    upgrade(revision="eda6e65150ac")  # the last revision without audit_chain_head
    values = {"at": utcnow(), "actor_user_id": None, "actor_role": "system", "action": "test.before",
              "patient_id": None, "object_type": None, "object_id": None, "request_id": None, "prev_hash": GENESIS}
    with db.engine.begin() as connection:
        connection.execute(sa.insert(AuditEvent.__table__), {**values, "hash": chain_hash(GENESIS, values)})
    upgrade()
    record("test.after")
    db.session.commit()
    result = fresh_app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact: 2 events" in result.output, result.output


def test_migrated_schema_keeps_the_partial_unique_index(fresh_app):
    upgrade()
    with db.engine.connect() as connection:
        indexes = {index["name"]: index for index in sa.inspect(connection).get_indexes("designations")}
    assert indexes["uq_designations_one_active"]["unique"]


def test_the_comparison_sees_a_drifted_schema(fresh_app):
    """Guard against a vacuous check: a dropped index must show up as a difference."""
    upgrade()
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP INDEX ix_contacts_patient_id_occurred_at"))
    found = differences()
    assert [(diff[0], diff[1].name) for diff in found] == [("add_index", "ix_contacts_patient_id_occurred_at")]
