"""The crisis-plan editor in the system Chromium at 360×740: a nurse writes the plan with the patient through the
page (phone numbers and "gone through with the patient" checked beside their fields), a team leader saves a
version through the API meanwhile, the nurse's save gets 412 and is merged section by section, and the patient
then reads the merged plan on /me."""


import pytest
import sqlalchemy as sa

from tests.support import World
from tests.web.test_browser import query
from tests.web.test_patient_app_browser import patient_logs_in
from tests.web.test_staff_browser import log_in, no_serious_violations
from wardtrack.crisisplans.models import CrisisPlanVersion
from wardtrack.extensions import db

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")
expect = sync_api.expect
pytestmark = pytest.mark.browser
SUGGESTIONS = "/api/v1/patients/<int:patient_id>/crisis-plan/suggestions"


@pytest.fixture
def world(app, make, login):
    """Ward A with a nurse and a team leader; Pia admitted there, with her own login."""
    world = make.pia_world(leader=("tom", "Tom Leader"))
    has_suggestions = any(rule.rule == SUGGESTIONS for rule in app.url_map.iter_rules())
    return World(pia=world.pia.id, leader_api=login(world.leader), patient_api=login(world.pia_user),
                 nurse_api=login(world.nurse), suggestions=has_suggestions)


def done(response):
    """A test-client request shares the test's app context and session: end what it left open, as the server's
    own teardown would, so that no transaction of this thread holds SQLite's write lock against the page."""
    db.session.rollback()
    return response


def versions(patient_id):
    return [row.version for row in query(sa.select(CrisisPlanVersion.version)
                                         .where(CrisisPlanVersion.patient_id == patient_id)
                                         .order_by(CrisisPlanVersion.version))]


