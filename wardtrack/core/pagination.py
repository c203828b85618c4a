"""Cursor pagination: `?limit=&cursor=` in, `{"items", "next_cursor"}` out."""

import base64
import hashlib
import hmac
import json

from flask import current_app
from marshmallow import fields, validate

from wardtrack.core.errors import Invalid
from wardtrack.core.schemas import StrictSchema


class PageArgs(StrictSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    # A keyset may hold a 200-character name; its cursor is longer than the name itself.
    cursor = fields.String(
        load_default=None,
        validate=validate.Length(max=2000),
        metadata={
            "pattern": r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$",
            "description": (
                "Opaque and signed: the `next_cursor` of the previous page, as given; any other "
                "value is refused (422)."
            ),
        },
    )


_NOT_OURS = "Not a cursor this service gave out."
_SCALARS = (str, int, float, type(None))


def _signature(payload: str) -> str:
    # Signed so that a client cannot hand the query a keyset of its own making (wrong types, wrong
    # length), which the database would answer with an error instead of a page.
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(secret, b"wardtrack-cursor|" + payload.encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def encode_cursor(values: list) -> str:
    """An opaque, signed cursor for the keyset after which the next page starts."""
    text = json.dumps(values, separators=(",", ":"), ensure_ascii=False)
    payload = base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
    return f"{payload}.{_signature(payload)}"


def decode_cursor(cursor: str, size: int, types: tuple[type, ...] | None = None) -> list:
    """The keyset in a cursor made by encode_cursor; a tampered cursor is a 422 on `cursor`.

    `types`, one per value, are checked too (a bool is not an int), so that even a cursor signed by
    this service for another list cannot reach the database with values of the wrong type.
    """
    payload, _, signature = cursor.partition(".")
    if not hmac.compare_digest(signature.encode(), _signature(payload).encode()):
        raise Invalid("cursor", _NOT_OURS)
    try:
        values = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, UnicodeDecodeError):
        raise Invalid("cursor", _NOT_OURS) from None
    if (
        not isinstance(values, list)
        or len(values) != size
        or not all(isinstance(v, _SCALARS) for v in values)
    ):
        raise Invalid("cursor", _NOT_OURS)
    if types is not None and not all(
        _is(value, kind) for value, kind in zip(values, types, strict=True)
    ):
        raise Invalid("cursor", _NOT_OURS)
    return values


def _is(value, kind: type) -> bool:
    return isinstance(value, kind) and not (isinstance(value, bool) and kind is not bool)


def page(rows: list, limit: int, keyset) -> dict:
    """Cut one extra row off a query fetched with limit + 1 and make the next cursor from the last
    kept."""
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": rows,
        "next_cursor": encode_cursor(keyset(rows[-1])) if more and rows else None,
    }


def page_schema(item_schema, name: str):
    """A response schema {"items": [item], "next_cursor"} for the OpenAPI document."""
    from marshmallow import Schema

    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "next_cursor": fields.String(allow_none=True),
        },
        name=name,
    )
