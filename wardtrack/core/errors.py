"""Every error as an RFC 9457 problem document (API) or a short page (HTML)."""

import logging
import re
import sqlite3
import uuid

from flask import current_app, g, jsonify, render_template, request
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError, IntegrityError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from wardtrack.core.db import MAX_ID

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class DomainError(Exception):
    """An error a client can act on; views let it propagate to the handlers below."""

    status = 400

    def __init__(self, detail: str, errors: dict | None = None, status: int | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        if status is not None:
            self.status = status


class Unauthorized(DomainError):
    status = 401


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Invalid(DomainError):
    """Validation failed for named fields (422)."""

    status = 422

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}", {field: [message]})


def problem(status: int, detail: str | None = None, errors: dict | None = None, headers=None):
    """A problem+json response."""
    body = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.content_type = PROBLEM_JSON
    if headers:
        response.headers.extend(headers)
    return response


def _rollback() -> None:
    # The app's Flask-SQLAlchemy, found through the app: core sits below wardtrack.extensions, which
    # imports it (the problem schema), so it must not import extensions back.
    current_app.extensions["sqlalchemy"].session.rollback()


def _wants_page() -> bool:
    return not request.path.startswith("/api/") and request.accept_mimetypes.accept_html


def _respond(status: int, detail: str | None, errors: dict | None = None, headers=None):
    if _wants_page():
        return render_template("error.html", status=status, detail=detail), status
    return problem(status, detail, errors, headers)


def _flatten_messages(messages) -> dict | None:
    """webargs nests messages by location ({"json": {...}}); clients want fields at the top."""
    if not isinstance(messages, dict):
        return None
    flat: dict = {}
    for location, inner in messages.items():
        if isinstance(inner, dict):
            flat.update(inner)
        else:
            flat[location] = inner if isinstance(inner, list) else [inner]
    return flat


def _http_error(error: HTTPException):
    data = getattr(error, "data", None) or {}
    errors = _flatten_messages(data.get("messages"))
    detail = error.description if error.code != 422 else "The request did not validate."
    if error.code == 400 and errors and "json" in errors:
        reasons = [str(reason) for reason in errors["json"] if reason != "Invalid JSON body."]
        detail = reasons[0] if reasons else "The body is not valid JSON."
    headers = data.get("headers")
    if error.code == 405:
        headers = {"Allow": ", ".join(error.valid_methods or [])}
    return _respond(error.code or 500, detail, errors, headers)


def _domain_error(error: DomainError):
    _rollback()
    return _respond(error.status, error.detail, error.errors)


def _validation_error(error: ValidationError):
    _rollback()
    return _respond(
        422, "The request did not validate.", _flatten_messages({"json": error.messages})
    )


def _integrity_error(error: IntegrityError):
    _rollback()
    log.info("integrity conflict request_id=%s constraint=%s", g.get("request_id"),
             type(error.orig).__name__)
    return _respond(409, "The request conflicts with stored data.")


_RETRYABLE_SQLSTATES = {"40P01", "40001"}


def _retryable(orig) -> bool:
    """Nothing was written, and the same request sent again will normally go through: PostgreSQL
    ended the transaction for a deadlock or a serialization failure, or another writer held SQLite's
    write lock for longer than the busy timeout."""
    if getattr(orig, "sqlstate", None) in _RETRYABLE_SQLSTATES:
        return True
    code = (
        getattr(orig, "sqlite_errorcode", None)
        if isinstance(orig, sqlite3.OperationalError)
        else None
    )
    # an extended code keeps it in the low byte
    return code is not None and code & 0xFF == sqlite3.SQLITE_BUSY


def _database_error(error: DBAPIError):
    retryable = _retryable(error.orig)
    if not (error.connection_invalidated or retryable):
        return _unexpected(error)
    _rollback()
    log.warning("database %s request_id=%s", "conflict" if retryable else "connection lost",
                g.get("request_id"))
    detail = (
        (
            "The database ended this request to resolve a conflict with another one; nothing was "
            "stored. Send it again."
        )
        if retryable
        else "The connection to the database was lost; send the request again."
    )
    return _respond(503, detail, headers={"Retry-After": "1"})


def _unexpected(error: Exception):
    _rollback()
    log.exception("unhandled error request_id=%s", g.get("request_id"))
    return _respond(500, f"Internal error; request id {g.get('request_id')}.")


def _assign_request_id():
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex


def _refuse_impossible_ids():
    # An id in the URL beyond what the id columns hold names nothing; sent on to the database it
    # would be an out-of-range error (PostgreSQL above 2**31, SQLite above 2**63), i.e. a 500.
    for value in (request.view_args or {}).values():
        if isinstance(value, int) and not isinstance(value, bool) and value > MAX_ID:
            raise NotFound("No such resource.")


def _echo_request_id(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    return response


def init_app(app) -> None:
    """Register the handlers; call after the API so that these win over its defaults."""
    app.before_request(_assign_request_id)
    app.before_request(_refuse_impossible_ids)
    app.after_request(_echo_request_id)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(ValidationError, _validation_error)
    app.register_error_handler(IntegrityError, _integrity_error)
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(Exception, _unexpected)
