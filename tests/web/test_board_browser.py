"""The ward board at 360×740 in the system Chromium, triage first: the first screen shows the summary and several
patients; a filter by kind; an acknowledged flag confirms beside its card and folds away under its own heading on
the next load, and nothing re-sorts under the finger; the safety-person picker lists the people the patient knows
best first and asks "chosen with the patient" as an explicit yes or no; each maintenance plan with its next due
date; the ward chart one measure at a time with "no data" weeks unlike zero. Flags come from the real rules."""

import shutil
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.continuity.story import add_plan
from tests.support import World
from tests.web.test_browser import query
from tests.web.test_staff_browser import log_in, no_serious_violations
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
DOCS_SHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "board.png"
DAY = timedelta(days=1)


@pytest.fixture
def ward(make):
    """Ward A with eight patients in care, each showing something else; Ward B where Cato came from."""
    ward_a, ward_b = make.ward("Ward A"), make.ward("Ward B")
    nina = make.professional("Nina Nurse", "nurse", [ward_a])
    dora = make.professional("Dora Doctor", "psychiatrist", [ward_a])
    sam = make.professional("Sam Social", "social_worker", [ward_a])
    stranger = make.professional("Dr Stranger", "doctor", [ward_a])
    bob = make.professional("Bob Before", "nurse", [ward_b])
    make.user("tom", "team_leader", wards=[ward_a])
    make.user("nina", "nurse", wards=[ward_a], professional=nina)
    names = ("Anna Berg", "Bo Lund", "Cato Moe", "Dag Nes", "Eli Ryg", "Frida Sæther", "Geir Aas", "Hege Tveit")
    p = {name.split()[0].lower(): make.patient(name, f"ID-{n}") for n, name in enumerate(names)}
    now = utcnow()

    def contact(patient, professional, days_ago, kind="conversation"):
        db.session.add(Contact(client_id=uuid.uuid4(), patient_id=patient.id, professional_id=professional.id,
                               ward_id=ward_a.id, kind=kind, occurred_at=now - days_ago * DAY, received_at=now))

    make.episode(p["anna"], ward_a, started=40 * DAY)  # long stay, no safety person, no plan
    make.episode(p["bo"], ward_a, started=10 * DAY)  # a coercive measure by a stranger
    contact(p["bo"], stranger, 2, "coercive_measure")
    make.episode(p["cato"], ward_b, started=60 * DAY, ended=9 * DAY)  # moved from ward B
    contact(p["cato"], bob, 30)
    make.episode(p["cato"], ward_a, started=8 * DAY)
    make.episode(p["dag"], ward_a, started=5 * DAY)  # knows Sam best, then Dora
    for days in (3, 6, 9, 12, 15):
        contact(p["dag"], sam, days)
    for days in (20, 25):
        contact(p["dag"], dora, days)
    make.episode(p["eli"], ward_a, started=20 * DAY)  # a maintenance plan on time
    contact(p["eli"], nina, 10, "maintenance")
    db.session.add(MaintenancePlan(patient_id=p["eli"].id, professional_id=nina.id, interval_days=90,
                                   started_at=now - 30 * DAY))
    for start, end in ((200, 190), (120, 110)):
        make.episode(p["frida"], ward_a, started=start * DAY, ended=end * DAY)
    make.episode(p["frida"], ward_a, started=6 * DAY)  # three admissions in a year
    make.episode(p["geir"], ward_a, started=15 * DAY)  # nothing wrong
    make.episode(p["hege"], ward_a, started=4 * DAY)  # an old crisis plan
    for name in ("bo", "cato", "eli", "frida", "geir", "hege"):
        make.designation(p[name], nina)
    db.session.commit()
    for name in ("bo", "cato", "eli", "frida", "geir"):
        add_plan(p[name], days_ago=1)
    add_plan(p["hege"], days_ago=200)
    sweep()
    db.session.commit()
    ids = World(**{name: patient.id for name, patient in p.items()}, ward=ward_a.id, sam=sam.id, dora=dora.id,
                nina=nina.id)
    db.session.rollback()
    return ids


def shown(moment):
    """A date as the page shows it in English."""
    return f"{moment:%b} {moment.day}, {moment.year}"


def row(page, patient_id):
    return page.locator(f'li.patient-card[data-patient-id="{patient_id}"]')


def order(page):
    return page.locator("li.patient-card").evaluate_all("rows => rows.map(r => Number(r.dataset.patientId))")


def flag_id(patient_id, code):
    return query(sa.select(Flag.id).where(Flag.patient_id == patient_id, Flag.code == code,
                                          Flag.status != "resolved"))[0][0]


