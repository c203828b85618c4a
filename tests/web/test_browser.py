"""The PWA in the system Chromium: logging contacts online and offline, re-login, offline page, manifest."""

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.support import Factories
from wardtrack.auth.models import UserSession
from wardtrack.contacts.models import Contact
from wardtrack.core.time import utcnow
from wardtrack.extensions import db

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")
expect = sync_api.expect
pytestmark = pytest.mark.browser


@pytest.fixture
def ward(make):
    """Ward A with a nurse (who is also a professional), a doctor and two admitted patients."""
    ward = make.ward("Ward A")
    nurse = make.professional("Nina Nurse", "nurse", [ward])
    make.professional("Dora Doctor", "psychiatrist", [ward])
    make.user("nina", "nurse", wards=[ward], professional=nurse)
    for name in ("Anna Berg", "Ola Dahl"):
        make.episode(make.patient(name), ward, started=timedelta(days=5))
    return ward


def query(statement):
    """Read in a short transaction: a fresh snapshot of what the server thread wrote, and no read lock
    left behind to hold up the server's writes on SQLite."""
    db.session.rollback()
    try:
        return db.session.execute(statement).all()
    finally:
        db.session.rollback()


def contacts_stored() -> int:
    return query(sa.select(sa.func.count()).select_from(Contact))[0][0]


def log_in(page, base, username="nina", password=Factories.PASSWORD):
    db.session.rollback()  # end the fixtures' read transaction before the server writes
    page.goto(f"{base}/login?next=/log")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base}/log")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    wait_until_controlled(page)


def wait_until(page, condition: str, seconds: float = 10) -> None:
    """Wait until a JavaScript condition holds. Not page.wait_for_function(): it evaluates its predicate with
    eval(), which the pages' Content-Security-Policy refuses; a function sent with page.evaluate() is not."""
    page.evaluate(f"""async () => {{
      const end = Date.now() + {int(seconds * 1000)};
      while (!({condition})) {{
        if (Date.now() > end) throw new Error({json.dumps("timed out waiting for: " + condition)});
        await new Promise((resolve) => setTimeout(resolve, 50));
      }}
    }}""")


def wait_until_controlled(page):
    """The first visit installs the service worker, which claims the open pages when it activates. A page that
    was still loading at that moment (here: /log, right after logging in) can miss the claim; reloading it
    once the worker is active always gives a controlled page."""
    page.evaluate("() => { navigator.serviceWorker.ready.then(() => { window.workerActive = true; }); }")
    wait_until(page, "window.workerActive === true")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()
        expect(page.locator("body")).to_have_attribute("data-ready", "true")
    wait_until(page, "navigator.serviceWorker.controller !== null")


def log_contact(page, patient, kind="conversation"):
    page.get_by_role("option", name=patient).click()
    page.select_option("#kind", kind)
    page.click("#save")
    expect(page.locator("#form-message")).to_contain_text("Saved")


def waiting(page, count):
    expect(page.locator("#waiting")).to_have_text(str(count))


def test_log_a_contact_online(context, live_server, ward, screenshot):
    page = context.new_page()
    log_in(page, live_server)
    [(mine,)] = query(sa.text("SELECT professional_id FROM users WHERE username = 'nina'"))
    expect(page.locator("#professional")).to_have_value(str(mine))
    page.get_by_role("option", name="Anna Berg").click()
    screenshot(page, "log")
    page.emulate_media(color_scheme="dark")
    screenshot(page, "log-dark")
    page.emulate_media(color_scheme="light")
    log_contact(page, "Anna Berg")
    waiting(page, 0)
    assert contacts_stored() == 1
    [(kind, ward_id, occurred_at)] = query(sa.select(Contact.kind, Contact.ward_id, Contact.occurred_at))
    assert (kind, ward_id) == ("conversation", ward.id)
    assert abs(occurred_at - utcnow()) < timedelta(minutes=2)

    db.session.execute(sa.update(UserSession).values(csrf_token="rotated-on-the-server"))
    db.session.commit()
    db.session.rollback()
    log_contact(page, "Ola Dahl", "phone")  # the page's token is stale now: it fetches the new one and retries
    waiting(page, 0)
    assert contacts_stored() == 2


