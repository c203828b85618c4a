"""The migrations build exactly the schema the models describe, on the backend the suite runs on; a database
that the squashed chain built (its head, 31ba2a15b99d) goes on from the one migration that replaced it."""

import contextlib
import os
import re
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import current_app
from flask_migrate import downgrade, upgrade

from tests.conftest import TEST_KEYS
from tests.support import backend_url
from wardtrack import create_app
from wardtrack.audit.operations import record
from wardtrack.extensions import db

#: The head of the chain of migrations that one initial migration replaced, and that chain's schema as
#: pg_dump and SQLite's iterdump wrote it (with its two rows: the version and the audit chain's head).
OLD_HEAD = "31ba2a15b99d"
DUMPS = Path(__file__).parent / "data"


@contextlib.contextmanager
def empty_database(tmp_path):
    """A new empty database URL on the backend of the suite: a SQLite file or a PostgreSQL database."""
    server_url = os.environ.get("WARDTRACK_TEST_DATABASE_URL")
    if server_url:
        with backend_url(server_url) as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"


@contextlib.contextmanager
def app_on(url):
    # no checkpoints of the instance folder: `audit verify` must see this database's chain only
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret",
                      "CRYPTO_KEYS": TEST_KEYS, "CRYPTO_KEYS_FILE": None,
                      "AUDIT_CHECKPOINT_FILE": os.devnull})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def fresh_app(tmp_path):
    with empty_database(tmp_path) as url, app_on(url) as app:
        yield app


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


def _clean(sql):
    """SQL as text to compare: white space folded, and without casts, which PostgreSQL shows differently
    for a constraint that pg_dump wrote and one that was created from the same expression."""
    if not sql:
        return sql
    return re.sub(r"::(character varying|text)(\[\])?", "", re.sub(r"\s+", " ", sql)).strip()


def tables() -> dict:
    """The tables as the database has them: columns, keys, indexes and checks."""
    with db.engine.connect() as connection:
        inspector = sa.inspect(connection)
        return {name: {
            "columns": sorted((column["name"], str(column["type"]), column["nullable"], _clean(column["default"]))
                              for column in inspector.get_columns(name)),
            "primary key": inspector.get_pk_constraint(name)["constrained_columns"],
            "foreign keys": sorted((fk["constrained_columns"], fk["referred_table"], fk["referred_columns"],
                                    sorted(fk["options"].items())) for fk in inspector.get_foreign_keys(name)),
            "indexes": sorted((index["name"], index["column_names"], bool(index["unique"]),
                               {key: str(value) for key, value in index.get("dialect_options", {}).items()})
                              for index in inspector.get_indexes(name)),
            "unique": sorted((unique["name"], unique["column_names"])
                             for unique in inspector.get_unique_constraints(name)),
            "checks": sorted((check["name"], _clean(check["sqltext"]))
                             for check in inspector.get_check_constraints(name)),
        } for name in inspector.get_table_names()}


def structure() -> dict:
    """The schema as the database has it: tables, columns, keys, indexes, checks, triggers and functions."""
    found = tables()
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            triggers = connection.execute(sa.text(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal")).all()
            functions = connection.execute(sa.text(
                "SELECT proname, pg_get_functiondef(oid), prosecdef, proconfig, proacl::text[] FROM pg_proc "
                "WHERE pronamespace = current_schema()::regnamespace")).all()
            routines = sorted((name, _clean(body), definer, config, grants)
                              for name, body, definer, config, grants in functions)
        else:
            triggers = connection.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
            routines = []
        rows = {"alembic_version": connection.execute(sa.text("SELECT * FROM alembic_version")).all(),
                "audit_chain_head": connection.execute(sa.text("SELECT * FROM audit_chain_head")).all()}
    return {"tables": found, "triggers": sorted((name, _clean(sql)) for name, sql in triggers),
            "functions": routines, "rows": rows}


def load_old_head(url: str) -> None:
    """Build the old chain's head in the empty database at `url`, from its dump."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    script = (DUMPS / f"schema_{OLD_HEAD}.{engine.dialect.name}.sql").read_text()
    if engine.dialect.name == "sqlite":
        with contextlib.closing(sqlite3.connect(engine.url.database)) as connection:
            connection.executescript(script)
    else:
        with contextlib.closing(engine.raw_connection()) as connection:
            connection.cursor().execute(script)  # no parameters: the script's own % signs stay as they are
            connection.commit()
    engine.dispose()


def test_a_database_of_the_old_chain_s_head_goes_on_with_the_schema_of_a_fresh_one(fresh_app, tmp_path):
    upgrade()
    fresh = structure()
    (tmp_path / "old").mkdir()
    with empty_database(tmp_path / "old") as url:
        load_old_head(url)
        with app_on(url) as app:
            upgrade()
            assert structure() == fresh
            assert differences() == []
            record("test.after_the_squash")
            db.session.commit()
            result = app.test_cli_runner().invoke(args=["audit", "verify"])
            assert result.exit_code == 0 and "intact: 1 events" in result.output, result.output


def test_the_structure_sees_what_the_model_comparison_does_not(fresh_app):
    """Guard against a vacuous comparison: a dropped trigger changes the structure, not the models' view."""
    upgrade()
    before = structure()
    trigger = "audit_events_append_only ON audit_events" if db.engine.dialect.name == "postgresql" \
        else "audit_events_no_delete"
    with db.engine.begin() as connection:
        connection.execute(sa.text(f"DROP TRIGGER {trigger}"))
    assert differences() == []
    assert structure() != before


def test_the_migrated_tables_have_the_models_checks_and_indexes(fresh_app, tmp_path):
    """What autogenerate does not compare (CHECK constraints such as the flag codes, partial indexes): the
    migrated tables equal those that the models create."""
    upgrade()
    migrated = tables()
    migrated.pop("alembic_version")
    (tmp_path / "models").mkdir()
    with empty_database(tmp_path / "models") as url, app_on(url):
        db.create_all()
        created = tables()
    assert migrated == created
    checks = dict(migrated["flags"]["checks"])
    assert "'help_requested'" in checks["ck_flags_flag_code"]
