"""The patient's page on a phone, also offline: emergency numbers always, the safety person and plan when the
patient chose to keep them, whom to call when the safety person does not answer, suggestions, visits."""


import pytest
import sqlalchemy as sa

from tests.web.test_browser import query, wait_until_controlled
from tests.web.test_patient_app_browser import patient_logs_in
from wardtrack.crisisplans.models import CrisisPlanSuggestion
from wardtrack.extensions import db

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")
expect = sync_api.expect
pytestmark = pytest.mark.browser

PLAN = {
    "warning_signs": ["I stop sleeping"],
    "support_contacts": [{"name": "My sister Kari", "phone": "+47 400 00 001"}],
    "professional_contacts": [{"name": "Crisis team", "phone": "+47 22 00 00 00", "when": "day and night"}],
    "reasons_for_living": ["My cat"],
    "reviewed_with_patient": True,
}
STORED = "localStorage.getItem('wardtrack.kept')"


@pytest.fixture
def world(make, login):
    """Ward A; a nurse and a team leader (Erik Hagen); Pia, a patient with a login, a safety person and a plan."""
    world = make.pia_world(leader=("erik", "Erik Hagen"), dora=True)
    make.designation(world.pia, world.dora)
    nurse_api, leader_api = login(world.nurse), login(world.leader)
    assert nurse_api.put(f"/api/v1/patients/{world.pia.id}/crisis-plan", json=PLAN).status_code == 201
    return world.with_(nurse=nurse_api, leader=leader_api)


def open_me(context, live_server):
    page = context.new_page()
    patient_logs_in(page, live_server)
    wait_until_controlled(page)
    return page


def reload_offline(context, page):
    context.set_offline(True)
    page.reload()  # the service worker answers from its cache
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def test_safety_person_plan_and_113_show_offline_after_opting_in_and_go_when_off(context, live_server, world,
                                                                                  screenshot):
    page = open_me(context, live_server)
    toggle = page.get_by_label("Keep my safety person and crisis plan on this phone")
    expect(toggle).not_to_be_checked()
    expect(page.locator("#keep-explained")).to_contain_text("anyone who can open the phone can read them")
    toggle.check()
    expect(page.locator("#keep-status")).to_contain_text("Kept on this phone")
    assert "Dora Doctor" in page.evaluate(STORED)

    reload_offline(context, page)
    expect(page.locator("#me-note")).to_contain_text("You are offline. This is what you kept on this phone")
    expect(page.locator("#safety-card")).to_contain_text("Dora Doctor")
    expect(page.get_by_role("link", name="Call Dora Doctor")).to_have_attribute("href", "tel:+4723010203")
    expect(page.locator("#emergency").get_by_role("link", name="Call 113")).to_have_attribute("href", "tel:113")
    expect(page.locator('[data-part="reasons_for_living"]')).to_contain_text("My cat")
    expect(page.get_by_label("Keep my safety person and crisis plan on this phone")).to_be_checked()
    shot = screenshot(page, "me-offline")
    assert shot.exists()

    page.get_by_label("Keep my safety person and crisis plan on this phone").uncheck()  # off, still offline
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#me-note")).to_contain_text("You are offline. Your safety person and your crisis plan show")
    expect(page.locator("#safety")).to_be_hidden()
    expect(page.locator("#plan")).to_be_hidden()
    expect(page.locator("#emergency").get_by_role("link", name="Call 113")).to_be_visible()
    assert page.evaluate("localStorage.length") == 0


def test_emergency_numbers_show_offline_without_opting_in(context, live_server, world):
    page = open_me(context, live_server)
    reload_offline(context, page)
    expect(page.locator("#me-note")).to_contain_text("You are offline")
    emergency = page.locator("#emergency")
    expect(emergency.get_by_role("link", name="Call 113")).to_be_visible()
    expect(emergency.get_by_role("link", name="Call 116 117")).to_have_attribute("href", "tel:116117")
    expect(emergency).to_contain_text("Out-of-hours doctor")
    expect(page.locator("#safety")).to_be_hidden()
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0


def test_logging_out_keeps_what_the_patient_chose_to_keep(context, live_server, world):
    page = open_me(context, live_server)
    page.get_by_label("Keep my safety person and crisis plan on this phone").check()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server}/login")
    context.set_offline(True)
    page.goto(f"{live_server}/me")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#safety-card")).to_contain_text("Dora Doctor")
    expect(page.locator("#emergency")).to_contain_text("113")


def test_when_the_safety_person_does_not_answer_people_then_services_then_emergency_numbers(context, live_server,
                                                                                           world):
    page = open_me(context, live_server)
    fallback = page.locator("#no-answer")
    fallback.get_by_text("If Dora Doctor does not answer").click()
    links = fallback.locator("a[href^='tel:']")
    expect(links.first).to_be_visible()
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        "tel:+4740000001", "tel:+4722000000", "tel:113", "tel:116117"]
    expect(fallback.locator(".fallback > li:visible h3")).to_have_text([
        "People I can ask for help", "Professionals and services to contact in a crisis", "Emergency numbers"])


