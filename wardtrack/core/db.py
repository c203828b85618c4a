"""Declarative base, the UTC datetime column type, enum columns, and checking pooled server
connections that sat idle. SQLite's settings and writer queue are in core/sqlite.py."""

import time
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry

# Every engine made for these tables gets SQLite's settings, IMMEDIATE transactions and writer
# queue.
from wardtrack.core import sqlite as _sqlite_settings  # noqa: F401

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: The largest id the INTEGER id columns hold on every backend.
MAX_ID = 2**31 - 1
_CONFLICT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def conflict_insert(dialect_name: str, table):
    """An INSERT that can say ON CONFLICT … DO NOTHING / DO UPDATE: the database's own conflict
    handling, spelled alike by PostgreSQL and SQLite."""
    return _CONFLICT_INSERTS[dialect_name](table)


class UtcDateTime(sa.types.TypeDecorator):
    """Timezone-aware UTC datetimes on every backend; naive values are refused."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(metadata=sa.MetaData(naming_convention=NAMING),
                        type_annotation_map={datetime: UtcDateTime()})


def enum_column(values, name: str) -> sa.Enum:
    """A portable enum: a VARCHAR with a CHECK constraint listing the allowed values."""
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=40)


def ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """Ping a pooled connection before use only when it has been idle for `idle_seconds` or more.

    Instead of pool_pre_ping, which pays a round trip on every checkout, also for a connection the
    worker used a few milliseconds ago. A connection that failed the ping is replaced before the
    request sees it. One that breaks while in steady use (the server restarted a moment ago) fails
    its request's first statement; SQLAlchemy then drops every pooled connection of that server, and
    the request gets a 503 that the client can resend (core/errors.py).
    """

    @sa.event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection, record):
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise sa.exc.DisconnectionError("the pooled connection failed its ping") from error
        if not alive:
            raise sa.exc.DisconnectionError("the pooled connection failed its ping")
