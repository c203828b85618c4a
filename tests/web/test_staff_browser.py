"""The staff pages in the system Chromium: the team leader's board (flags, key people, maintenance plans, the ward
picture) and the patient page (key people, timeline, measures, flags, crisis plan); screenshots and axe checks."""

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.support import Factories, World
from tests.web.test_browser import query
from wardtrack.contacts.models import Contact
from wardtrack.continuity.models import Flag
from wardtrack.continuity.operations import sweep
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.patients.models import Designation
from wardtrack.reminders.models import MaintenancePlan

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")
expect = sync_api.expect
pytestmark = pytest.mark.browser
SERIOUS = {"serious", "critical"}
PLAN = {"warning_signs": ["I stop sleeping"], "coping_strategies": ["A long walk by the river"],
        "support_contacts": [{"name": "My sister Kari", "phone": "+47 400 00 001"}],
        "treatment_refusals": "No depot injections.", "reviewed_with_patient": True}


@pytest.fixture
def ward(make, login):
    """Ward A with a team leader and a nurse; Anna Berg with contacts over a year, Ola Dahl with none;
    Per Ås on ward B. Flags come from the real rules (a sweep)."""
    ward_a, ward_b = make.ward("Ward A"), make.ward("Ward B")
    nina = make.professional("Nina Nurse", "nurse", [ward_a])
    dora = make.professional("Dora Doctor", "psychiatrist", [ward_a])
    sam = make.professional("Sam Social", "social_worker", [ward_a])
    make.user("tom", "team_leader", wards=[ward_a])
    nurse = make.user("nina", "nurse", wards=[ward_a], professional=nina)
    anna, ola, per = make.patient("Anna Berg", "AB-1"), make.patient("Ola Dahl", "OD-1"), make.patient("Per Ås", "PA-9")
    make.episode(anna, ward_a, started=timedelta(days=60))
    make.episode(ola, ward_a, started=timedelta(days=5))
    make.episode(per, ward_b, started=timedelta(days=5))
    make.designation(anna, nina, kind="primary_contact", chosen_by_patient=False)
    now = utcnow()
    seen = {nina: (1, 5, 20), dora: (3, 40, 200), sam: (10,)}  # days ago: six within 90 days, seven within a year
    for professional, days in seen.items():
        for ago in days:
            db.session.add(Contact(client_id=uuid.uuid4(), patient_id=anna.id, professional_id=professional.id,
                                   ward_id=ward_a.id, kind="conversation", occurred_at=now - timedelta(days=ago),
                                   received_at=now))
    db.session.commit()
    sweep()
    db.session.commit()
    # Plain ids: touching an expired ORM object later would open a transaction in the test's thread, and on
    # SQLite that holds the write lock the server's requests wait for.
    ids = World(ward=ward_a.id, anna=anna.id, ola=ola.id, per=per.id, nina=nina.id, dora=dora.id, sam=sam.id,
                nurse_api=login(nurse))
    db.session.rollback()
    return ids


def log_in(page, base, username, lang="en", next_path="/board"):
    db.session.rollback()  # end the fixtures' read transaction before the server writes
    page.goto(f"{base}/language?lang={lang}&next=/login%3Fnext%3D{next_path.replace('/', '%2F')}")
    page.fill("#username", username)
    page.fill("#password", Factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base}{next_path}")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def no_serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    violations = [v for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations]


def flag_row(page, patient_id, code):
    flag_id = query(sa.select(Flag.id).where(Flag.patient_id == patient_id, Flag.code == code,
                                             Flag.status != "resolved"))[0][0]
    return flag_id, page.locator(f'li.flag[data-flag-id="{flag_id}"]')


def expand(page, patient_id):
    """Open a patient's row on the board: its flags, key people and plans show on a tap."""
    page.locator(f'li.patient-card[data-patient-id="{patient_id}"] button.row-head').click()


