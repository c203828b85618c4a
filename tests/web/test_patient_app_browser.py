"""The patient's page in the system Chromium: safety person, crisis plan by section, and who has read it."""


import pytest
import sqlalchemy as sa

from tests.support import Factories
from tests.web.test_browser import query
from wardtrack.audit.models import AuditEvent
from wardtrack.extensions import db

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")
expect = sync_api.expect
pytestmark = pytest.mark.browser

PLAN = {
    "warning_signs": ["I stop sleeping", "I stay in my room"],
    "coping_strategies": ["A long walk by the river"],
    "support_contacts": [{"name": "My sister Kari", "phone": "+47 400 00 001"}],
    "professional_contacts": [{"name": "Crisis team", "phone": "+47 22 00 00 00", "when": "day and night"}],
    "what_helps_in_crisis": ["Someone sitting with me"],
    "what_does_not_help": ["Being told to calm down"],
    "treatment_refusals": "No depot injections.",
    "patient_controlled_admission": {"agreed": True, "max_days_per_stay": 5, "min_days_between_stays": 14,
                                     "how_to_ask": "Call the ward and say you want a self-admission."},
    "reasons_for_living": ["My cat"],
    "reviewed_with_patient": True,
}


@pytest.fixture
def world(make, login):
    """Ward A; a nurse who writes and reads the plan of Pia, a patient with a login and a safety person."""
    world = make.pia_world(dora=True)
    return world.with_(api=login(world.nurse))


def seed_plan(world):
    """The nurse writes the plan and reads it once, through the API, as the ward would."""
    api = world.api
    response = api.put(f"/api/v1/patients/{world.pia.id}/crisis-plan", json=PLAN)
    assert response.status_code == 201, response.get_json()
    assert api.get(f"/api/v1/patients/{world.pia.id}/crisis-plan").status_code == 200


def patient_logs_in(page, base, lang="en"):
    db.session.rollback()  # end the fixtures' read transaction before the server writes
    page.goto(f"{base}/language?lang={lang}&next=/login")
    page.fill("#username", "pia")
    page.fill("#password", Factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base}/me")  # a patient starts on their own page
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def test_patient_sees_safety_person_plan_and_who_read_it(context, live_server, world, make, screenshot):
    make.designation(world.pia, world.dora)
    seed_plan(world)
    page = context.new_page()
    patient_logs_in(page, live_server)

    card = page.locator("#safety-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Dora Doctor")
    expect(card).to_contain_text("Psychiatrist")
    call = page.get_by_role("link", name="Call Dora Doctor")
    expect(call).to_have_attribute("href", "tel:+4723010203")
    box = call.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44

    plan = page.locator("#plan-body")
    expect(plan.get_by_role("heading", name="Signs that a crisis may be coming")).to_be_visible()
    expect(plan.locator('[data-part="warning_signs"] li')).to_have_text(["I stop sleeping", "I stay in my room"])
    expect(plan.get_by_role("link", name="+47 400 00 001")).to_have_attribute("href", "tel:+4740000001")
    expect(plan.locator('[data-part="professional_contacts"]')).to_contain_text("day and night")
    expect(plan.locator('[data-part="patient_controlled_admission"]')).to_contain_text("up to 5 days at a time")
    expect(plan.locator('[data-part="treatment_refusals"]')).to_contain_text("No depot injections.")
    expect(plan.locator('[data-part="safe_environment"]')).to_be_hidden()  # empty sections are left out
    expect(page.locator("#plan-version")).to_contain_text("Version 1, written by Nina Nurse")

    readers = page.locator("#readers-list li")
    expect(readers.first).to_contain_text("Nina Nurse (nurse) read your crisis plan")
    assert readers.first.locator("time").get_attribute("datetime").endswith("Z")
    screenshot(page, "me-en")

    # Nothing about the patient stays on the phone: no IndexedDB, no web storage, no cached API answer.
    assert page.evaluate("indexedDB.databases().then((found) => found.length)") == 0
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    cached = page.evaluate("""async () => {
        const urls = [];
        for (const key of await caches.keys()) {
            for (const request of await (await caches.open(key)).keys()) urls.push(new URL(request.url).pathname);
        }
        return urls;
    }""")
    assert not [url for url in cached if url.startswith("/api/")]


def test_patient_page_in_bokmal(context, live_server, world, make, screenshot):
    make.designation(world.pia, world.dora)
    seed_plan(world)
    page = context.new_page()
    patient_logs_in(page, live_server, "nb")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("link", name="Ring Dora Doctor")).to_be_visible()
    expect(page.get_by_role("heading", name="Hvem har lest planen min")).to_be_visible()
    expect(page.locator("#readers-list li").first).to_contain_text("Nina Nurse (sykepleier) leste kriseplanen din")
    screenshot(page, "me-nb")


def test_without_safety_person_or_plan_the_page_says_whom_to_ask(context, live_server, world, screenshot):
    page = context.new_page()
    patient_logs_in(page, live_server)
    expect(page.locator("#safety-none")).to_contain_text("Ask your contact person")
    expect(page.locator("#plan-none")).to_contain_text("no crisis plan yet")
    expect(page.locator("#readers-none")).to_be_visible()
    expect(page.locator("#safety-card a[href^='tel:'], #plan a[href^='tel:']")).to_have_count(0)
    expect(page.locator("#emergency a[href^='tel:']")).to_have_count(2)  # the emergency numbers, always
    screenshot(page, "me-empty")


def test_safety_person_without_work_phone_is_explained(context, live_server, world, make):
    make.designation(world.pia, make.professional("Nils Nophone", "nurse", [world.ward]))
    page = context.new_page()
    patient_logs_in(page, live_server)
    expect(page.locator("#safety-no-phone")).to_contain_text("No work phone is registered for Nils Nophone")
    expect(page.locator("#safety-call")).to_be_hidden()


def test_staff_on_the_patient_page_are_sent_to_their_own(context, live_server, world):
    page = context.new_page()
    db.session.rollback()
    page.goto(f"{live_server}/login?next=/me")
    page.fill("#username", "nina")
    page.fill("#password", Factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server}/me")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#me-note")).to_contain_text("This page is for patients")
    expect(page.locator("#safety")).to_be_hidden()
    assert query_reads() == 0


def query_reads() -> int:
    reads = sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "crisis_plan.read")
    return query(reads)[0][0]


def test_a_patient_who_opens_the_log_goes_to_their_own_page(context, live_server, world):
    page = context.new_page()
    patient_logs_in(page, live_server)
    page.goto(f"{live_server}/log")  # where the installed app starts
    page.wait_for_url(f"{live_server}/me")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#safety-none")).to_be_visible()
