"""The PWA's pages, manifest and service worker, as the server sends them."""

import json
import re

import pytest
from flask_babel import refresh

PAGES = ["/", "/login", "/log", "/me", "/me/check-ins", "/offline"]


@pytest.mark.parametrize("path", PAGES)
def test_page_is_html_and_links_the_manifest(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'name="viewport"' in html and 'name="theme-color"' in html
    assert "/static/js/shell.js" in html


@pytest.mark.parametrize("path", ["/login", "/log", "/me", "/me/check-ins"])
def test_logged_out_users_get_the_shell_without_data(client, ward_setup, path):
    html = client.get(path).get_data(as_text=True)
    assert 'id="login-form"' in html
    assert "Patient A" not in html  # the data comes from the API, which enforces access


@pytest.mark.parametrize("path", ["/", "/log", "/board", "/patients/1", "/patients/1/crisis-plan", "/reminders", "/me"])
def test_a_first_visit_is_asked_to_log_in_not_to_log_in_again(client, path):
    html = client.get(path).get_data(as_text=True)
    assert re.search(r'<h2 id="login-title">Log in[^<]*</h2>', html)
    assert "Log in again" not in re.search(r'<h2 id="login-title">[^<]*</h2>', html).group()
    assert "data-logout" not in html  # never logged in: nothing to end


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


@pytest.fixture
def patient_user(make, ward_setup):
    return make.user("pia", "patient", patient=ward_setup.patient_a)


def _html(client, path, lang="en"):
    refresh()  # the fixture's app context keeps one locale on g; a new request would not
    response = client.get(path, headers={"Accept-Language": lang})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_me_page_is_a_shell_with_every_section_and_no_data(ward_setup, patient_user, make):
    make.designation(ward_setup.patient_a, ward_setup.doctor)
    api = ward_setup.login(patient_user)
    html = _html(api, "/me")
    for element in ('id="safety"', 'id="safety-call"', 'id="plan"', 'data-part="warning_signs"',
                    'data-part="patient_controlled_admission"', 'data-part="reasons_for_living"', 'id="readers"',
                    'id="login-form"', "/static/js/me.js"):
        assert element in html
    for secret in ("Patient A", "PA-1", "Dora Doctor"):
        assert secret not in html  # the page holds no data: the API gives it to the patient alone


@pytest.mark.parametrize(("lang", "texts"), [
    ("en", ("My safety person", "My crisis plan", "Who has read my plan")),
    ("nb", ("Trygghetspersonen min", "Kriseplanen min", "Hvem har lest planen min")),
])
def test_me_page_speaks_both_languages(client, lang, texts):
    html = _html(client, "/me", lang)
    assert f'<html lang="{lang}">' in html
    assert all(text in html for text in texts)


@pytest.mark.parametrize(("lang", "text"), [("en", "Log in to wardtrack"), ("nb", "Logg inn i wardtrack")])
def test_start_page_shows_the_login_form_to_logged_out_users(client, lang, text):
    html = _html(client, "/", lang)
    assert f'<html lang="{lang}">' in html
    assert 'id="login-form"' in html and "data-standalone" in html and text in html
    assert 'aria-label="Pages"' not in html and "data-logout" not in html


def _nav(html):
    nav = re.search(r'<nav class="nav"[^>]*>(.*?)</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(1)) if nav else []


def test_start_page_and_navigation_fit_a_nurse(ward_setup):
    html = _html(ward_setup.login(ward_setup.nurse), "/")
    assert _nav(html) == ["/board", "/log", "/reminders"]  # the board is read-only for nurses
    assert 'href="/log"' in html and 'href="/me"' not in html and 'id="login-form"' not in html
    assert "data-logout" in html
    assert "Nina Nurse" not in html and "nina" not in html  # roles decide the links; no names in the shell


def test_start_page_and_navigation_fit_a_patient(ward_setup, patient_user):
    api = ward_setup.login(patient_user)
    html = _html(api, "/")
    assert _nav(html) == ["/me"]
    assert 'href="/me"' in html and 'href="/log"' not in html and "/api/v1/docs" not in html
    assert "Patient A" not in html
    assert 'aria-current="page"' in _html(api, "/me")


def test_team_leaders_get_the_board(ward_setup):
    leader = ward_setup.login(ward_setup.leader)
    links = _nav(_html(leader, "/"))
    assert links == ["/board", "/log", "/reminders"]
    for link in links:  # every link in the navigation is a page that answers
        assert _html(leader, link)


def test_the_login_form_knows_where_each_role_starts(client):
    html = _html(client, "/login")
    homes = json.loads(re.search(r'data-homes="([^"]+)"', html).group(1).replace("&#34;", '"'))
    assert homes == {"patient": "/me", "nurse": "/log", "admin": "/", "team_leader": "/board"}
    for home in homes.values():  # every start page answers
        assert _html(client, home)


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_log_page_keeps_its_own_logout_button_and_gets_the_navigation(ward_setup, lang):
    html = _html(ward_setup.login(ward_setup.nurse), "/log", lang)
    assert f'<html lang="{lang}">' in html
    assert 'id="logout"' in html and _nav(html) == ["/board", "/log", "/reminders"]
