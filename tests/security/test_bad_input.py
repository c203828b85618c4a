"""No 500 from anything a client sends: each bad input of the security review, to every text field and every
operation of the API (read from the OpenAPI document), as anonymous, patient, nurse and admin. Each answer is a
400/422 problem document naming the field (or 401/403 where the caller may not send it at all), and nothing is
stored."""

import io
import json

import pytest
import sqlalchemy as sa

from tests.conftest import _config
from tests.core.problems import PROBLEM_JSON
from tests.security.openapi_fields import body_with, cases, error_at, operations
from tests.support import ApiClient, Factories
from wardtrack import create_app
from wardtrack.auth.operations import issue_token
from wardtrack.extensions import db

ROLES = ("anonymous", "patient", "nurse", "admin")
#: Lone surrogates arrive as JSON escapes (raw bytes for one are not UTF-8: a 400 before any field is read).
BAD_TEXT = {"nul": "a\u0000b", "surrogate": "a\ud800b", "low_surrogate": "\udfff"}
#: Tables a request may write to without storing what it was sent: the caller's session (last seen).
UNSTORED = {"user_sessions"}


@pytest.fixture(scope="module")
def callers(database, tmp_path_factory):
    """An ApiClient per role, on one small world for the whole module (every path parameter is 1 and names
    something; every request here is refused and stores nothing, which each test checks). Staff and the
    patient send bearer tokens: the same requests as with a session, without a password hash each."""
    url, clean = database(tmp_path_factory.mktemp("bad_input"))
    app = create_app(_config(url))
    with app.app_context():
        make = Factories()
        ward = make.ward("Ward A")
        professional = make.professional("Nina Nurse", "nurse", [ward])
        patient = make.patient("Anna Berg", "AB-1")
        make.episode(patient, ward)
        users = {"patient": make.user("anna", "patient", patient=patient),
                 "nurse": make.user("nina", "nurse", wards=[ward], professional=professional),
                 "admin": make.user("ada", "admin")}
        clients = {role: ApiClient(app.test_client(), bearer=issue_token(user)) for role, user in users.items()}
        db.session.commit()
        clients["anonymous"] = ApiClient(app.test_client())
        yield clients
        db.session.remove()
        db.engine.dispose()
    clean()


def stored() -> dict[str, int]:
    """Rows per table: what a refused request must leave as it was."""
    db.session.rollback()
    names = [name for name in sa.inspect(db.engine).get_table_names() if name not in UNSTORED]
    counts = {name: db.session.scalar(sa.select(sa.func.count()).select_from(sa.table(name))) for name in names}
    db.session.rollback()
    return counts


def send(client, operation, **kwargs):
    return client.open(operation.path, operation.method, **kwargs)


def assert_refused(response, field=None):
    """A problem document, never a 5xx; a 422 names the field."""
    assert response.status_code < 500, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_JSON, (response.status_code, response.get_data(as_text=True))
    if response.status_code == 422 and field is not None:
        assert error_at(response.get_json().get("errors", {}), field), response.get_json()
    return response.status_code


@pytest.mark.parametrize(("operation", "field"), cases(), ids=[f"{o}:{'.'.join(f)}" for o, f in cases()])
def test_bad_text_in_every_field(callers, operation, field):
    before = stored()
    for name, value in BAD_TEXT.items():
        data = json.dumps(body_with(field, value))  # ensure_ascii: the surrogate travels as \ud800
        statuses = {role: assert_refused(send(callers[role], operation, data=data, content_type="application/json"),
                                         field) for role in ROLES}
        # Someone may send this body, and then the field is named; a field no role reaches is a gap in the test.
        assert 422 in statuses.values(), (name, statuses)
        assert set(statuses.values()) <= {401, 403, 422}, (name, statuses)
    assert stored() == before


@pytest.mark.parametrize("operation", [o for o in operations() if o.query], ids=str)
def test_nul_in_every_query_parameter(callers, operation):
    for parameter in operation.query:
        statuses = {}
        for role in ROLES:
            response = send(callers[role], operation, query_string={parameter: "a\u0000b"})
            statuses[role] = assert_refused(response)
            if response.status_code == 422:
                assert parameter in response.get_json()["errors"], response.get_json()
        assert 422 in statuses.values(), (parameter, statuses)


BODY_BOMBS = {
    "deep_array": "[" * 60_000 + "]" * 60_000,
    "deep_object": '{"a":' * 100_000 + "1" + "}" * 100_000,
    "long_integer": '{"id": ' + "7" * 5_000 + "}",
    "nan": '{"id": NaN}',
    "not_utf8": b'{"name": "\xed\xa0\x80"}',
}


@pytest.mark.parametrize("operation", [o for o in operations() if o.body], ids=str)
def test_body_bombs_on_every_operation(callers, operation):
    before = stored()
    for name, data in BODY_BOMBS.items():
        for role in ROLES:
            response = send(callers[role], operation, data=data, content_type="application/json")
            status = assert_refused(response)
            assert status in (400, 401, 403), (name, role, status)
            if status == 400:
                assert response.get_json()["errors"]["json"], response.get_json()
    assert stored() == before


@pytest.mark.parametrize("role", ROLES)
def test_a_chunked_body_over_the_limit_is_413(callers, role):
    login = next(o for o in operations() if o.path == "/api/v1/auth/login")
    body = b'{"username": "' + b"a" * (1100 * 1024) + b'", "password": "x"}'
    response = send(callers[role], login, input_stream=io.BytesIO(body), content_type="application/json",
                    headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413
    assert response.mimetype == PROBLEM_JSON


def test_a_chunked_body_under_the_limit_is_read(callers):
    body = json.dumps({"username": "nobody", "password": "wrong"}).encode()
    response = callers["anonymous"].post("/api/v1/auth/login", input_stream=io.BytesIO(body),
                                         content_type="application/json", headers={"Transfer-Encoding": "chunked"},
                                         environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 401


def test_a_fine_body_near_the_depth_limit_still_reads(callers):
    """The limits refuse bombs, not the API's own deepest bodies (a crisis plan is three levels deep)."""
    plan = {"patient_controlled_admission": {"agreed": True, "how_to_ask": "Call the ward."},
            "support_contacts": [{"name": "Kari", "phone": "+47 22 00 00 00"}]}
    response = callers["nurse"].put("/api/v1/patients/1/crisis-plan", json=plan)
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize("name", BODY_BOMBS)
def test_flasks_own_json_reading_has_the_same_limits(callers, name):
    """request.get_json() goes through the same reader as the API's arguments."""
    from flask import current_app, request
    from werkzeug.exceptions import BadRequest

    context = current_app.test_request_context("/", method="POST", data=BODY_BOMBS[name],
                                               content_type="application/json")
    with context, pytest.raises(BadRequest):
        request.get_json()