def test_the_first_screen_shows_the_summary_and_several_patients(context, live_server, ward, screenshot):
    page = context.new_page()
    log_in(page, live_server, "tom")
    expect(page.locator("li.patient-card")).to_have_count(8)
    expect(page.locator("#summary-line")).to_have_text("Patients: 8 · open flags: 10 · high: 3")
    assert page.locator("#summary").bounding_box()["y"] < 200
    rows = page.locator("li.patient-card")
    visible = [i for i in range(8) if rows.nth(i).bounding_box()["y"] + rows.nth(i).bounding_box()["height"] <= 740]
    assert len(visible) >= 5, visible  # several whole patients on the first screen
    first = order(page)[:3]
    assert set(first) <= {ward.anna, ward.bo, ward.cato}  # the high flags first
    expect(row(page, ward.anna).locator(".chip.severity-high")).to_contain_text("No safety person")
    expect(row(page, ward.geir).locator(".chips")).to_contain_text("No open flags")
    expect(page.locator("#history-chart .week")).to_have_count(12)
    page.evaluate("window.scrollTo(0, 0)")
    path = Path(str(screenshot(page, "board-first-screen-full")))
    shot = path.with_name("board-first-screen.png")
    page.screenshot(path=str(shot))  # the viewport only: what a phone shows first
    DOCS_SHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, DOCS_SHOT)
    no_serious_violations(page)
    page.emulate_media(color_scheme="dark")
    page.screenshot(path=str(shot.with_name("board-first-screen-dark.png")))
    no_serious_violations(page)


def test_filter_by_kind(context, live_server, ward):
    page = context.new_page()
    log_in(page, live_server, "tom")
    page.locator("#filters button", has_text="No known person").click()
    expect(page.locator("li.patient-card:visible")).to_have_count(1)
    expect(row(page, ward.cato)).to_be_visible()
    expect(page.locator("#board-message")).to_have_text("Showing 1 of 8 patients.")
    expect(page.locator("#filters button", has_text="No known person")).to_have_attribute("aria-pressed", "true")
    page.locator("#filters button", has_text="No crisis plan").click()
    expect(page.locator("li.patient-card:visible")).to_have_count(2)  # Anna and Dag
    page.locator("#filters button", has_text="All").click()
    expect(page.locator("li.patient-card:visible")).to_have_count(8)


def test_acknowledging_confirms_beside_the_card_and_folds_away_on_the_next_load(context, live_server, ward,
                                                                               screenshot):
    page = context.new_page()
    log_in(page, live_server, "tom")
    before = order(page)
    anna = row(page, ward.anna)
    anna.locator("button.row-head").click()
    expect(anna.locator(".row-detail")).to_be_visible()
    acked = flag_id(ward.anna, "no_safety_person")
    item = anna.locator(f'li.flag[data-flag-id="{acked}"]')
    item.locator("button.ack").click()
    page.fill("#flag-note", "Asking her on Monday who she trusts.")
    page.click("#flag-submit")
    expect(page.locator("#flag-dialog")).to_be_hidden()
    expect(item.locator(".confirm")).to_contain_text("Acknowledged.")
    expect(item).to_have_attribute("data-status", "acknowledged")
    assert item.locator(".confirm").bounding_box()["y"] < 740  # beside the card, on screen
    expect(anna.locator(f'.chip[data-flag-id="{acked}"]')).to_have_class("chip severity-high settled")
    resolved = flag_id(ward.anna, "no_crisis_plan")
    anna.locator(f'li.flag[data-flag-id="{resolved}"] button.resolve').click()
    page.fill("#flag-note", "Written on paper; entering it tomorrow.")
    page.click("#flag-submit")
    expect(anna.locator("li.flag-done")).to_have_text("Resolved: No crisis plan.")
    assert order(page) == before  # nothing moved under the finger
    page.screenshot(path=str(Path(str(screenshot(page, "board-settled-full"))).with_name("board-settled.png")))
    assert query(sa.select(Flag.status).where(Flag.id == acked)) == [("acknowledged",)]

    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    anna = row(page, ward.anna)
    expect(anna.locator(".chips")).to_contain_text("1 acknowledged")
    expect(anna.locator(f'.chip[data-flag-id="{acked}"]')).to_have_count(0)
    anna.locator("button.row-head").click()
    fold = anna.locator("details.acknowledged")
    expect(fold.locator("summary")).to_have_text("Acknowledged (1)")
    expect(fold.locator(f'li.flag[data-flag-id="{acked}"]')).to_be_hidden()
    expect(anna.locator(".open-flags > li.flag")).to_have_count(1)  # extensive hospitalisation
    fold.locator("summary").click()
    expect(fold.locator(f'li.flag[data-flag-id="{acked}"]')).to_be_visible()


