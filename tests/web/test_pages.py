"""The PWA's pages, manifest and service worker, as the server sends them."""

import json

import pytest

PAGES = ["/", "/login", "/log", "/offline"]


@pytest.mark.parametrize("path", PAGES)
def test_page_is_html_and_links_the_manifest(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'name="viewport"' in html and 'name="theme-color"' in html
    assert "/static/js/shell.js" in html


@pytest.mark.parametrize("path", ["/login", "/log"])
def test_logged_out_users_get_the_shell_without_data(client, ward_setup, path):
    html = client.get(path).get_data(as_text=True)
    assert 'id="login-form"' in html
    assert "Patient A" not in html  # the data comes from the API, which enforces access


def test_log_page_has_the_form_and_the_outbox(client):
    html = client.get("/log").get_data(as_text=True)
    for element in ('id="contact-form"', 'id="waiting"', 'id="send-now"', 'id="search"', 'id="kind"',
                    'id="when"', 'type="datetime-local"', "/static/js/log.js"):
        assert element in html
    assert 'value="conversation"' in html and 'value="coercive_measure"' in html


def test_manifest_is_valid(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] and manifest["short_name"]
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/log" and manifest["scope"] == "/"
    assert manifest["theme_color"].startswith("#")
    sizes = {icon["sizes"]: icon for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= set(sizes)
    for size, icon in sizes.items():
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.mimetype == "image/png"
        data = image.get_data()
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and f"{width}x{height}" == size


def test_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response.headers["Cache-Control"]
    source = response.get_data(as_text=True)
    assert "__VERSION__" not in source and "__SHELL__" not in source
    for path in ("/log", "/login", "/offline", "/static/css/app.css", "/static/js/log.js",
                 "/static/icons/icon-512.png"):
        assert f'"{path}"' in source


def test_everything_the_service_worker_precaches_exists(client):
    source = client.get("/sw.js").get_data(as_text=True)
    shell = json.loads(source.split("const SHELL = ", 1)[1].split(";", 1)[0])
    for path in shell:
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()


def test_service_worker_version_is_a_digest_of_the_shell(client, app):
    from wardtrack.web import views

    first = client.get("/sw.js").get_data(as_text=True)
    version = first.split('const VERSION = "', 1)[1].split('"', 1)[0]
    assert len(version) == 12
    assert views._shell_version(app.static_folder, app.template_folder) == version


def test_static_javascript_is_served_as_javascript(client):
    response = client.get("/static/js/log.js")
    assert response.status_code == 200
    assert response.mimetype in ("text/javascript", "application/javascript")
    response.close()
