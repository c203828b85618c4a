"""Cursor pagination: `?limit=&cursor=` in, `{"items", "next_cursor"}` out."""

import base64
import json

from marshmallow import fields, validate

from wardtrack.core.errors import Invalid
from wardtrack.core.schemas import StrictSchema


class PageArgs(StrictSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))


def encode_cursor(values: list) -> str:
    """An opaque cursor for the keyset after which the next page starts."""
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str, size: int) -> list:
    """The keyset in a cursor made by encode_cursor; a tampered cursor is a 422 on `cursor`."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, UnicodeDecodeError):
        raise Invalid("cursor", "Not a cursor this service gave out.") from None
    if not isinstance(values, list) or len(values) != size:
        raise Invalid("cursor", "Not a cursor this service gave out.")
    return values


def page(rows: list, limit: int, keyset) -> dict:
    """Cut one extra row off a query fetched with limit + 1 and make the next cursor from the last kept."""
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": encode_cursor(keyset(rows[-1])) if more and rows else None}


def page_schema(item_schema, name: str):
    """A response schema {"items": [item], "next_cursor"} for the OpenAPI document."""
    from marshmallow import Schema

    return Schema.from_dict(
        {"items": fields.List(fields.Nested(item_schema)), "next_cursor": fields.String(allow_none=True)},
        name=name,
    )
