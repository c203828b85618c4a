"""Declarative base, the UTC datetime column type, enum columns and SQLite settings."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry

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
    """An INSERT that can say ON CONFLICT … DO NOTHING / DO UPDATE: the database's own conflict handling,
    spelled alike by PostgreSQL and SQLite."""
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
    registry = registry(metadata=sa.MetaData(naming_convention=NAMING), type_annotation_map={datetime: UtcDateTime()})


def enum_column(values, name: str) -> sa.Enum:
    """A portable enum: a VARCHAR with a CHECK constraint listing the allowed values."""
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=40)


@sa.event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, _record):
    if type(dbapi_connection).__module__.split(".")[0] != "sqlite3":
        return
    # Take transactions into our own hands so that every one starts IMMEDIATE (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=10000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


@sa.event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    # A deferred transaction that reads and then writes fails with SQLITE_BUSY when another
    # process wrote in between; taking the write lock up front makes writers queue instead.
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