def test_patient_sends_a_suggestion_and_sees_it_answered(context, live_server, world):
    page = open_me(context, live_server)
    page.select_option("#suggest-section", "support_contacts")
    page.fill("#suggest-text", "Please add my neighbour Turid")
    page.get_by_role("button", name="Send my suggestion").click()
    expect(page.locator("#suggest-status")).to_contain_text("Sent.")
    item = page.locator("#suggest-list li").first
    expect(item).to_contain_text("People I can ask for help")
    expect(item).to_contain_text("Please add my neighbour Turid")
    expect(item).to_contain_text("not answered yet")
    expect(page.locator("#suggest-text")).to_have_value("")
    assert query(sa.select(sa.func.count()).select_from(CrisisPlanSuggestion))[0][0] == 1

    pia, nurse = world.pia, world.nurse
    (staff_view,) = world.leader.get(f"/api/v1/patients/{pia.id}/crisis-plan/suggestions").get_json()["items"]
    assert staff_view["text"] == "Please add my neighbour Turid"
    etag = nurse.get(f"/api/v1/patients/{pia.id}/crisis-plan").headers["ETag"]
    new = nurse.put(f"/api/v1/patients/{pia.id}/crisis-plan", headers={"If-Match": etag},
                    json={**PLAN, "support_contacts": [{"name": "Turid", "phone": "+47 400 00 002"}]})
    assert new.status_code == 201
    answered = nurse.post(f"/api/v1/patients/{pia.id}/crisis-plan/suggestions/{staff_view['id']}/answer",
                          json={"version": 2})
    assert answered.status_code == 200
    db.session.rollback()  # end the test's own transaction before the server reads
    page.reload()
    expect(page.locator("#suggest-list li").first).to_contain_text("Answered in version 2 of your plan")
    expect(page.locator('[data-part="support_contacts"]')).to_contain_text("Turid")


def test_empty_suggestion_is_not_sent(context, live_server, world):
    page = open_me(context, live_server)
    page.fill("#suggest-text", "   ")
    page.get_by_role("button", name="Send my suggestion").click()
    expect(page.locator("#suggest-status")).to_contain_text("Write your suggestion first.")
    assert query(sa.select(sa.func.count()).select_from(CrisisPlanSuggestion))[0][0] == 0


def test_access_log_one_line_per_visit_and_the_full_list_one_tap_away(context, live_server, world):
    pia, leader = world.pia, world.leader
    for path in ("", "/contacts", "/relationships", "/crisis-plan"):
        assert leader.get(f"/api/v1/patients/{pia.id}{path}").status_code == 200
    assert world.nurse.get(f"/api/v1/patients/{pia.id}/crisis-plan").status_code == 200
    page = open_me(context, live_server)
    visits = page.locator("#readers-visits li")
    expect(visits).to_have_count(2)
    expect(visits.first).to_contain_text("Nina Nurse, nurse, read your crisis plan, ")
    expect(visits.nth(1)).to_contain_text(
        "Erik Hagen, team leader, looked at your record and read your crisis plan, ")
    assert visits.nth(1).locator("time").get_attribute("datetime").endswith("Z")
    full = page.locator("#readers-list li")
    expect(full.first).to_be_hidden()
    page.get_by_text("Show every entry (5)").click()  # one tap
    expect(full).to_have_count(5)
    expect(full.first).to_be_visible()
    expect(full.first).to_contain_text("Nina Nurse (nurse) read your crisis plan")


def test_a_visit_ends_after_half_an_hour(context, live_server, world):
    page = open_me(context, live_server)
    grouped = page.evaluate("""async () => {
        const { visits } = await import("/static/js/me_log.js");
        const at = (minutes) => new Date(Date.UTC(2026, 11, 3, 10, minutes)).toISOString();
        const read = (who, minutes, action) => ({ who, role: "nurse", action, at: at(minutes) });
        return visits([read("A", 55, "crisis_plan.read"), read("B", 45, "patient.read"), read("A", 40, "patient.read"),
                       read("A", 5, "patient.read")]).map((v) => [v.who, v.items.length]);
    }""")
    assert grouped == [["A", 2], ["B", 1], ["A", 1]]  # A at 10:40 and 10:55 is one visit; 10:05 is another


def serious_findings(page) -> list[str]:
    axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is missing")
    violations = axe_sync.Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in {"serious", "critical"}]


@pytest.mark.parametrize(("lang", "scheme"), [("en", "light"), ("nb", "light"), ("en", "dark")])
def test_the_page_s_new_states_have_no_serious_accessibility_findings(context, live_server, world, lang, scheme):
    """axe-core on what tests/web/test_accessibility.py does not open: the folded parts, a sent suggestion,
    and the page offline from what the phone kept."""
    assert world.leader.get(f"/api/v1/patients/{world.pia.id}/crisis-plan").status_code == 200
    page = context.new_page()
    page.emulate_media(color_scheme=scheme)
    patient_logs_in(page, live_server, lang)
    wait_until_controlled(page)
    page.locator("#no-answer summary").click()
    page.locator("#readers-all summary").click()
    page.fill("#suggest-text", "Add Turid")
    page.locator("#suggest-send").click()
    expect(page.locator("#suggest-list li")).to_have_count(1)
    page.locator("#keep-toggle").check()
    assert serious_findings(page) == []
    reload_offline(context, page)
    expect(page.locator("#safety-card")).to_be_visible()
    page.locator("#no-answer summary").click()
    assert serious_findings(page) == []
