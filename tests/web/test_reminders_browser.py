"""The reminders page in the system Chromium: a professional snoozes one reminder and marks another done, the
team leader sees the ward's reminders and a daily digest, a patient is told the page is not for her, and
"notify me on this phone" degrades calmly where there is no push service; screenshots and axe checks."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.reminders.conftest import due_plan
from tests.support import Factories, World
from tests.web.test_browser import query
from tests.web.test_staff_browser import no_serious_violations
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.notifications.models import Digest
from wardtrack.reminders.models import Reminder
from wardtrack.reminders.sweep import sweep_reminders

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")
expect = sync_api.expect
pytestmark = pytest.mark.browser


@pytest.fixture
def ward(make):
    """Ward A: Peter the psychologist (a login of his own) with due maintenance plans for Anna and Ola, the
    team leader Tom, Nina the nurse with nothing due, Pia the patient; and yesterday's digest of ward A."""
    ward_a = make.ward("Ward A")
    peter = make.professional("Peter Psychologist", "psychologist", [ward_a])
    make.user("peter", "nurse", wards=[ward_a], professional=peter)
    make.user("tom", "team_leader", wards=[ward_a])
    make.user("nina", "nurse", wards=[ward_a], professional=make.professional("Nina Nurse", "nurse", [ward_a]))
    anna, ola = make.patient("Anna Berg", "AB-1"), make.patient("Ola Dahl", "OD-1")
    for patient in (anna, ola):
        make.episode(patient, ward_a, started=timedelta(days=300))
    make.user("pia", "patient", patient=ola)
    plans = {"anna": due_plan(anna, peter, days_ago=200).id, "ola": due_plan(ola, peter, days_ago=170).id}
    sweep_reminders(utcnow())
    now = utcnow()
    db.session.add(Digest(ward_id=ward_a.id, local_date=(now - timedelta(days=1)).date(),
                          since_at=now - timedelta(days=2), created_at=now - timedelta(days=1), new_flags=3))
    db.session.commit()
    reminders = dict(db.session.execute(sa.select(Reminder.plan_id, Reminder.id)).all())
    ids = World(ward=ward_a.id, anna=anna.id, ola=ola.id, anna_reminder=reminders[plans["anna"]],
                ola_reminder=reminders[plans["ola"]])
    db.session.rollback()  # no read transaction left to hold up the server's writes on SQLite
    return ids


def open_page(context, base, username, lang="en"):
    context.add_cookies([{"name": "lang", "value": lang, "url": base}])
    response = context.request.post(f"{base}/api/v1/auth/login",
                                    data={"username": username, "password": Factories.PASSWORD})
    assert response.ok, response.text()
    page = context.new_page()
    page.goto(f"{base}/reminders")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    return page


def card(page, reminder_id):
    return page.locator(f'li.reminder[data-reminder-id="{reminder_id}"]')


def stored(reminder_id):
    [(status, until)] = query(sa.select(Reminder.status, Reminder.snoozed_until).where(Reminder.id == reminder_id))
    return status, until