def test_the_safety_person_picker_lists_known_people_first_and_asks_explicitly(context, live_server, ward):
    page = context.new_page()
    log_in(page, live_server, "tom")
    dag = row(page, ward.dag)
    dag.locator("button.row-head").click()
    dag.locator('.person-line[data-role="safety_person"] button.name').click()
    expect(page.locator("body")).to_have_attribute("data-person-ready", str(ward.dag))
    known = page.locator("#person-professional optgroup").first
    expect(known).to_have_attribute("label", "Knows best (last year)")
    options = known.locator("option")
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_contain_text("Sam Social · Social worker · 5 contacts, last")
    expect(options.nth(1)).to_contain_text("Dora Doctor")
    expect(page.locator("#person-chosen-yes")).not_to_be_checked()
    expect(page.locator("#person-chosen-no")).not_to_be_checked()
    page.select_option("#person-professional", str(ward.sam))
    page.click("#person-form button[type=submit]")
    expect(page.locator("#person-dialog-message")).to_have_text("Say whether the patient chose this person.")
    page.check("#person-chosen-no")
    page.click("#person-form button[type=submit]")
    expect(page.locator("#person-dialog")).to_be_hidden()
    dag = row(page, ward.dag)
    expect(dag.locator(".confirm")).to_have_text("Saved: Safety person Sam Social.")
    expect(dag.locator('.person-line[data-role="safety_person"]')).to_contain_text("Sam Social")
    expect(dag.locator(".row-detail")).to_be_visible()
    [(professional, chosen)] = query(sa.select(Designation.professional_id, Designation.chosen_by_patient).where(
        Designation.patient_id == ward.dag, Designation.kind == "safety_person", Designation.ended_at.is_(None)))
    assert (professional, chosen) == (ward.sam, False)


def test_each_plan_shows_its_next_due_date_and_the_form_asks_which_contacts_count(context, live_server, ward):
    page = context.new_page()
    log_in(page, live_server, "tom")
    eli = row(page, ward.eli)
    eli.locator("button.row-head").click()
    due = shown(utcnow() + 80 * DAY)
    expect(eli.locator(".plan-dues li")).to_have_count(1)
    expect(eli.locator(".plan-dues li")).to_contain_text(f"Nina Nurse: at least every 90 days next due {due}")
    expect(eli.locator(".plan-dues li")).to_contain_text("maintenance contacts count")
    eli.locator("button.plans-button").click()
    page.select_option("#plan-professional", str(ward.sam))
    page.fill("#plan-interval", "14")
    page.click("#plan-form button[type=submit]")
    expect(page.locator("#plan-dialog-message")).to_have_text("Say which contacts count.")
    page.check("#plan-counts-any")
    page.click("#plan-form button[type=submit]")
    expect(page.locator("#plan-list li[data-plan-id]")).to_have_count(2)
    expect(page.locator("#plan-list")).to_contain_text("any contact counts")
    page.locator("#plan-dialog button.cancel").click()
    eli = row(page, ward.eli)
    expect(eli.locator(".confirm")).to_have_text("Maintenance plans saved.")
    expect(eli.locator(".plan-dues li")).to_have_count(2)
    soon = shown(utcnow() + 14 * DAY)
    expect(eli.locator(".plan-dues li").first).to_contain_text(f"Sam Social: at least every 14 days next due {soon}")
    [(counts,)] = query(sa.select(MaintenancePlan.any_contact_counts).where(
        MaintenancePlan.professional_id == ward.sam))
    assert counts is True


def test_the_ward_chart_shows_one_measure_with_no_data_unlike_zero(context, live_server, ward, screenshot):
    page = context.new_page()
    log_in(page, live_server, "tom")
    chart = page.locator("#history-chart")
    expect(chart).to_have_attribute("data-measure", "safety_person_share")
    expect(page.locator("#history-caption")).to_contain_text("safety person")
    states = chart.locator(".week").evaluate_all("weeks => weeks.map(w => w.dataset.state)")
    assert states[0] == "none" and "zero" in states and states[-1] == "value", states
    page.get_by_label("Median KPC").check()
    expect(chart).to_have_attribute("data-measure", "median_kpc")
    kpc = chart.locator(".week").evaluate_all("weeks => weeks.map(w => w.dataset.state)")
    assert kpc != states and "none" in kpc
    none = chart.locator('.week[data-state="none"] .bar').first.bounding_box()
    assert none["height"] > 100  # hatched over the whole height, never a short bar
    expect(page.locator(".chart-scale")).to_contain_text("100%")
    page.locator("#history").scroll_into_view_if_needed()
    page.screenshot(path=str(Path(str(screenshot(page, "board-chart-full"))).with_name("board-chart.png")))
