"""Recording audit events. record() flushes and never commits: the caller's commit carries it."""

import hashlib
import json

import sqlalchemy as sa
from flask import g, has_request_context

from wardtrack.audit.models import AuditEvent
from wardtrack.core.time import iso_z, utcnow
from wardtrack.extensions import db

GENESIS = "0" * 64
# An arbitrary constant naming the audit chain's advisory lock on PostgreSQL.
_CHAIN_LOCK = 7_274_201


def canonical(values) -> bytes:
    """The chained fields of an event (a row or a mapping) as canonical JSON."""
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
    chained = {name: get(name) for name in AuditEvent.CHAINED}
    chained["at"] = iso_z(chained["at"])
    return json.dumps(chained, sort_keys=True, separators=(",", ":")).encode()


def chain_hash(prev_hash: str, values) -> str:
    """SHA-256(previous hash ‖ canonical row)."""
    return hashlib.sha256(prev_hash.encode() + canonical(values)).hexdigest()


def _current_actor(actor):
    if actor is None and has_request_context():
        actor = g.get("caller")
    if actor is None:
        return None, "system"
    return actor.id, actor.role


# Built once: audit events are written on nearly every request.
_LOCK = sa.select(sa.func.pg_advisory_xact_lock(_CHAIN_LOCK))
_LAST_HASH = sa.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
_INSERT = sa.insert(AuditEvent.__table__)


def lock_chain(connection=None) -> None:
    """Take the audit chain's lock for the rest of the transaction (PostgreSQL; a no-op elsewhere).

    record() takes it itself. A transaction that will record an event after locking rows other writers
    touch after recording theirs (the flag queue) takes it first, so that both lock in one order.
    """
    connection = connection or db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK)


def record(action: str, *, patient_id=None, object_type=None, object_id=None, actor=None) -> None:
    """Append one event to the chain inside the caller's transaction.

    The chain is serialised: PostgreSQL through a transaction-scoped advisory lock, SQLite because
    every transaction there takes the write lock when it begins.
    """
    connection = db.session.connection()  # Core statements: no ORM work on a path nearly every request takes
    lock_chain(connection)
    actor_id, role = _current_actor(actor)
    values = {
        "at": utcnow(), "actor_user_id": actor_id, "actor_role": role, "action": action, "patient_id": patient_id,
        "object_type": object_type, "object_id": None if object_id is None else str(object_id),
        "request_id": g.get("request_id") if has_request_context() else None,
        "prev_hash": connection.execute(_LAST_HASH).scalar() or GENESIS,
    }
    values["hash"] = chain_hash(values["prev_hash"], values)
    connection.execute(_INSERT, values)
