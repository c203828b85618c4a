"""Shared marshmallow fields and base schemas."""

import re
from datetime import UTC, datetime

from marshmallow import Schema, ValidationError, fields, validate

from wardtrack.core.db import MAX_ID
from wardtrack.core.errors import PROBLEM_JSON
from wardtrack.core.time import iso_z

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


class UtcDateTime(fields.AwareDateTime):
    """ISO 8601 with an offset in, UTC `Z` out; naive timestamps are refused."""

    default_error_messages = {
        "invalid_awareness": "Give the time with an offset, e.g. 2026-11-21T10:15:00+01:00."
    }

    def __init__(self, **kwargs):
        super().__init__(format="iso", default_timezone=None, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return iso_z(value)

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            result = super()._deserialize(value, attr, data, **kwargs).astimezone(UTC)
        # e.g. 0001-01-01T00:00:00+14:00 is before the first day UTC can express
        except OverflowError:
            raise ValidationError("Not a time the calendar can hold.") from None
        if result < EARLIEST:
            raise ValidationError("Must not be before the year 2000.")
        return result


class StrictSchema(Schema):
    """Refuses unknown fields (marshmallow's RAISE, stated so that it stays)."""

    class Meta:
        unknown = "raise"


def id_field(strict: bool = True, **kwargs) -> fields.Integer:
    """A database id: a positive integer that fits the id columns; strict (no "1" for 1) except in
    query strings."""
    return fields.Integer(strict=strict, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


# Control characters have no place in a name or search; PostgreSQL refuses NUL outright. Free text
# may keep its line breaks and tabs.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PHONE = validate.Regexp(
    r"^\+?[0-9][0-9 ()-]{2,29}$", error="A phone number: digits, spaces, dashes, optional +."
)


# The one rule for every string a client sends (core/body.py applies it to each JSON body and query
# string, keys included, before any schema sees them): PostgreSQL cannot store NUL, and a lone
# surrogate (JSON's \ud800) cannot be written as UTF-8 at all. Fields add their own rules on top
# (Text below).
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def text_problem(value) -> str | None:
    """Why this string cannot be taken as text, or None (for anything but a string: None)."""
    if not isinstance(value, str):
        return None
    match = _UNSTORABLE.search(value)
    if match is None:
        return None
    if match.group() == "\x00":
        return "Must not contain a NUL character."
    return "Must not contain a lone UTF-16 surrogate (not a character)."


def text_errors(data) -> dict | None:
    """Messages, nested like marshmallow's ({"contacts": {0: {"note": [...]}}}), for every string of
    a parsed JSON document (object keys too) that breaks the rule above; None when there is none."""
    if not isinstance(data, dict | list):
        problem = text_problem(data)
        return {"_schema": [problem]} if problem else None
    errors: dict = {}
    stack = [(data, errors)]
    while stack:  # iteratively: the document may be as deep as core/body.py allows
        value, into = stack.pop()
        for name, child in value.items() if isinstance(value, dict) else enumerate(value):
            problem = text_problem(name) or text_problem(child)
            if problem:
                into[repr(name)[1:-1] if text_problem(name) else name] = [problem]
            elif isinstance(child, dict | list):
                stack.append((child, into.setdefault(name, {})))
    return _prune(errors) or None


def _prune(errors: dict) -> dict:
    """Drop the empty branches left for containers without a problem."""
    pruned = {}
    for key, value in errors.items():
        if isinstance(value, dict):
            value = _prune(value)
            if not value:
                continue
        pruned[key] = value
    return pruned


def storable_text(value: str) -> None:
    """Validator: the rule above, for schemas loaded from elsewhere than a request (the CLI, a
    job)."""
    problem = text_problem(value)
    if problem:
        raise ValidationError(problem)


def no_control_characters(value: str) -> None:
    """Validator: refuse control characters (tabs and new lines included)."""
    if _CONTROL.search(value):
        raise ValidationError("Must not contain control characters.")


def _no_control_but_lines(value: str) -> None:
    if _CONTROL_BUT_LINES.search(value):
        raise ValidationError(
            "Must not contain control characters other than line breaks and tabs."
        )


_ALLOWED = {
    False: r"[^\u0000-\u001f\u007f]",
    True: r"[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]",
}
_TEXT_PATTERNS = {multiline: rf"^{allowed}*[^\s\u0000-\u001f\u007f]{allowed}*$"
                  for multiline, allowed in _ALLOWED.items()}


class Text(fields.String):
    """A string with surrounding white space removed; empty after trimming is refused.

    One line unless `multiline`, which lets free text keep line breaks and tabs.
    """

    def __init__(self, max_length: int = 200, multiline: bool = False, **kwargs):
        control = _no_control_but_lines if multiline else no_control_characters
        # The OpenAPI document says what is refused: at least one character that is not white space,
        # and no control characters (but line breaks and tabs in free text).
        metadata = {"pattern": _TEXT_PATTERNS[multiline], **kwargs.pop("metadata", {})}
        super().__init__(validate=[validate.Length(min=1, max=max_length), storable_text, control],
                         metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class ProblemSchema(Schema):
    """An RFC 9457 problem document, as every error response is."""

    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String(metadata={"example": "Unprocessable Entity"})
    status = fields.Integer(metadata={"example": 422})
    detail = fields.String()
    errors = fields.Dict(
        keys=fields.String(),
        metadata={
            "description": "Messages by field name",
            "example": {"occurred_at": ["Must not be in the future."]},
        },
    )


def problem_doc(description: str) -> dict:
    """Keyword arguments for `blp.alt_response` documenting an error as a problem document."""
    return {"schema": ProblemSchema, "content_type": PROBLEM_JSON, "description": description}
