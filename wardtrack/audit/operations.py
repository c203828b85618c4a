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


def canonical(event: AuditEvent) -> bytes:
    """The chained fields of an event as canonical JSON."""
    values = {name: getattr(event, name) for name in AuditEvent.CHAINED}
    values["at"] = iso_z(values["at"])
    return json.dumps(values, sort_keys=True, separators=(",", ":")).encode()


def chain_hash(prev_hash: str, event: AuditEvent) -> str:
    """SHA-256(previous hash ‖ canonical row)."""
    return hashlib.sha256(prev_hash.encode() + canonical(event)).hexdigest()


def _current_actor(actor):
    if actor is None and has_request_context():
        actor = g.get("current_user")
    if actor is None:
        return None, "system"
    return actor.id, actor.role


def record(action: str, *, patient_id=None, object_type=None, object_id=None, actor=None) -> AuditEvent:
    """Append one event to the chain inside the caller's transaction.

    The chain is serialised: PostgreSQL through a transaction-scoped advisory lock, SQLite because
    every transaction there takes the write lock when it begins.
    """
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(_CHAIN_LOCK)))
    prev = session.execute(sa.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).scalar()
    actor_id, role = _current_actor(actor)
    event = AuditEvent(
        at=utcnow(), actor_user_id=actor_id, actor_role=role, action=action, patient_id=patient_id,
        object_type=object_type, object_id=None if object_id is None else str(object_id),
        request_id=g.get("request_id") if has_request_context() else None, prev_hash=prev or GENESIS,
    )
    event.hash = chain_hash(event.prev_hash, event)
    session.add(event)
    session.flush()
    return event
