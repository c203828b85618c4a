"""The framework floor: Flask and Flask-SQLAlchemy writing the same contact row, and nothing else.

What any endpoint built on this stack pays before it does its own work: Flask's request handling, a JSON
body, one Core INSERT ... ON CONFLICT (client_id) DO NOTHING RETURNING id (built once, run with parameters)
through the session, one commit and a JSON response. No schema, no authentication or access check, no audit
event, no flag queue, no reminder closing. It uses the app's own table, column types and engine settings
(importing wardtrack's models brings SQLite's pragmas, writer queue and IMMEDIATE transactions with it), so
that only the work the real endpoint adds on top differs.

Run by `python -m bench --floor` beside the baseline and the real app, to show how much of the gap to the
baseline is the framework's and how much the endpoint's own. Not part of the app.
Environment: WARDTRACK_DATABASE_URL and BENCH_LOGGED_BY, as for the baseline.
"""

import functools
import os
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy

from bench.baseline import COLUMNS
from wardtrack import models  # noqa: F401  (every table known to the metadata, as in the app)
from wardtrack.contacts.models import Contact
from wardtrack.core.db import Base, conflict_insert

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["WARDTRACK_DATABASE_URL"]
db = SQLAlchemy(model_class=Base)
db.init_app(app)
_LOGGED_BY = int(os.environ["BENCH_LOGGED_BY"])
_TABLE = Contact.__table__
_VALUES = {name: sa.bindparam(name, type_=_TABLE.c[name].type) for name in COLUMNS}


@functools.cache
def _insert(dialect: str):
    """Built once with bind parameters, as the app builds its hot statements."""
    return (conflict_insert(dialect, _TABLE).values(_VALUES).on_conflict_do_nothing(index_elements=["client_id"])
            .returning(_TABLE.c.id))


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.post("/api/v1/contacts")
def create_contact():
    body = request.get_json()
    values = {**body, "client_id": uuid.UUID(body["client_id"]), "received_at": datetime.now(UTC),
              "occurred_at": datetime.fromisoformat(body["occurred_at"]).astimezone(UTC), "logged_by": _LOGGED_BY}
    connection = db.session.connection()
    new_id = connection.execute(_insert(connection.dialect.name), {name: values.get(name) for name in COLUMNS}).scalar()
    db.session.commit()
    return {**body, "id": new_id, "received_at": values["received_at"].isoformat(), "logged_by": _LOGGED_BY}, (
        201 if new_id is not None else 200)
