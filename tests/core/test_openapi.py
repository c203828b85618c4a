"""The OpenAPI document and the self-hosted Swagger UI."""

import re

import pytest

API_PATHS = [  # the paths of API.md implemented so far, in OpenAPI spelling
    ("post", "/api/v1/auth/login"), ("post", "/api/v1/auth/logout"), ("get", "/api/v1/auth/csrf"),
    ("get", "/api/v1/me"), ("get", "/api/v1/users"), ("post", "/api/v1/users"),
    ("get", "/api/v1/users/{user_id}"), ("patch", "/api/v1/users/{user_id}"),
    ("get", "/api/v1/wards"), ("post", "/api/v1/wards"), ("get", "/api/v1/wards/{ward_id}"),
    ("get", "/api/v1/professionals"), ("post", "/api/v1/professionals"),
    ("get", "/api/v1/professionals/{professional_id}"),
    ("post", "/api/v1/patients"), ("get", "/api/v1/patients/{patient_id}"),
    ("get", "/api/v1/wards/{ward_id}/patients"), ("post", "/api/v1/patients/{patient_id}/episodes"),
    ("patch", "/api/v1/episodes/{episode_id}"), ("get", "/api/v1/me/safety-person"),
    ("post", "/api/v1/contacts"), ("post", "/api/v1/contacts/batch"),
    ("get", "/api/v1/patients/{patient_id}/contacts"), ("get", "/api/v1/patients/{patient_id}/relationships"),
]
NOT_DOCUMENTED = {"/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/assets/{filename}"}


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def _resolve(spec, node):
    while "$ref" in node:
        kind, name = node["$ref"].split("/")[-2:]
        node = spec["components"][kind][name]
    return node


def test_document_basics(spec):
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] == "wardtrack"


@pytest.mark.parametrize(("method", "path"), API_PATHS)
def test_every_implemented_endpoint_is_described(spec, method, path):
    operation = spec["paths"][path][method]
    successes = {code: answer for code, answer in operation["responses"].items() if code.startswith("2")}
    assert successes
    for code, answer in successes.items():
        if code != "204":
            assert "schema" in _resolve(spec, answer)["content"]["application/json"]
    assert any(code.startswith(("4", "d")) for code in operation["responses"])  # error responses too
    if method in ("post", "patch", "put") and path != "/api/v1/auth/logout":
        assert "schema" in operation["requestBody"]["content"]["application/json"]


def test_every_api_route_is_in_the_document(app, spec):
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        if not path.startswith("/api/v1/") or path in NOT_DOCUMENTED or "/test/" in path:
            continue
        methods = {method.lower() for method in rule.methods} - {"head", "options"}
        assert methods <= set(spec["paths"].get(path, {})), (path, methods)


def test_schemas_describe_fields(spec):
    schemas = spec["components"]["schemas"]
    assert set(schemas["UserCreate"]["required"]) == {"username", "password", "role"}
    assert schemas["UserCreate"]["properties"]["role"]["enum"] == ["admin", "team_leader", "nurse", "patient"]
    assert set(schemas["Ward"]["properties"]) >= {"id", "name", "setting"}
    assert "password" not in schemas["User"]["properties"]


def test_swagger_ui_is_served_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    assert any(asset.endswith(".css") for asset in assets)
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html)
    for asset in assets:
        own = asset == "/static/js/api_docs.js"  # the page's start-up code, a file for the CSP's sake
        assert own or asset.startswith("/api/v1/docs/assets/")
        loaded = client.get(asset)
        assert loaded.status_code == 200 and len(loaded.data) > (100 if own else 1000), asset
        loaded.close()
    assert client.get("/api/v1/docs/assets/../../../etc/passwd").status_code == 404