def test_offline_contacts_survive_a_reload_and_are_sent_once_online(context, live_server, ward, screenshot):
    page = context.new_page()
    log_in(page, live_server)
    log_contact(page, "Anna Berg")
    waiting(page, 0)
    assert contacts_stored() == 1

    context.set_offline(True)
    for patient, kind in (("Anna Berg", "phone"), ("Ola Dahl", "conversation"), ("Ola Dahl", "medication")):
        log_contact(page, patient, kind)
    waiting(page, 3)
    page.reload()  # offline: the service worker answers from its cache
    expect(page.locator("#contact-form h1")).to_have_text("Log a contact")
    waiting(page, 3)
    screenshot(page, "log-offline")
    stored = page.evaluate("""() => new Promise((resolve) => {
        const open = indexedDB.open("wardtrack");
        open.onsuccess = () => open.result.transaction("outbox").objectStore("outbox").getAll().onsuccess =
            (event) => resolve(event.target.result);
    })""")
    assert len(stored) == 3
    assert all(set(item) == {"client_id", "patient_id", "professional_id", "occurred_at", "kind", "ward_id",
                             "recorded_at"} for item in stored)  # ids, codes and times only: no names on the device
    assert contacts_stored() == 1

    context.set_offline(False)
    waiting(page, 0)
    assert contacts_stored() == 4
    assert sorted(kind for (kind,) in query(sa.select(Contact.kind))) == [
        "conversation", "conversation", "medication", "phone"]


