"""Security and caching headers on every response: each GET route of the URL map (pages, API, errors) for each
kind of caller, the docs page's own policy, HSTS in production only, and logout's Clear-Site-Data."""

import re

import pytest

from tests.conftest import _config
from tests.support import ApiClient
from wardtrack import create_app
from wardtrack.auth.operations import issue_token
from wardtrack.core.headers import OWN_CACHING
from wardtrack.extensions import db

REQUIRED = ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
            "form-action 'self'")
OFF = ("camera", "microphone", "geolocation", "payment", "usb")


def directives(policy: str) -> dict[str, set[str]]:
    parsed = {}
    for part in filter(None, (p.strip() for p in policy.split(";"))):
        name, *values = part.split()
        parsed[name] = set(values)
    return parsed


def assert_secure(response, *, docs=False):
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    for directive in REQUIRED:
        assert directive in policy, policy
    parsed = directives(policy)
    assert parsed["script-src"] == {"'self'"}, policy  # no inline script, no eval, on every page
    if not docs:
        assert parsed["style-src"] == {"'self'"}, policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    for feature in OFF:
        assert f"{feature}=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # development and tests: plain HTTP is allowed


def get_routes(app) -> list[tuple[str, str]]:
    """(endpoint, URL) for every GET rule, its parameters filled with 1 or the first allowed value."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        url = rule.rule
        for name in rule.arguments:
            converter = rule._converters[name]
            items = getattr(converter, "items", None)  # any(...)
            value = sorted(items)[0] if items else "css/app.css" if converter.regex == "[^/].*?" else "1"
            url = re.sub(rf"<(?:[^:<>]+:)?{name}>", value, url)
            url = re.sub(rf"<any\([^)]*\):{name}>", value, url)
        routes.append((rule.endpoint, url))
    return sorted(routes)


@pytest.fixture
def callers(app, make):
    ward = make.ward("Ward A")
    patient = make.patient("Anna Berg", "AB-1")
    make.episode(patient, ward)
    users = {"patient": make.user("anna", "patient", patient=patient),
             "nurse": make.user("nina", "nurse", wards=[ward]),
             "admin": make.user("ada", "admin")}
    clients = {role: ApiClient(app.test_client(), bearer=issue_token(user)) for role, user in users.items()}
    db.session.commit()
    clients["anonymous"] = ApiClient(app.test_client())
    return clients


def test_every_get_route_for_every_caller(app, callers):
    seen = 0
    for endpoint, url in get_routes(app):
        for role, client in callers.items():
            response = client.get(url)
            assert_secure(response, docs=endpoint == "api-docs.openapi_swagger_ui")
            cache = response.headers.get("Cache-Control", "")
            if endpoint in OWN_CACHING:
                assert "no-store" not in cache, (url, cache)
            else:
                assert cache == "no-store", (url, role, response.status_code, cache)
            seen += 1
    assert seen > 100


@pytest.mark.parametrize(("method", "url", "status"), [
    ("GET", "/no/such/page", 404), ("GET", "/api/v1/no/such/thing", 404), ("DELETE", "/api/v1/me", 405),
    ("POST", "/api/v1/auth/login", 422)])
def test_errors_carry_the_headers_too(client, method, url, status):
    response = client.open(url, method=method, json={})
    assert response.status_code == status
    assert_secure(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_patient_data_is_never_stored_by_the_browser(callers):
    response = callers["patient"].get("/api/v1/me")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Expires" not in response.headers


def test_static_files_and_the_worker_keep_their_own_caching(client):
    for url in ("/static/js/api.js", "/sw.js", "/manifest.webmanifest", "/api/v1/docs/assets/swagger-ui.css"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" not in response.headers.get("Cache-Control", ""), url


def test_the_docs_page_has_its_own_policy_and_no_inline_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert_secure(response, docs=True)
    html = response.get_data(as_text=True)
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []  # every script is a file
    assert "api_docs.js" in html


def test_hsts_in_production_only(database, tmp_path):
    url, clean = database(tmp_path)
    app = create_app({**_config(url), "WARDTRACK_ENV": "production"})
    try:
        response = app.test_client().get("/login")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        assert int(re.search(r"max-age=(\d+)", response.headers["Strict-Transport-Security"])[1]) >= 31536000
    finally:
        with app.app_context():
            db.engine.dispose()
        clean()


def test_logout_clears_the_browsers_cache(app, make, login):
    api = login(make.user("nina", "nurse"))
    response = api.post("/api/v1/auth/logout")
    assert response.status_code == 204
    assert response.headers["Clear-Site-Data"] == '"cache"'
    again = api.post("/api/v1/auth/logout")  # the session had already ended: clear all the same
    assert again.status_code == 401
    assert again.headers["Clear-Site-Data"] == '"cache"'
    assert again.mimetype == "application/problem+json"
