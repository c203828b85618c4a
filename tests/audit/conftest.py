"""Audit fixtures: reading the events, and changing them behind the application's back."""

import pytest
import sqlalchemy as sa

from wardtrack.extensions import db


@pytest.fixture
def events():
    """events() -> every audit event as a mapping, oldest first."""

    def _events():
        return db.session.execute(sa.text("SELECT * FROM audit_events ORDER BY id")).mappings().all()

    return _events


@pytest.fixture
def tamper():
    """tamper(sql) runs sql on audit_events with the append-only triggers out of the way, as an intruder
    with database access would. On PostgreSQL the trigger is switched off and on again inside the same
    transaction (the database outlives the test); on SQLite each test has its own copy of the file."""

    def _tamper(sql, **params):
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
            db.session.execute(sa.text(sql), params)
            db.session.execute(sa.text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))
        else:
            db.session.execute(sa.text("DROP TRIGGER IF EXISTS audit_events_no_update"))
            db.session.execute(sa.text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
            db.session.execute(sa.text(sql), params)
        db.session.commit()

    return _tamper