def test_professional_snoozes_one_and_marks_another_done(context, live_server, ward, screenshot):
    page = open_page(context, live_server, "peter")
    anna, ola = card(page, ward.anna_reminder), card(page, ward.ola_reminder)
    expect(page.locator("#open-list li.reminder")).to_have_count(2)
    expect(anna).to_contain_text("Maintenance contact due")
    expect(anna.locator("a.reminder-patient")).to_have_text("Anna Berg")
    expect(anna.locator("a.reminder-patient")).to_have_attribute("href", f"/patients/{ward.anna}")
    expect(anna).to_contain_text("With Peter Psychologist")
    expect(page.locator("#snoozed-none")).to_have_text("No snoozed reminders.")

    # Snooze Anna's: the date field starts a week ahead; a date past 90 days is refused next to the field.
    anna.locator("button.snooze").click()
    field = anna.locator("input[type=date]")
    expect(field).to_be_focused()
    week = (utcnow() + timedelta(days=7)).date()
    assert abs((date.fromisoformat(field.input_value()) - week).days) <= 1
    field.fill((utcnow() + timedelta(days=120)).date().isoformat())
    anna.locator("button[type=submit]").click()
    expect(anna.locator(".field-error")).to_contain_text("at most 90 days")
    expect(field).to_have_attribute("aria-invalid", "true")
    screenshot(page, "reminders-snooze-en")
    assert stored(ward.anna_reminder)[0] == "open"
    until = (utcnow() + timedelta(days=14)).date()
    field.fill(until.isoformat())
    anna.locator("button[type=submit]").click()
    snoozed = page.locator(f'#snoozed-list li.reminder[data-reminder-id="{ward.anna_reminder}"]')
    expect(snoozed).to_have_attribute("data-status", "snoozed")
    expect(snoozed).to_contain_text("Snoozed until")
    expect(page.locator("#open-list li.reminder")).to_have_count(1)
    assert stored(ward.anna_reminder) == ("snoozed", until)

    # Ola's is done: it leaves the page, and the database says done.
    ola.locator("button.done").click()
    expect(ola).to_have_count(0)
    expect(page.locator("#reminders-message")).to_have_text("Marked as done.")
    expect(page.locator("#open-none")).to_have_text("No open reminders.")
    assert stored(ward.ola_reminder)[0] == "done"

    # One closed meanwhile (a contact, or the plan ended): the page says so and reloads.
    db.session.execute(sa.update(Reminder).where(Reminder.id == ward.anna_reminder)
                       .values(status="closed", closed_at=utcnow()))
    db.session.commit()
    snoozed.locator("button.done").click()
    expect(page.locator("#reminders-message")).to_contain_text("already closed")
    expect(page.locator("li.reminder")).to_have_count(0)
    expect(page.locator("#digests")).to_be_hidden()  # digests are for team leaders
    no_serious_violations(page)


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_team_leader_sees_the_wards_reminders_and_digest(context, live_server, ward, screenshot, lang):
    page = open_page(context, live_server, "tom", lang)
    expect(page.locator("#open-list li.reminder")).to_have_count(2)
    expect(card(page, ward.ola_reminder).locator("a.reminder-patient")).to_have_text("Ola Dahl")
    digest = page.locator("#digest-list li")
    expect(digest).to_have_count(1)
    expect(digest).to_contain_text("Ward A")
    expect(digest).to_contain_text("3 new flags" if lang == "en" else "3 nye flagg")
    expect(page.locator("#push-state")).not_to_be_empty()
    expect(page.locator('nav a[href="/reminders"]')).to_have_attribute("aria-current", "page")
    page.wait_for_load_state("networkidle")
    screenshot(page, f"reminders-{lang}")
    no_serious_violations(page)


def test_a_nurse_with_nothing_due_and_a_patient(context, live_server, ward):
    page = open_page(context, live_server, "nina")
    expect(page.locator("#open-none")).to_have_text("No open reminders.")
    patient = context.browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = open_page(patient, live_server, "pia")
        expect(page.locator("#reminders-message")).to_contain_text("Reminders are for the staff of a ward")
        expect(page.locator("li.reminder")).to_have_count(0)
        expect(page.locator("#push")).to_be_hidden()
    finally:
        patient.close()


def test_notifications_without_permission_or_push_service_degrade_calmly(app, context, live_server, ward):
    """Headless Chromium has no push service: each way of failing is said plainly, and the list stays."""
    page = open_page(context, live_server, "peter")
    toggle = page.locator("#push-toggle")
    expect(page.locator("#push-state")).to_have_text("Notifications are off for this phone.")
    expect(toggle).to_have_text("Notify me on this phone")
    toggle.click()  # permission not granted: the browser says no
    expect(page.locator("#push-state")).to_contain_text("blocked")

    context.grant_permissions(["notifications"], origin=live_server)
    app.config.update(VAPID_PRIVATE_KEY=None, WARDTRACK_ENV="production")  # no key, and no development one
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.locator("#push-toggle").click()  # no VAPID key on the server: 503
    expect(page.locator("#push-state")).to_contain_text("not set up on this server")

    from wardtrack.notifications import push

    app.config.update(VAPID_PRIVATE_KEY=push.generate_vapid_key(), WARDTRACK_ENV="development")
    page.locator("#push-toggle").click()  # a key, but no push service to subscribe with
    expect(page.locator("#push-state")).to_contain_text("could not be signed up", timeout=20_000)
    expect(page.locator("#push-toggle")).to_be_enabled()
    expect(page.locator("#open-list li.reminder")).to_have_count(2)
