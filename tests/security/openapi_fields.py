"""The API's operations and text fields, read from its own OpenAPI document, so that a new field is covered by
the bad-input tests the day it is added."""

import functools
import re
from dataclasses import dataclass

from tests.conftest import _config
from wardtrack import create_app

FREE_FORM = "any_key"  # a key sent inside an object the document leaves open (e.g. a batch's items)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # with its path parameters filled in
    body: dict | None  # the JSON schema of the body, references resolved lazily
    query: tuple[str, ...]  # string query parameters

    def __str__(self):
        return f"{self.method} {self.path}"


@functools.cache
def spec() -> dict:
    """The OpenAPI document, from an app that never touches a database."""
    app = create_app(_config("sqlite://"))
    return app.test_client().get("/api/v1/openapi.json").get_json()


def _resolve(schema: dict) -> dict:
    components = spec()["components"]["schemas"]
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _fill(path: str, parameters: list[dict]) -> str:
    """Path parameters: the first value of an enum, else 1 (a parameter only has to route)."""
    for parameter in parameters:
        if parameter["in"] == "path":
            value = parameter["schema"].get("enum", [1])[0]
            path = path.replace("{" + parameter["name"] + "}", str(value))
    assert not re.search(r"{\w+}", path), path
    return path


def operations() -> list[Operation]:
    found = []
    for path, item in spec()["paths"].items():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method == "parameters":
                continue
            parameters = shared + operation.get("parameters", [])
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            query = tuple(p["name"] for p in parameters if p["in"] == "query"
                          and _resolve(p.get("schema", {})).get("type") in ("string", None))
            found.append(Operation(method.upper(), _fill(path, parameters), body, query))
    return found


def text_fields(schema: dict, path: tuple = ()) -> list[tuple]:
    """Every place a string can go in a body of this schema, as key paths ("[]" for an array's item). An
    object left open gets a key of its own: the rule holds for every string, declared or not."""
    schema = _resolve(schema)
    fields = []
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            fields += text_fields(part, path)
    if "items" in schema:
        return fields + text_fields(schema["items"], path + ("[]",))
    if schema.get("type") == "object" or "properties" in schema:
        properties = {name: p for name, p in schema.get("properties", {}).items() if not p.get("readOnly")}
        for name, part in properties.items():
            fields += text_fields(part, path + (name,))
        if not properties:
            fields.append(path + (FREE_FORM,))
        return fields
    if schema.get("type") in ("string", None) and path:
        fields.append(path)
    return fields


def body_with(field: tuple, value) -> object:
    """The smallest body that puts `value` at `field`."""
    if not field:
        return value
    head, rest = field[0], field[1:]
    if head == "[]":
        return [body_with(rest, value)]
    return {head: body_with(rest, value)}


def error_at(errors: dict, field: tuple):
    """The messages a problem document's `errors` holds for `field` (array items under their index "0")."""
    node = errors
    for key in field:
        if not isinstance(node, dict):
            return None
        node = node.get("0" if key == "[]" else key)
    return node


def cases() -> list[tuple[Operation, tuple]]:
    """(operation, field) for every text field of every operation's body."""
    return [(operation, field) for operation in operations() if operation.body
            for field in text_fields(operation.body)]
