"""Cursors: opaque, signed, and a tampered one is a 422 on `cursor` rather than a database error."""

import base64
import json

import pytest

from tests.core.problems import assert_problem
from wardtrack.core.errors import Invalid
from wardtrack.core.pagination import decode_cursor, encode_cursor, page


def _forged(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def test_round_trip(app):
    for values in ([1], ["Dora Doctor", 2], ["Åse Ødegård", 3], ["x" * 200, 2**31 - 1], ["2026-11-21T10:00:00Z", 9]):
        assert decode_cursor(encode_cursor(values), len(values)) == values


@pytest.mark.parametrize("make", [
    lambda good: good + "x",
    lambda good: good.split(".")[0],
    lambda good: _forged([1]),
    lambda good: _forged(["abc"]) + "." + good.split(".")[1],
    lambda good: "!!!",
    lambda good: "",
    lambda good: ".",
])
def test_tampered_cursors_are_refused(app, make):
    with pytest.raises(Invalid) as caught:
        decode_cursor(make(encode_cursor([5])), 1)
    assert caught.value.errors == {"cursor": ["Not a cursor this service gave out."]}


def test_a_cursor_of_the_wrong_shape_is_refused(app):
    with pytest.raises(Invalid):
        decode_cursor(encode_cursor([1]), 2)
    with pytest.raises(Invalid):
        decode_cursor(encode_cursor([[1], {"a": 1}]), 2)


def test_value_types_are_checked_when_given(app):
    assert decode_cursor(encode_cursor(["Ann", 3]), 2, (str, int)) == ["Ann", 3]
    for values in (["Ann", "3"], [3, "Ann"], ["Ann", True], [None, 3]):
        with pytest.raises(Invalid):
            decode_cursor(encode_cursor(values), 2, (str, int))


@pytest.mark.parametrize(("path", "keyset"), [
    ("/api/v1/wards", ["abc"]), ("/api/v1/users", [True]), ("/api/v1/professionals", [1, "x"]),
    ("/api/v1/professionals", ["Ann", None]),
])
def test_signed_cursors_of_the_wrong_types_are_422(ward_setup, login, path, keyset):
    # e.g. a cursor of another list: signed by this service, but not a keyset of this one
    cursor = encode_cursor(keyset)
    assert_problem(login(ward_setup.admin).get(path, query_string={"cursor": cursor}), 422, "cursor")


def test_a_cursor_signed_under_another_secret_is_refused(app):
    cursor = encode_cursor([5])
    app.config["SECRET_KEY"] = "another-secret"
    with pytest.raises(Invalid):
        decode_cursor(cursor, 1)


def test_page_cuts_the_extra_row():
    assert page([1, 2], 2, lambda row: [row]) == {"items": [1, 2], "next_cursor": None}
    assert page([], 2, lambda row: [row]) == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("path", ["/api/v1/wards", "/api/v1/professionals", "/api/v1/users"])
@pytest.mark.parametrize("cursor", [
    _forged(["abc"]), _forged([1, "x"]), _forged([[1], {"a": 1}]), _forged([2**40, 2**40]), "!!!", "x" * 3000,
])
def test_tampered_cursors_are_422_on_every_list(ward_setup, login, path, cursor):
    response = login(ward_setup.admin).get(path, query_string={"cursor": cursor})
    assert_problem(response, 422, "cursor")