def test_plan_written_merged_after_412_and_read_by_the_patient(context, live_server, world, screenshot):
    pia, leader = world.pia, world.leader_api
    plan_url = f"/api/v1/patients/{pia}/crisis-plan"
    if world.suggestions:
        sent = done(world.patient_api.post("/api/v1/me/crisis-plan/suggestions",
                                              json={"section": "coping_strategies", "text": "Listening to music"}))
        assert sent.status_code == 201, sent.get_json()
    page = context.new_page()
    log_in(page, live_server, "nina", next_path=f"/patients/{pia}/crisis-plan")
    expect(page.locator("#cp-patient")).to_have_text("Pia Patient")
    expect(page.locator("#cp-base")).to_contain_text("No crisis plan yet")
    expect(page.locator("#cp-save")).to_have_text("Save as version 1")

    # The first version: a wrong phone number and no answer to "with the patient" are refused beside the fields.
    page.fill("#cp-warning_signs", "I stop sleeping\n\n  I stay in my room  ")
    people = page.locator('[data-field="support_contacts"]')
    people.get_by_label("Name").fill("My sister Kari")
    people.get_by_label("Phone").fill("40")
    page.fill("#cp-treatment_refusals", "No depot injections.")
    page.locator('input[name="pca"][value="yes"]').check()
    page.fill("#cp-pca-how", "Call the ward.")
    page.click("#cp-save")
    expect(page.locator("#cp-status")).to_have_text("Not saved: check the marked fields.")
    expect(people.locator(".phone-error")).to_have_text("A phone number has 3 to 15 digits; this one has 2.")
    expect(people.get_by_label("Phone")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#cp-reviewed-error")).to_contain_text("Choose yes or no")
    screenshot(page, "crisis-plan-errors-en")
    assert versions(pia) == []
    people.get_by_label("Phone").fill("+47 400 00 001")
    page.locator('input[name="reviewed"][value="yes"]').check()
    page.click("#cp-save")
    expect(page.locator("#cp-status")).to_have_text("Saved as version 1.")
    expect(page.locator("#cp-save")).to_have_text("Save as version 2")
    expect(page.locator("#cp-versions li")).to_have_count(1)
    expect(page.locator("#cp-versions li").first).to_contain_text("Nina Nurse, nurse · gone through with the patient")
    first = done(leader.get(plan_url))
    assert first.get_json()["warning_signs"] == ["I stop sleeping", "I stay in my room"]
    assert first.get_json()["support_contacts"] == [{"name": "My sister Kari", "phone": "+47 400 00 001"}]
    assert first.get_json()["patient_controlled_admission"]["agreed"] is True
    assert first.get_json()["reviewed_with_patient"] is True

    # A second writer saves version 2 meanwhile: other warning signs and a note.
    second = done(leader.put(plan_url, headers={"If-Match": first.headers["ETag"]}, json={
        **{k: v for k, v in first.get_json().items() if k not in ("version", "created_at", "created_by")},
        "warning_signs": ["I stop sleeping", "I stop answering the phone"], "note": "Written with Tom on the ward.",
        "reviewed_with_patient": False}))
    assert second.status_code == 201, second.get_json()

    # The nurse, still on version 1, changes the warning signs and what she can do herself, and saves: 412.
    page.fill("#cp-warning_signs", "I stop sleeping\nI stay in my room\nI give things away")
    page.fill("#cp-coping_strategies", "A long walk by the river")
    page.locator('input[name="reviewed"][value="yes"]').check()
    page.click("#cp-save")
    merge = page.locator("#cp-merge")
    expect(merge).to_be_visible()
    expect(page.locator("#cp-merge-intro")).to_contain_text("Tom Leader saved version 2")
    asked = merge.locator("fieldset.merge-section")
    expect(asked).to_have_count(1)  # only the warning signs were changed by both
    expect(asked.locator("legend")).to_have_text("Warning signs")
    expect(asked.locator(".merge-choice.theirs")).to_contain_text("I stop answering the phone")
    expect(asked.locator(".merge-choice.mine")).to_contain_text("I give things away")
    expect(page.locator("#cp-save")).to_be_disabled()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "crisis-plan-merge-en")
    no_serious_violations(page)
    asked.locator('.merge-choice.mine input').check()
    page.click("#cp-merge-apply")
    expect(merge).to_be_hidden()
    expect(page.locator("#cp-status")).to_have_text("Merged onto version 2: check the plan and save.")
    expect(page.locator("#cp-note")).to_have_value("Written with Tom on the ward.")  # theirs, only they changed it
    expect(page.locator("#cp-coping_strategies")).to_have_value("A long walk by the river")  # mine
    expect(page.locator("#cp-save")).to_have_text("Save as version 3")
    page.click("#cp-save")
    expect(page.locator("#cp-status")).to_have_text("Saved as version 3.")
    expect(page.locator("#cp-versions li")).to_have_count(3)
    expect(page.locator("#cp-versions li").nth(1)).to_contain_text("Tom Leader, team leader · not gone through")
    assert versions(pia) == [1, 2, 3]
    merged = done(leader.get(plan_url)).get_json()
    assert merged["warning_signs"] == ["I stop sleeping", "I stay in my room", "I give things away"]
    assert merged["coping_strategies"] == ["A long walk by the river"]
    assert merged["note"] == "Written with Tom on the ward." and merged["reviewed_with_patient"] is True
    assert merged["created_by"] == {"name": "Nina Nurse", "role": "nurse"}

    if world.suggestions:  # the patient's suggestion is shown, and marked answered by the new version
        suggestion = page.locator("#cp-suggestion-list li.suggestion")
        expect(suggestion).to_contain_text("Listening to music")
        suggestion.get_by_role("button", name="Answered by version 3").click()
        expect(suggestion).to_contain_text("Marked as answered.")
        listed = done(leader.get(f"{plan_url}/suggestions")).get_json()["items"]
        assert [(s["status"], s["answered_version"]) for s in listed] == [("answered", 3)]
    screenshot(page, "crisis-plan-saved-en")

    # The patient reads the merged plan on their own page.
    own = context.browser.new_context(viewport={"width": 360, "height": 740})
    try:
        mine = own.new_page()
        patient_logs_in(mine, live_server)
        plan = mine.locator("#plan-body")
        expect(plan.locator('[data-part="warning_signs"] li')).to_have_text(
            ["I stop sleeping", "I stay in my room", "I give things away"])
        expect(plan).to_contain_text("Written with Tom on the ward.")
        expect(plan).to_contain_text("A long walk by the river")
        expect(mine.locator("#plan-version")).to_contain_text("Version 3")
    finally:
        own.close()


