"""Recording audit events. record() flushes and never commits: the caller's commit carries it."""

import functools
import hashlib
import inspect
import json
import sqlite3

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles

from wardtrack.audit.models import AuditChainHead, AuditEvent
from wardtrack.core.time import iso_z, utcnow
from wardtrack.extensions import db

GENESIS = "0" * 64
_SQLITE_CHAIN_HASH = "wardtrack_chain_hash"


def canonical(values) -> bytes:
    """The chained fields of an event (a row or a mapping) as canonical JSON."""
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
    chained = {name: get(name) for name in AuditEvent.CHAINED}
    chained["at"] = iso_z(chained["at"])
    return json.dumps(chained, sort_keys=True, separators=(",", ":")).encode()


def _digest(prev_hash: str, canonical_row: bytes) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical_row).hexdigest()


def chain_hash(prev_hash: str, values) -> str:
    """SHA-256(previous hash ‖ canonical row)."""
    return _digest(prev_hash, canonical(values))


class _ChainHash(sa.sql.functions.FunctionElement):
    """chain_hash() in SQL, so that an event is linked to the head in the statement that appends
    it."""

    type = sa.String()
    inherit_cache = True


@compiles(_ChainHash, "postgresql")
def _chain_hash_postgresql(element, compiler, **kw):
    prev_hash, canonical_row = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"encode(sha256(convert_to({prev_hash}, 'UTF8') || {canonical_row}), 'hex')"


@compiles(_ChainHash, "sqlite")
def _chain_hash_sqlite(element, compiler, **kw):
    return f"{_SQLITE_CHAIN_HASH}({compiler.process(element.clauses, **kw)})"


@sa.event.listens_for(Engine, "connect")
def _sqlite_functions(dbapi_connection, _record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function(_SQLITE_CHAIN_HASH, 2, _digest, deterministic=True)


def _current_actor(actor):
    if actor is None and has_request_context():
        actor = g.get("caller")
    if actor is None:
        return None, "system"
    return actor.id, actor.role


# Built once: audit events are written on nearly every request.
_head = AuditChainHead.__table__
#: PostgreSQL: the head's hash, locked FOR UPDATE by a function that runs as the tables' owner, so
#: that the app's role needs no UPDATE privilege on audit_chain_head (the initial migration;
#: docs/audit.md).
_locked_head = sa.func.audit_chain_lock().table_valued("hash").render_derived(name="head")
_LOCK = sa.select(_locked_head.c.hash)


def _append_statement(dialect: str):
    """INSERT INTO audit_events … SELECT <values>, head.hash, chain_hash(head.hash, <canonical row>)
    FROM <the head, locked>: read, link and append in one statement.

    On PostgreSQL the head comes from audit_chain_lock(), which reads the one row FOR UPDATE: a
    concurrent writer waits and then reads the head it left. SQLite has no FOR UPDATE and needs
    none, as every writing transaction there holds the database's write lock.
    """
    events = AuditEvent.__table__
    head = _locked_head if dialect == "postgresql" else _head
    values = [sa.bindparam(name, type_=events.c[name].type) for name in AuditEvent.CHAINED]
    linked = _ChainHash(head.c.hash, sa.bindparam("canonical", type_=sa.LargeBinary()))
    source = sa.select(*values, head.c.hash, linked)
    if dialect != "postgresql":
        source = source.where(_head.c.id == 1)
    return (sa.insert(events).from_select([*AuditEvent.CHAINED, "prev_hash", "hash"], source)
            .execution_options(preserve_rowcount=True))


_APPEND = {"postgresql": _append_statement("postgresql"), "sqlite": _append_statement("sqlite")}


_HELD = "wardtrack.audit.chain_lock"


def _current_transaction():
    session = db.session()
    return session.get_nested_transaction() or session.get_transaction()


def _mark_held() -> None:
    # The innermost transaction: a savepoint rolled back releases on PostgreSQL what it locked.
    db.session.info[_HELD] = _current_transaction()


def chain_locked() -> bool:
    """Whether the current transaction (or one enclosing it) holds the audit chain's lock.

    Tracked the same way on every database, so that the rule is checked on SQLite too, where the
    lock is the database's own write lock. A transaction that ended no longer holds it.
    """
    holder, transaction = db.session.info.get(_HELD), _current_transaction()
    while transaction is not None:
        if transaction is holder:
            return transaction.is_active
        transaction = transaction.parent
    return False


def assert_chain_locked(operation: str) -> None:
    """Raise unless the transaction holds the chain's lock: `operation` touches rows that writers
    lock after recording their event, so taking the chain's lock later could deadlock on
    PostgreSQL."""
    if not chain_locked():
        raise RuntimeError(
            f"{operation} needs the audit chain's lock first: record() an event before it, "
            "or run it inside an @audited_write operation (see docs/architecture.md)"
        )


def _take_lock() -> None:
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK)


def lock_chain(*rows) -> None:
    """Take the audit chain's lock for the rest of the transaction (PostgreSQL; only tracked
    elsewhere), then read `rows` (objects loaded earlier in the transaction) again, locked for
    update. Taken once: a transaction that holds it already sends no statement for the lock.

    record() takes the lock itself. Writers record their event and then touch rows of their patient
    (the flag queue, the reminders a contact satisfies), so a transaction that will record an event
    after changing such rows takes the lock first: all then lock in one order, and PostgreSQL finds
    no deadlock. The rows it passes are changed as they are once the lock is held, not as they were
    read before.
    """
    if not chain_locked():
        _take_lock()
        _mark_held()
    for row in rows:
        db.session.refresh(row, with_for_update=True)


def audited_write(*locked: str):
    """Decorate an operation that changes rows of a patient before it records its event: the chain's
    lock is taken first (once per transaction), then the arguments named in `locked` are read again
    FOR UPDATE.

    `@audited_write` or `@audited_write("flag")`.
    """
    if len(locked) == 1 and callable(locked[0]):
        return audited_write()(locked[0])

    def decorate(operation):
        signature = inspect.signature(operation)

        @functools.wraps(operation)
        def locked_first(*args, **kwargs):
            bound = signature.bind(*args, **kwargs).arguments
            lock_chain(*(bound[name] for name in locked))
            return operation(*args, **kwargs)

        return locked_first

    return decorate


def record(action: str, *, patient_id=None, object_type=None, object_id=None, actor=None) -> None:
    """Append one event to the chain inside the caller's transaction: one statement."""
    actor_id, role = _current_actor(actor)
    values = {
        "at": utcnow(),
        "actor_user_id": actor_id,
        "actor_role": role,
        "action": action,
        "patient_id": patient_id,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "request_id": g.get("request_id") if has_request_context() else None,
    }
    # Core, not the ORM: no per-object work on a path nearly every request takes.
    connection = db.session.connection()
    appended = connection.execute(
        _APPEND[connection.dialect.name], {**values, "canonical": canonical(values)}
    )
    if appended.rowcount != 1:
        raise RuntimeError("audit_chain_head has no row; run `flask db upgrade`")
    _mark_held()  # the statement locked the head
