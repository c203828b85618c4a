"""Logs: JSON lines in production, plain text in development (`LOG_FORMAT`, `json` or `text`).

In JSON each record is one object: time, level, logger, message, and the request's id, the caller's user id,
route (the endpoint's name), status and duration where there is a request; every request adds one line of
its own (logger `wardtrack.request`). The modules log ids and codes only, never names or clinical text, and a
route is an endpoint's name, never a path with an id in it.
"""

import json
import logging
import sys
from datetime import UTC, datetime

from flask import g, has_request_context, request

REQUESTS = logging.getLogger("wardtrack.request")
_FIELDS = ("route", "status", "duration_ms")


class JsonLines(logging.Formatter):
    """One JSON object per record."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        if has_request_context():
            line["request_id"] = g.get("request_id")
            caller = g.get("caller")
            line["user_id"] = caller.id if caller is not None else None
        for name in _FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            line["error"] = record.exc_info[0].__name__  # the class only: a message may quote data
        return json.dumps(line, separators=(",", ":"))


class _Handler(logging.StreamHandler):
    """The handler this module installs (so that a second app in one process installs none)."""


def configure(app) -> None:
    """In JSON mode, every `wardtrack.*` record goes to stderr as a JSON line."""
    if app.config["LOG_FORMAT"] != "json":
        return
    logger = logging.getLogger("wardtrack")
    if not any(isinstance(handler, _Handler) for handler in logger.handlers):
        handler = _Handler(sys.stderr)
        handler.setFormatter(JsonLines())
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def request_line(app, endpoint: str, status: int, seconds: float) -> None:
    """The request's own line, in JSON mode only (in development the server logs requests itself)."""
    if app.config["LOG_FORMAT"] == "json":
        REQUESTS.info("%s %s", request.method, endpoint, extra={
            "route": endpoint, "status": status, "duration_ms": round(seconds * 1000, 1)})