def test_team_leader_acknowledges_and_resolves_flags(context, live_server, ward):
    page = context.new_page()
    log_in(page, live_server, "tom")
    cards = page.locator("li.patient-card")
    expect(cards).to_have_count(2)
    expand(page, ward.anna)
    flag_id, row = flag_row(page, ward.anna, "no_safety_person")
    expect(row).to_contain_text("No safety person")

    row.locator("button.ack").click()
    expect(page.locator("#flag-dialog")).to_be_visible()
    page.click("#flag-submit")  # no note yet
    expect(page.locator("#flag-dialog-message")).to_have_text("Write a note.")
    page.fill("#flag-note", "Talked with Anna about who she trusts; asking Nina on Monday.")
    page.click("#flag-submit")
    expect(page.locator("#flag-dialog")).to_be_hidden()
    expect(row).to_have_attribute("data-status", "acknowledged")
    expect(row).to_contain_text("Acknowledged")
    expect(row.locator("button.ack")).to_have_count(0)
    [(status, note)] = query(sa.select(Flag.status, Flag.acknowledge_note).where(Flag.id == flag_id))
    assert status == "acknowledged" and note.startswith("Talked with Anna")

    plan_flag, plan_row = flag_row(page, ward.anna, "no_crisis_plan")
    plan_row.locator("button.resolve").click()
    page.fill("#flag-note", "Plan is written on paper; entering it tomorrow.")
    page.click("#flag-submit")
    expect(page.locator("#flag-dialog")).to_be_hidden()
    expect(plan_row).to_have_count(0)
    [(status, note)] = query(sa.select(Flag.status, Flag.resolve_note).where(Flag.id == plan_flag))
    assert status == "resolved" and note == "Plan is written on paper; entering it tomorrow."

    # A flag settled elsewhere meanwhile: 409, said in the dialog, and the board reloads.
    expand(page, ward.ola)
    other_flag, other_row = flag_row(page, ward.ola, "no_safety_person")
    other_row.locator("button.resolve").click()
    db.session.execute(sa.update(Flag).where(Flag.id == other_flag).values(status="resolved", resolved_at=utcnow()))
    db.session.commit()
    db.session.rollback()
    page.fill("#flag-note", "Done.")
    page.click("#flag-submit")
    expect(page.locator("#flag-dialog-message")).to_contain_text("changed this meanwhile")


def test_team_leader_names_a_safety_person_and_sets_a_maintenance_plan(context, live_server, ward):
    page = context.new_page()
    log_in(page, live_server, "tom")
    card = page.locator(f'li.patient-card[data-patient-id="{ward.ola}"]')
    expand(page, ward.ola)
    line = card.locator('.person-line[data-role="safety_person"]')
    expect(line).to_contain_text("Not named")
    line.locator("button.name").click()
    page.select_option("#person-professional", str(ward.dora))
    page.check("#person-chosen-yes")  # an explicit choice now, never a default
    page.click("#person-form button[type=submit]")
    expect(page.locator("#person-dialog")).to_be_hidden()
    expect(line).to_contain_text("Dora Doctor")
    [(professional, chosen)] = query(sa.select(Designation.professional_id, Designation.chosen_by_patient).where(
        Designation.patient_id == ward.ola, Designation.kind == "safety_person", Designation.ended_at.is_(None)))
    assert professional == ward.dora and chosen is True

    card.locator("button.plans-button").click()
    expect(page.locator("#plan-list")).to_contain_text("No maintenance plans.")
    expect(page.locator("#plan-interval")).to_have_value("182")
    page.select_option("#plan-professional", str(ward.sam))
    page.fill("#plan-interval", "800")
    page.click("#plan-form button[type=submit]")
    expect(page.locator("#plan-dialog-message")).to_contain_text("7 to 730")
    page.fill("#plan-interval", "90")
    page.check("#plan-counts-maintenance")  # which contacts count: asked, never a default
    page.click("#plan-form button[type=submit]")
    expect(page.locator("#plan-list li[data-plan-id]")).to_have_count(1)
    expect(page.locator("#plan-list")).to_contain_text("Sam Social: at least every 90 days")
    [(professional, interval)] = query(sa.select(MaintenancePlan.professional_id, MaintenancePlan.interval_days)
                                       .where(MaintenancePlan.patient_id == ward.ola))
    assert (professional, interval) == (ward.sam, 90)
    page.select_option("#plan-professional", str(ward.sam))
    page.click("#plan-form button[type=submit]")  # the same professional again: 409, shown
    expect(page.locator("#plan-dialog-message")).to_contain_text("already active")
    page.locator("#plan-list button.end-plan").click()
    expect(page.locator("#plan-list")).to_contain_text("No maintenance plans.")
    assert query(sa.select(MaintenancePlan.ended_at))[0][0] is not None


