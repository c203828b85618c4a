"""Audit fixtures: reading the events, adding many, and changing them behind the application's back."""

import pytest
import sqlalchemy as sa

from wardtrack.audit.models import AuditEvent
from wardtrack.audit.operations import GENESIS, chain_hash, record
from wardtrack.extensions import db


@pytest.fixture
def events():
    """events() -> every audit event as a mapping, oldest first."""

    def _events():
        return db.session.execute(sa.text("SELECT * FROM audit_events ORDER BY id")).mappings().all()

    return _events


@pytest.fixture
def add_events():
    """add_events(n): n events recorded (and committed) the way the app records them."""

    def _add(count):
        for number in range(count):
            record("test.event", object_type="thing", object_id=number)
        db.session.commit()

    return _add


@pytest.fixture
def tamper():
    """tamper(sql) runs sql on the audit tables with their triggers out of the way, as an intruder with the
    database's superuser would: on PostgreSQL with session_replication_role = replica for the transaction (no
    trigger fires, TRUNCATE's neither); on SQLite (each test has its own copy of the file) the append-only
    triggers are dropped."""

    def _tamper(sql, **params):
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("SET LOCAL session_replication_role = replica"))
        else:
            db.session.execute(sa.text("DROP TRIGGER IF EXISTS audit_events_no_update"))
            db.session.execute(sa.text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
        for statement in sql.split(";"):
            if statement.strip():
                db.session.execute(sa.text(statement), params)
        db.session.commit()

    return _tamper


@pytest.fixture
def move_head(tamper):
    """move_head(hash): point the chain's head row at `hash`, as an intruder covering their tracks."""

    def _move(hash_):
        tamper("UPDATE audit_chain_head SET hash = :hash", hash=hash_)

    return _move


@pytest.fixture
def recompute(tamper, move_head):
    """recompute(): relink and rehash every event after an edit, oldest first, and move the head: a rewrite
    that the chain's own links cannot show."""

    def _recompute():
        prev_hash = GENESIS
        rows = [(event.id, event.prev_hash, event.hash, {name: getattr(event, name) for name in AuditEvent.CHAINED})
                for event in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]
        for event_id, old_prev, old_hash, values in rows:
            new_hash = chain_hash(prev_hash, values)
            if (old_prev, old_hash) != (prev_hash, new_hash):
                tamper("UPDATE audit_events SET prev_hash = :prev, hash = :hash WHERE id = :id",
                       prev=prev_hash, hash=new_hash, id=event_id)
            prev_hash = new_hash
        move_head(prev_hash)

    return _recompute