def test_team_leader_writes_offline_then_online_and_two_first_versions_merge(context, live_server, world):
    pia = world.pia
    page = context.new_page()
    log_in(page, live_server, "tom", next_path=f"/patients/{pia}/crisis-plan")
    services = page.locator('[data-field="professional_contacts"]')
    services.get_by_label("Name").fill("Crisis team")
    services.get_by_label("Phone").fill("113")
    services.get_by_label("When to call").fill("At night")
    page.click('[data-field="professional_contacts"] button.add')
    expect(services.locator(".contact-row")).to_have_count(2)
    services.locator(".contact-row").nth(1).get_by_label("Name").fill("Out-of-hours doctor")
    services.locator(".contact-row").nth(1).get_by_label("Phone").fill("116 117")
    page.locator('input[name="reviewed"][value="no"]').check()
    context.set_offline(True)  # the network drops: nothing is lost, and it says so beside the button
    page.click("#cp-save")
    expect(page.locator("#cp-status")).to_have_text(
        "No network: not saved. Your text stays here; save again when you are online.")
    expect(services.locator(".contact-row").nth(1).get_by_label("Phone")).to_have_value("116 117")
    context.set_offline(False)
    # Meanwhile a nurse writes the first version through the API: the page's save is refused (428, it had no
    # version to name), and as the two changed different sections both are kept.
    first = done(world.nurse_api.put(f"/api/v1/patients/{pia}/crisis-plan",
                                        json={"note": "From the ward round.", "reviewed_with_patient": False}))
    assert first.status_code == 201, first.get_json()
    page.click("#cp-save")
    expect(page.locator("#cp-merge-intro")).to_contain_text("You changed different sections, so both are kept")
    expect(page.locator("#cp-merge-taken")).to_have_text("Taken over from their version: Note.")
    expect(page.locator("#cp-merge fieldset")).to_have_count(0)
    page.click("#cp-merge-apply")
    expect(page.locator("#cp-note")).to_have_value("From the ward round.")
    page.click("#cp-save")
    expect(page.locator("#cp-status")).to_have_text("Saved as version 2.")
    latest = done(world.leader_api.get(f"/api/v1/patients/{pia}/crisis-plan")).get_json()
    assert latest["note"] == "From the ward round."
    contacts = latest["professional_contacts"]
    assert contacts == [{"name": "Crisis team", "phone": "113", "when": "At night"},
                        {"name": "Out-of-hours doctor", "phone": "116 117"}]
    assert latest["reviewed_with_patient"] is False


def test_a_refusal_by_the_server_is_shown_beside_its_field(context, live_server, world):
    page = context.new_page()
    log_in(page, live_server, "tom", next_path=f"/patients/{world.pia}/crisis-plan")
    page.locator('input[name="pca"][value="yes"]').check()
    # A ward that is gone by the time of saving: only the server can know.
    page.locator("#cp-pca-ward").evaluate("select => select.append(new Option('Ward Gone', '99999'))")
    page.select_option("#cp-pca-ward", "99999")
    page.locator('input[name="reviewed"][value="yes"]').check()
    page.click("#cp-save")
    expect(page.locator("#cp-status")).to_have_text("Not saved: check the marked fields.")
    expect(page.locator("#cp-pca-ward-error")).to_contain_text("No such ward: 99999.")
    expect(page.locator("#cp-pca-ward")).to_have_attribute("aria-invalid", "true")
    assert versions(world.pia) == []