def test_nurse_sees_the_board_read_only(context, live_server, ward):
    page = context.new_page()
    log_in(page, live_server, "nina", next_path="/board")
    expect(page.locator("#read-only")).to_be_visible()
    expect(page.locator("li.patient-card")).to_have_count(2)
    expect(page.locator("button.ack, button.resolve, button.name, button.plans-button")).to_have_count(0)


def test_patient_page_shows_people_timeline_measures_flags_and_plan(context, live_server, ward, screenshot):
    api = ward.nurse_api
    assert api.put(f"/api/v1/patients/{ward.anna}/crisis-plan", json=PLAN).status_code == 201
    page = context.new_page()
    log_in(page, live_server, "nina", next_path=f"/patients/{ward.anna}")
    expect(page.locator("#patient-name")).to_have_text("Anna Berg")
    expect(page.locator('#key-people dd[data-role="primary_contact"]')).to_contain_text("Nina Nurse")
    expect(page.locator('#key-people dd[data-role="safety_person"]')).to_contain_text("Not named")
    svg = page.locator("#timeline svg")
    expect(svg).to_have_attribute("data-rows", "3")
    expect(svg.locator("g.row")).to_have_count(3)
    expect(svg.locator("rect.mark")).to_have_count(6)
    expect(svg.locator("rect.mark.prof-psychiatrist")).to_have_count(2)
    expect(page.locator("#timeline-legend li:not([hidden])")).to_have_count(3)
    expect(page.locator("#timeline-table tbody tr")).to_have_count(3)
    expect(page.locator("#timeline-summary")).to_contain_text("6 contacts with 3 professionals")
    page.get_by_label("1 year").check()
    expect(page.locator("#timeline svg rect.mark")).to_have_count(7)
    expect(page.locator("#timeline svg g.row")).to_have_count(3)
    screenshot(page, "patient-year-en")
    expect(page.locator('[data-measure="contacts"] .value')).to_have_text("6")
    expect(page.locator('[data-measure="distinct_professionals"] .value')).to_have_text("3")
    expect(page.locator("#flags")).to_contain_text("No safety person")
    expect(page.locator('#plan [data-field="warning_signs"]')).to_contain_text("I stop sleeping")
    expect(page.locator('#plan [data-field="support_contacts"] a[href^="tel:"]')).to_have_text("+47 400 00 001")
    expect(page.locator("#plan-meta")).to_contain_text("Version 1")
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0

    page.goto(f"{live_server}/patients/{ward.per}")  # another ward's patient
    expect(page.locator("#page-message")).to_have_text("Patient not found, or not on your wards.")
    expect(page.locator("#patient")).to_be_hidden()


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_screens_and_accessibility(context, live_server, ward, screenshot, lang):
    ward.nurse_api.put(f"/api/v1/patients/{ward.anna}/crisis-plan", json=PLAN)
    page = context.new_page()
    log_in(page, live_server, "tom", lang=lang)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("#history-table tbody tr")).to_have_count(12)
    screenshot(page, f"board-{lang}")
    no_serious_violations(page)
    page.locator("li.patient-card button.row-head").first.click()
    page.locator("li.patient-card button.ack").first.click()
    screenshot(page, f"board-dialog-{lang}")
    no_serious_violations(page)
    page.keyboard.press("Escape")

    page.goto(f"{live_server}/patients/{ward.anna}")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.locator("#timeline-table").evaluate("table => table.closest('details').open = true")
    screenshot(page, f"patient-{lang}")
    no_serious_violations(page)
    page.emulate_media(color_scheme="dark")
    screenshot(page, f"patient-dark-{lang}")
    no_serious_violations(page)
