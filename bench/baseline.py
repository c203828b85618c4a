"""The baseline: a bare WSGI callable that inserts the same contact row with one SQL statement.

No Flask, no ORM, no schema, no authentication, no audit: it parses the JSON body, runs one
`INSERT ... ON CONFLICT (client_id) DO NOTHING RETURNING id` through the DB-API driver the app uses
(sqlite3 or psycopg 3) on one connection per worker process, and answers 201 with the row as JSON.
The row is the one the real endpoint writes: same table, same columns, same value encodings
(SQLAlchemy stores a UUID as 32 hex digits and a UTC time as naive ISO text on SQLite).

SQLite connections get the app's pragmas (WAL, synchronous=NORMAL, foreign keys, busy timeout), so
that the two targets pay the same durability and constraint costs and only the framework differs.

Environment: BENCH_DATABASE_URL (a SQLAlchemy URL, as WARDTRACK_DATABASE_URL) and BENCH_LOGGED_BY
(the user id written to logged_by, the nurse the real endpoint authenticates).
Serve with: gunicorn -c deploy/gunicorn.conf.py bench.baseline:app
"""

import json
import os
import uuid
from datetime import UTC, datetime

COLUMNS = ("client_id", "patient_id", "professional_id", "ward_id", "kind", "occurred_at", "duration_minutes",
           "received_at", "logged_by")
_SQL = "INSERT INTO contacts ({}) VALUES ({}) ON CONFLICT (client_id) DO NOTHING RETURNING id"
_SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=10000")
_connection = None  # one per worker process, opened on the first request (after gunicorn forks)


def _connect():
    url = os.environ["BENCH_DATABASE_URL"]
    if url.startswith("sqlite:///"):
        import sqlite3

        connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        for pragma in _SQLITE_PRAGMAS:
            connection.execute(f"PRAGMA {pragma}")
        return connection, _SQL.format(", ".join(COLUMNS), ", ".join("?" * len(COLUMNS))), True
    import psycopg

    connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1), autocommit=False)
    return connection, _SQL.format(", ".join(COLUMNS), ", ".join(["%s"] * len(COLUMNS))), False


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _row(body: dict, on_sqlite: bool) -> tuple:
    client_id = uuid.UUID(body["client_id"])
    occurred_at, received_at = _utc(body["occurred_at"]), datetime.now(UTC)
    if on_sqlite:  # the encodings of SQLAlchemy's Uuid and DateTime types on SQLite
        client_id = client_id.hex
        occurred_at = occurred_at.replace(tzinfo=None).isoformat(" ", "microseconds")
        received_at = received_at.replace(tzinfo=None).isoformat(" ", "microseconds")
    return (client_id, body["patient_id"], body["professional_id"], body.get("ward_id"), body["kind"], occurred_at,
            body.get("duration_minutes"), received_at, int(os.environ["BENCH_LOGGED_BY"]))


def _insert(body: dict):
    global _connection
    if _connection is None:
        _connection = _connect()
    connection, sql, on_sqlite = _connection
    row = _row(body, on_sqlite)
    try:
        rows = connection.execute(sql, row).fetchall()  # drained, so that SQLite ends the statement
        if not on_sqlite:
            connection.commit()
    except Exception:
        _connection = None  # reconnect on the next request
        connection.close()
        raise
    return (rows[0][0] if rows else None), row


def _respond(start_response, status: str, payload: dict):
    data = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def app(environ, start_response):
    """POST anywhere inserts a contact (201, or 200 when the client_id exists); GET answers 200 for readiness."""
    if environ["REQUEST_METHOD"] != "POST":
        return _respond(start_response, "200 OK", {"status": "ok"})
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = json.loads(environ["wsgi.input"].read(length))
    new_id, row = _insert(body)
    contact = {**body, "id": new_id, "received_at": str(row[7]), "logged_by": row[8]}
    return _respond(start_response, "201 Created" if new_id is not None else "200 OK", contact)
