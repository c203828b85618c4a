"""Request bodies and query strings, read in one place, so that nothing a client sends can become a
500.

- JSON is parsed here only (Flask's `request.get_json()` and every `blp.arguments` of the API
  alike): nesting deeper than `MAX_DEPTH`, a number of more than `MAX_DIGITS` digits,
  `NaN`/`Infinity` and malformed UTF-8 are a 400 problem document.
- Every string of a JSON body or a query string (keys too) passes the one text rule of
  core/schemas.py (no NUL, no lone surrogate): a 422 naming the field.
- A body sent without a length (chunked) that reaches `MAX_CONTENT_LENGTH` is a 413, as one that
  says its length is; werkzeug would otherwise cut it at the limit and the JSON would look malformed
  (400).
"""

import json

from flask import Flask, Request
from flask.json.provider import DefaultJSONProvider
from flask_smorest import Blueprint
from marshmallow import ValidationError, missing
from webargs.core import is_json
from werkzeug.exceptions import RequestEntityTooLarge

from wardtrack.core.schemas import text_errors, text_problem

MAX_DEPTH = 32
MAX_DIGITS = 1000  # far beyond any id or count; Python refuses more than 4,300 in int() anyway


class BadJson(ValueError):
    """The body is not JSON this API reads; the message says why (it is shown to the client)."""


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise BadJson(f"A number has more than {MAX_DIGITS} digits.")
    return int(text)


def _constant(name: str):
    raise BadJson(f"{name} is not a JSON number.")


def _check_depth(value) -> None:
    """Iteratively, so that the check itself cannot run out of stack."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        )
        if children is None:
            continue
        if depth > MAX_DEPTH:
            raise BadJson(f"The body is nested deeper than {MAX_DEPTH} levels.")
        stack.extend((child, depth + 1) for child in children)


def loads(data: str | bytes):
    """Parse a JSON document, refusing what the API never needs and Python cannot safely hold."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
        value = json.loads(text, parse_int=_integer, parse_constant=_constant)
    except BadJson:
        raise
    except RecursionError:
        raise BadJson(f"The body is nested deeper than {MAX_DEPTH} levels.") from None
    except UnicodeDecodeError:
        raise BadJson("The body is not UTF-8.") from None
    except ValueError as error:  # json.JSONDecodeError and the digit limit of int()
        message = error.msg if isinstance(error, json.JSONDecodeError) else "A number is too long."
        raise BadJson(f"Not valid JSON: {message}.") from None
    _check_depth(value)
    return value


class JsonProvider(DefaultJSONProvider):
    """Flask's JSON, with `loads` as above (what `request.get_json()` uses)."""

    def loads(self, s, **kwargs):
        return loads(s)


class BoundedRequest(Request):
    """A request whose streamed (chunked) body is refused with 413 once it reaches the size
    limit."""

    def get_data(self, cache=True, as_text=False, parse_form_data=False):
        data = super().get_data(cache=cache, as_text=as_text, parse_form_data=parse_form_data)
        limit = self.max_content_length
        # werkzeug stops reading a stream at the limit and returns what it has; whether more was
        # sent cannot be seen without reading on, so a streamed body of exactly the limit is refused
        # too.
        if limit is not None and self.content_length is None and len(data) >= limit:
            raise RequestEntityTooLarge()
        return data


def _reject_bad_text(data) -> None:
    errors = text_errors(data)
    if errors:
        raise ValidationError(errors)


def _json_loader(request: Request, schema):
    """webargs' "json" location: the body through `loads` and the text rule."""
    if not is_json(request.mimetype):
        return missing
    data = request.get_data(cache=True)
    if not data:
        return missing
    try:
        value = loads(data)
    except BadJson as error:
        from flask_smorest import abort

        abort(400, messages={"json": [str(error)]})
    _reject_bad_text(value)
    return value


def _query_loader(parser):
    def load(request: Request, schema):
        errors = {}
        for name, value in request.args.items(multi=True):
            problem = text_problem(name) or text_problem(value)
            if problem:
                errors[name] = [problem]
        if errors:
            raise ValidationError(errors)
        return parser.load_querystring(request, schema)

    return load


def init_app(app: Flask) -> None:
    """Use these for Flask's JSON, the request class and the API's argument parser."""
    app.json = JsonProvider(app)
    app.request_class = BoundedRequest
    # the one parser instance every flask-smorest blueprint shares
    parser = Blueprint.ARGUMENTS_PARSER
    # webargs looks loaders up in `__location_map__`; an instance copy changes this parser only.
    parser.__location_map__ = {**type(parser).__location_map__, "json": _json_loader,
                               "query": _query_loader(parser), "querystring": _query_loader(parser)}
