"""Least privilege on PostgreSQL: the app and the scheduler connect as a role that owns nothing, may only INSERT
and SELECT on the audit tables, and cannot switch triggers off; the app's normal work runs as that role."""

import os
import secrets
import subprocess
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from tests.conftest import _config, new_client_id
from tests.support import ApiClient, Factories
from wardtrack import create_app
from wardtrack.audit.checkpoints import scheduled_checkpoint
from wardtrack.audit.operations import record
from wardtrack.core.time import iso_z, utcnow
from wardtrack.extensions import db
from wardtrack.notifications import jobs, scheduler

ON_POSTGRES = bool(os.environ.get("WARDTRACK_TEST_DATABASE_URL"))
pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not ON_POSTGRES, reason="roles exist on PostgreSQL only; "
                                                         "set WARDTRACK_TEST_DATABASE_URL")]
INSUFFICIENT_PRIVILEGE = "42501"


@pytest.fixture
def superuser(app):
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture
def new_role(superuser):
    """new_role() -> (name, password) of a new login role, dropped with whatever was granted to it."""
    made = []

    def _new():
        name, password = f"wardtrack_test_{uuid.uuid4().hex[:10]}", secrets.token_urlsafe(18)
        with superuser.connect() as connection:
            connection.execute(sa.text(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'"))
        made.append(name)
        return name, password

    yield _new
    with superuser.connect() as connection:
        for name in made:
            connection.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :n"),
                               {"n": name})
            connection.execute(sa.text(f"DROP OWNED BY {name}"))
            connection.execute(sa.text(f"DROP ROLE {name}"))


@pytest.fixture
def app_role_url(app, runner, new_role):
    """The URL of a new role given the app's grants by `flask audit grant-app-role`, run as the tables' owner."""
    name, password = new_role()
    result = runner.invoke(args=["audit", "grant-app-role", name])
    assert result.exit_code == 0, result.output
    assert f"GRANT EXECUTE ON FUNCTION audit_chain_lock() TO {name}" in result.output
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(username=name, password=password)
    return url.render_as_string(hide_password=False)


@pytest.fixture
def app_role_engine(app_role_url):
    engine = sa.create_engine(app_role_url)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("sql", [
    "UPDATE audit_events SET action = 'forged'",
    "DELETE FROM audit_events",
    "TRUNCATE audit_events",
    "UPDATE audit_chain_head SET hash = repeat('0', 64)",
    "DELETE FROM audit_chain_head",
    "TRUNCATE audit_chain_head",
    "INSERT INTO audit_chain_head (id, hash) VALUES (2, 'x')",
    "SELECT hash FROM audit_chain_head FOR UPDATE",
    "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only",
    "ALTER TABLE audit_events DISABLE TRIGGER ALL",
    "ALTER TABLE audit_chain_head DISABLE TRIGGER audit_chain_head_no_truncate",
    "DROP TRIGGER audit_events_append_only ON audit_events",
    "SET session_replication_role = replica",
    "ALTER FUNCTION audit_chain_advance() SECURITY INVOKER",
    "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RETURN NEW; END $$",
    "SELECT setval(pg_get_serial_sequence('audit_events', 'id'), 1)",
    "UPDATE alembic_version SET version_num = 'forged'",
    "CREATE TABLE intruder (id int)",
])
def test_the_app_role_cannot_change_the_audit_tables_nor_switch_their_triggers_off(app_role_engine, add_events,
                                                                                    sql):
    add_events(3)
    with app_role_engine.connect() as connection, pytest.raises(sa.exc.DBAPIError) as refused:
        connection.execute(sa.text(sql))
    assert refused.value.orig.sqlstate == INSUFFICIENT_PRIVILEGE, refused.value.orig


def test_the_app_role_reads_and_appends_audit_events(app_role_engine, add_events):
    add_events(2)
    with app_role_engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM audit_events")) == 2
        assert connection.scalar(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) is False


def _log_a_contact(role_app, patient_id, professional_id) -> ApiClient:
    api = ApiClient(role_app.test_client())
    login = api.post("/api/v1/auth/login", json={"username": "nina", "password": Factories.PASSWORD})
    assert login.status_code == 200, login.get_json()
    api.csrf_token = login.get_json()["csrf_token"]
    body = {"client_id": new_client_id(), "patient_id": patient_id, "professional_id": professional_id,
            "kind": "conversation",
            "occurred_at": iso_z(utcnow().replace(microsecond=0) - timedelta(hours=1))}
    response = api.post("/api/v1/contacts", json=body)
    assert response.status_code == 201, response.get_json()
    return api


def test_the_app_and_the_scheduler_do_their_work_as_the_app_role(app, ward_setup, app_role_url, tmp_path):
    """Login, a contact through HTTP, reading the patient, the scheduler's jobs with its lock, a checkpoint and
    verify: all as the role that may only append to the audit trail."""
    patient_id, professional_id = ward_setup.patient_a.id, ward_setup.nurse_professional.id
    db.session.close()  # the test's own session stays off the app role's connections
    role_app = create_app({**_config(app_role_url), "AUDIT_CHECKPOINT_FILE": str(tmp_path / "role.jsonl")})
    try:
        with role_app.app_context():
            assert db.session.scalar(sa.text("SELECT current_user")) == sa.engine.make_url(app_role_url).username
            db.session.rollback()
            api = _log_a_contact(role_app, patient_id, professional_id)
            assert api.get(f"/api/v1/patients/{patient_id}").status_code == 200
            assert api.post("/api/v1/auth/logout").status_code < 300
        with scheduler.leadership(app_role_url) as lock:
            assert lock  # the advisory lock is the app role's to take
            for name in jobs.JOBS:
                jobs.run(role_app, name)
            assert scheduled_checkpoint(role_app).size >= 4  # login, contact, read, logout
        with role_app.app_context():  # the command runs in the app whose context is current
            result = role_app.test_cli_runner().invoke(args=["audit", "verify"])
        assert result.exit_code == 0, result.stderr
        assert "signed checkpoints checked: 1" in result.stderr
    finally:
        with role_app.app_context():
            db.engine.dispose()


def test_grant_app_role_refuses_a_role_with_powers_or_possessions(runner, new_role, superuser):
    result = runner.invoke(args=["audit", "grant-app-role", "postgres"])
    assert result.exit_code != 0 and "has SUPERUSER" in result.output
    owner_of_a_table, _ = new_role()
    member_of_the_owner, _ = new_role()
    with superuser.connect() as connection:
        connection.execute(sa.text(f"CREATE TABLE {owner_of_a_table}_table (id int)"))
        connection.execute(sa.text(f"ALTER TABLE {owner_of_a_table}_table OWNER TO {owner_of_a_table}"))
        owner = connection.scalar(sa.text("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_events'"))
        connection.execute(sa.text(f"GRANT {owner} TO {member_of_the_owner}"))
    result = runner.invoke(args=["audit", "grant-app-role", owner_of_a_table])
    assert result.exit_code != 0 and "owns 1 objects in this database" in result.output
    result = runner.invoke(args=["audit", "grant-app-role", member_of_the_owner])
    assert result.exit_code != 0 and "acts as" in result.output
    assert "does not exist" in runner.invoke(args=["audit", "grant-app-role", "nobody_at_all"]).output


def test_the_deploy_script_makes_both_roles_and_the_upgrade_grants_the_app_its_part(tmp_path):
    """deploy/postgres-roles.sql as a superuser, `flask db upgrade` as the owner with WARDTRACK_DATABASE_APP_ROLE
    set, then the app role appends an event and cannot change it."""
    server = sa.engine.make_url(os.environ["WARDTRACK_TEST_DATABASE_URL"])
    suffix = uuid.uuid4().hex[:10]
    owner, app_role, database = f"wardtrack_owner_{suffix}", f"wardtrack_app_{suffix}", f"wardtrack_deploy_{suffix}"
    env = {**os.environ, **({"PGPASSWORD": server.password} if server.password else {})}
    command = ["psql", "-X", "-q", "-h", server.host or "127.0.0.1", "-p", str(server.port or 5432),
               "-U", server.username, "-d", server.database, "-v", f"owner={owner}", "-v", f"app={app_role}",
               "-v", f"database={database}", "-f", str(Path(__file__).parents[2] / "deploy" / "postgres-roles.sql")]
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        passwords = {owner: secrets.token_urlsafe(18), app_role: secrets.token_urlsafe(18)}
        with admin.connect() as connection:
            for role, password in passwords.items():
                connection.execute(sa.text(f"ALTER ROLE {role} PASSWORD '{password}'"))
        urls = {role: server.set(username=role, password=password, database=database)
                .render_as_string(hide_password=False) for role, password in passwords.items()}
        migrating = create_app({**_config(urls[owner]), "DATABASE_APP_ROLE": app_role})
        with migrating.app_context():
            upgrade()
            db.engine.dispose()
        running = create_app({**_config(urls[app_role]), "AUDIT_CHECKPOINT_FILE": str(tmp_path / "c.jsonl")})
        with running.app_context():
            record("test.deployed")
            db.session.commit()
            with pytest.raises(sa.exc.DBAPIError) as refused:
                db.session.execute(sa.text("UPDATE audit_events SET action = 'forged'"))
            assert refused.value.orig.sqlstate == INSUFFICIENT_PRIVILEGE
            db.session.rollback()
            assert db.session.scalar(sa.text("SELECT count(*) FROM wards")) == 0  # the other tables are its to use
            for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE"):  # also those of migrations after the grant
                lacking = db.session.scalars(sa.text(
                    "SELECT c.relname FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname NOT IN "
                    "('audit_events', 'audit_chain_head', 'alembic_version') "
                    "AND NOT has_table_privilege(c.oid, :privilege)"), {"privilege": privilege}).all()
                assert lacking == [], privilege
            db.engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            connection.execute(sa.text(f"DROP ROLE IF EXISTS {app_role}"))
            connection.execute(sa.text(f"DROP ROLE IF EXISTS {owner}"))
        admin.dispose()
