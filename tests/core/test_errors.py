"""Every error is a problem document (API) or a page (HTML), never a stack trace."""

import logging

import pytest
import sqlalchemy as sa

from tests.core.problems import PROBLEM_JSON, assert_problem
from wardtrack.extensions import db


@pytest.fixture
def admin(ward_setup, login):
    return login(ward_setup.admin)


def test_malformed_json_is_400(admin):
    response = admin.post("/api/v1/wards", data='{"name": "Ward C",', content_type="application/json")
    body = assert_problem(response, 400)
    assert "JSON" in body["detail"]


def test_a_body_that_is_not_an_object_is_422(admin):
    assert_problem(admin.post("/api/v1/wards", json=["Ward C", "acute_ward"]), 422)


@pytest.mark.parametrize(("body", "field"), [
    ({"name": 7, "setting": "acute_ward"}, "name"),
    ({"name": "Ward C", "setting": ["acute_ward"]}, "setting"),
    ({"name": "Ward C", "setting": "acute_ward", "beds": 12}, "beds"),
])
def test_wrong_types_and_unknown_fields_are_422_naming_the_field(admin, body, field):
    body = assert_problem(admin.post("/api/v1/wards", json=body), 422, field)
    assert list(body["errors"]) == [field]


def test_strict_ids_refuse_strings_and_booleans(ward_setup, login):
    api = login(ward_setup.nurse)
    for ward_ids in (["1"], [True], [1.5], [0], [2**31]):
        body = {"name": "P", "profession": "doctor", "ward_ids": ward_ids}
        assert_problem(api.post("/api/v1/professionals", json=body), 422, "ward_ids")


def test_unknown_api_path_is_a_404_problem(client):
    body = assert_problem(client.get("/api/v1/no-such-thing", headers={"Accept": "text/html"}), 404)
    assert "errors" not in body


def test_unknown_page_is_an_html_404(client):
    response = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_ids_too_large_for_the_database_are_404(admin):
    for path in ("/api/v1/wards/2147483648", "/api/v1/users/99999999999999999999",
                 "/api/v1/patients/99999999999999999999"):
        assert_problem(admin.get(path), 404)
    assert_problem(admin.patch("/api/v1/users/99999999999999999999", json={"disabled": True}), 404)


def test_wrong_method_is_a_405_problem_with_allow(admin):
    response = admin.delete("/api/v1/wards")
    assert_problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_unexpected_exception_is_a_500_without_details(app, client, caplog):
    def explode():
        raise RuntimeError("secret internals: patient 42 in room 7")

    app.add_url_rule("/api/v1/test/explode", "explode", explode)
    with caplog.at_level(logging.ERROR, logger="wardtrack.core.errors"):
        response = client.get("/api/v1/test/explode")
    body = assert_problem(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert response.headers["X-Request-ID"] in body["detail"]
    assert response.headers["X-Request-ID"] in caplog.text  # the log ties the trace to the request


def test_every_response_carries_a_request_id(client):
    for path in ("/healthz", "/api/v1/no-such-thing", "/api/v1/me"):
        assert len(client.get(path).headers["X-Request-ID"]) >= 8


def test_problem_content_type(client):
    assert client.get("/api/v1/me").headers["Content-Type"].startswith(PROBLEM_JSON)


def test_database_errors_never_carry_statement_parameters(app):
    with pytest.raises(sa.exc.StatementError) as caught:
        db.session.execute(sa.text("SELECT * FROM no_such_table WHERE name = :name"), {"name": "Kari Nordmann"})
    db.session.rollback()
    assert "Kari Nordmann" not in str(caught.value)


def test_a_body_over_the_size_limit_is_413_and_nothing_is_stored(admin, app):
    wards = sa.text("SELECT count(*) FROM wards")
    before = db.session.execute(wards).scalar()
    db.session.rollback()
    padding = "x" * app.config["MAX_CONTENT_LENGTH"]
    assert_problem(admin.post("/api/v1/wards", json={"name": padding, "setting": "acute_ward"}), 413)
    assert db.session.execute(wards).scalar() == before
