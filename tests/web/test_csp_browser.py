"""Every page under the real Content-Security-Policy in Chromium: no violation (securitypolicyviolation events
and the console's refusals), Swagger UI still draws; the browser keeps no API response in its caches."""

from datetime import timedelta

import pytest

from tests.support import Factories, World
from tests.web.test_browser import wait_until
from wardtrack.extensions import db

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")
expect = sync_api.expect
pytestmark = pytest.mark.browser

# Installed before any page script runs, so that a violation during loading is caught as well.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def world(make):
    ward = make.ward("Ward A")
    nina = make.professional("Nina Nurse", "nurse", [ward])
    make.user("nina", "nurse", wards=[ward], professional=nina)
    make.user("tom", "team_leader", wards=[ward])
    anna = make.patient("Anna Berg", "AB-1")
    make.episode(anna, ward, started=timedelta(days=20))
    make.designation(anna, nina)
    make.user("anna", "patient", patient=anna)
    ids = World(anna=anna.id)
    db.session.rollback()
    return ids


def watched_page(context):
    page = context.new_page()
    page.add_init_script(WATCH)
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    return page, refused


def log_in(page, base, username, landing):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", Factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base}{landing}")


def assert_no_violation(page, refused, url):
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__violations")
    assert violations == [] and refused == [], (url, violations, refused)


@pytest.mark.parametrize(("username", "landing", "paths"), [
    (None, None, ["/", "/login", "/offline", "/api/v1/docs"]),
    ("nina", "/log", ["/log", "/reminders", "/patients/{anna}", "/patients/{anna}/crisis-plan", "/board",
                      "/offline", "/"]),
    ("tom", "/board", ["/board", "/patients/{anna}", "/patients/{anna}/crisis-plan", "/reminders"]),
    ("anna", "/me", ["/me", "/me/check-ins", "/"]),
], ids=["anonymous", "nurse", "team_leader", "patient"])
def test_no_page_breaks_the_policy(context, live_server, world, username, landing, paths, screenshot):
    page, refused = watched_page(context)
    if username:
        log_in(page, live_server, username, landing)
        assert_no_violation(page, refused, landing)
    for path in paths:
        url = live_server + path.format(**vars(world))
        response = page.goto(url)
        assert response.ok, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert_no_violation(page, refused, url)
    screenshot(page, f"csp-{username or 'anonymous'}")


CHECKED = {"/", "/login", "/offline", "/api/v1/docs", "/log", "/reminders", "/patients/<int:patient_id>",
           "/patients/<int:patient_id>/crisis-plan", "/board", "/me", "/me/check-ins"}
NOT_PAGES = {"static", "web.manifest", "web.service_worker", "web.api_docs_assets", "i18n.choose_language",
             "health.healthz", "health.readyz", "metrics.metrics"}


def test_every_page_is_checked(app):
    """A page added to the app without being added above fails here."""
    pages = {rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods
             and rule.endpoint not in NOT_PAGES and not rule.rule.startswith(("/api/v1/", "/fhir/"))}
    assert pages | {"/api/v1/docs"} == CHECKED


def test_swagger_ui_draws_under_its_policy(context, live_server, screenshot):
    page, refused = watched_page(context)
    page.goto(f"{live_server}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("wardtrack")
    expect(page.locator(".opblock").first).to_be_visible()
    assert_no_violation(page, refused, "/api/v1/docs")
    screenshot(page, "csp-api-docs")


def test_no_api_response_stays_in_a_cache(context, live_server, world):
    """The service worker caches shells only, and no-store keeps API bodies out of the HTTP cache: after
    logout, offline, a cache-only fetch of the crisis-plan URL finds nothing."""
    page, _refused = watched_page(context)
    log_in(page, live_server, "anna", "/me")
    page.wait_for_load_state("networkidle")
    page.evaluate("navigator.serviceWorker.ready")
    assert page.evaluate("fetch('/api/v1/me').then((r) => r.status)") == 200
    cached = page.evaluate("""async () => {
      const urls = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
      }
      return urls;
    }""")
    assert cached and not [url for url in cached if "/api/" in url], cached
    logout = page.evaluate("fetch('/api/v1/auth/logout', {method: 'POST'}).then((r) => r.status)")
    assert logout in (204, 403)  # without the CSRF header the session stays, which does not matter here
    context.set_offline(True)
    found = page.evaluate("""async () => {
      const found = [];
      for (const url of ['/api/v1/me', '/api/v1/me/safety-person']) {
        try {
          const response = await fetch(url, {cache: 'only-if-cached', mode: 'same-origin'});
          found.push(`${url} ${response.status}`);
        } catch (error) { /* not in the cache: what we want */ }
      }
      return found;
    }""")
    context.set_offline(False)
    assert found == []


def test_the_watch_sees_a_violation(context, live_server):
    """The checks above could fail: inline style and script on a page are refused and reported."""
    page, refused = watched_page(context)
    page.goto(f"{live_server}/login")
    page.evaluate("""() => {
      document.body.insertAdjacentHTML("beforeend", '<p style="color: red">inline style</p>');
      const script = document.createElement("script");
      script.textContent = "window.inlineRan = true;";
      document.body.append(script);
    }""")
    wait_until(page, "window.__violations.length >= 2")
    assert page.evaluate("window.inlineRan") is None
    assert any("style-src" in violation for violation in page.evaluate("window.__violations"))
    assert refused