def test_expired_session_asks_to_log_in_then_sends(context, live_server, ward, screenshot):
    page = context.new_page()
    log_in(page, live_server)
    context.set_offline(True)
    log_contact(page, "Anna Berg")
    log_contact(page, "Ola Dahl", "group")
    waiting(page, 2)
    db.session.execute(sa.update(UserSession).values(revoked_at=utcnow()))  # the session ends meanwhile
    db.session.commit()
    db.session.rollback()

    context.set_offline(False)
    expect(page.locator("#login-form")).to_be_visible()
    expect(page.locator("#login-message")).to_contain_text("session has ended")
    screenshot(page, "log-login-again")
    waiting(page, 2)
    assert contacts_stored() == 0
    page.fill("#username", "nina")
    page.fill("#password", Factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    waiting(page, 0)
    expect(page.locator("#login-form")).to_be_hidden()
    assert contacts_stored() == 2


def test_service_worker_serves_the_offline_page(context, live_server, ward, screenshot):
    page = context.new_page()
    page.goto(f"{live_server}/login")
    screenshot(page, "login")
    wait_until(page, "navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    page.goto(f"{live_server}/patients/1/never-cached")
    expect(page.locator("h1")).to_have_text("You are offline")
    screenshot(page, "offline")
    page.goto(f"{live_server}/login")  # a precached page is the real shell, not the offline page
    expect(page.locator("#login-form")).to_be_visible()


def test_manifest_is_linked_valid_and_the_app_installable(context, live_server, screenshot):
    page = context.new_page()
    page.goto(f"{live_server}/")
    screenshot(page, "index")
    manifest = page.evaluate("""async () => {
        const link = document.querySelector('link[rel="manifest"]');
        const response = await fetch(link.href);
        return {type: response.headers.get("content-type"), body: await response.json()};
    }""")
    assert manifest["type"].startswith("application/manifest+json")
    body = manifest["body"]
    assert body["display"] == "standalone" and body["start_url"] == "/log" and body["theme_color"]
    for icon in body["icons"]:
        size = page.evaluate("""async (src) => {
            const image = new Image(); image.src = src; await image.decode();
            return `${image.naturalWidth}x${image.naturalHeight}`;
        }""", icon["src"])
        assert size == icon["sizes"]
    wait_until(page, "navigator.serviceWorker.controller !== null")
    cdp = context.new_cdp_session(page)
    assert cdp.send("Page.getAppManifest")["errors"] == []
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito profiles, which Chromium never installs into; nothing else may be missing.
    assert [error for error in errors if error["errorId"] != "in-incognito"] == [], errors


def test_logout_with_contacts_waiting_asks_first_then_clears_the_device(context, live_server, ward):
    page = context.new_page()
    log_in(page, live_server)
    context.set_offline(True)
    log_contact(page, "Anna Berg")
    waiting(page, 1)
    page.route("**/api/v1/contacts/batch", lambda route: route.abort())  # the contact stays waiting
    context.set_offline(False)
    dialogs, answers = [], [False, True]  # first "Cancel", then "OK"

    def answer(dialog):
        dialogs.append(dialog.message)
        if answers.pop(0):
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", answer)
    page.click("#logout")
    expect(page.locator("#waiting")).to_have_text("1")
    page.wait_for_timeout(300)
    assert page.url == f"{live_server}/log" and len(dialogs) == 1
    page.click("#logout")
    page.wait_for_url(f"{live_server}/login")
    assert len(dialogs) == 2 and "1 contact(s) have not been sent" in dialogs[0]
    assert page.evaluate("indexedDB.databases().then((found) => found.map((db) => db.name))") == []
    assert page.evaluate("fetch('/api/v1/me').then((response) => response.status)") == 401
    assert contacts_stored() == 0


def test_patients_seen_most_recently_on_the_ward_come_first(context, live_server, ward, make):
    make.episode(make.patient("Cato Ask"), ward, started=timedelta(days=5))
    page = context.new_page()
    log_in(page, live_server)
    names = page.locator("#patients button .name")  # the name, without what tells namesakes apart
    expect(names).to_have_text(["Anna Berg", "Cato Ask", "Ola Dahl"])  # nobody seen yet: by name
    log_contact(page, "Ola Dahl")
    waiting(page, 0)
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(names).to_have_text(["Ola Dahl", "Anna Berg", "Cato Ask"])
    page.fill("#search", "a")  # searching by name keeps the recent-first order
    expect(names).to_have_text(["Ola Dahl", "Anna Berg", "Cato Ask"])
    page.fill("#search", "berg")
    expect(names).to_have_text(["Anna Berg"])


def test_quick_add_an_on_call_doctor_and_log_a_contact_with_them(context, live_server, ward, screenshot):
    page = context.new_page()
    log_in(page, live_server)
    page.click("#quick-add-toggle")
    expect(page.locator("#quick-add")).to_be_visible()
    expect(page.locator("#qa-profession")).to_have_value("doctor")
    page.fill("#qa-work_phone", "not a phone")
    page.click("#qa-save")
    expect(page.locator("#qa-name-error")).to_have_text("Write a name.")  # checked before asking the server
    page.fill("#qa-name", "Otto On-call")
    page.click("#qa-save")
    # The server's 422, next to the field in the page's own words.
    expect(page.locator("#qa-work_phone-error")).to_have_text(
        "Write a phone number: digits, spaces, dashes or brackets, with an optional + in front.")
    expect(page.locator("#qa-work_phone")).to_have_attribute("aria-invalid", "")
    screenshot(page, "log-quick-add-error")
    page.fill("#qa-work_phone", "+47 22 33 44 55")
    page.press("#qa-name", "Enter")  # Enter adds the professional, it does not save the contact
    expect(page.locator("#quick-add")).to_be_hidden()
    expect(page.locator("#form-message")).to_contain_text("Otto On-call was added and chosen.")
    expect(page.locator("#professional option:checked")).to_have_text("Otto On-call")
    assert contacts_stored() == 0
    log_contact(page, "Anna Berg", "decision")
    waiting(page, 0)
    [(name, kind)] = query(sa.text("SELECT p.name, c.kind FROM contacts c JOIN professionals p "
                                   "ON p.id = c.professional_id"))
    assert (name, kind) == ("Otto On-call", "decision")

    context.set_offline(True)  # quick-add needs the server: offline, the form says so and does not try
    page.click("#quick-add-toggle")
    expect(page.locator("#qa-offline")).to_be_visible()
    expect(page.locator("#qa-save")).to_be_disabled()
    screenshot(page, "log-quick-add-offline")
    context.set_offline(False)
    expect(page.locator("#qa-save")).to_be_enabled()


def test_a_throttled_login_says_how_long_to_wait(context, live_server, ward, app):
    app.config.update(LOGIN_MAX_FAILURES=1, LOGIN_DELAY_SECONDS=30)
    db.session.rollback()
    page = context.new_page()
    page.goto(f"{live_server}/login")
    for _ in range(2):
        page.fill("#username", "nina")
        page.fill("#password", "not-the-password")
        page.click("#login-form button[type=submit]")
        page.wait_for_timeout(300)
    message = page.locator("#login-message")
    expect(message).to_contain_text("Too many attempts. Try again in")
    assert "s." in message.inner_text() and "HTTP" not in message.inner_text()
