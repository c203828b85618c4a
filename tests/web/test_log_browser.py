"""/log in the system Chromium at 360×740, as a nurse on a shift uses it: one tap is one contact, the time is the
moment of saving unless changed, each contact's fate is told beside the button in plain words, Undo takes a
contact out of the measures, Who and Kind return to their defaults, the ward's list survives an offline reload,
patients of one name can be told apart; a first visit and each role land on a page that works."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.support import Factories, World
from tests.web.test_browser import contacts_stored, query, wait_until_controlled
from wardtrack.contacts.models import Contact
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Ward
from wardtrack.patients.models import Episode

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")
expect = sync_api.expect
pytestmark = pytest.mark.browser


@pytest.fixture
def ward(make):
    """Ward A: Nina (a nurse who is also a professional), Dora (a doctor), Tom (team leader), Ada (admin), and
    three patients, two of them named Kari Solheim, in their rooms; Pia has a login of her own."""
    ward, other = make.ward("Ward A"), make.ward("Ward B")
    nina = make.professional("Nina Nurse", "nurse", [ward])
    make.professional("Dora Doctor", "psychiatrist", [ward])
    make.user("nina", "nurse", wards=[ward], professional=nina)
    make.user("tom", "team_leader", wards=[ward], professional=make.professional("Tom Leader", "nurse", [ward]))
    make.user("ada", "admin")
    patients = {}  # by identifier
    for name, identifier, room in (("Geir Aas", "GA-101", "Room 4"), ("Kari Solheim", "KS-482", "Room 12"),
                                   ("Kari Solheim", "KS-907", "Room 2 bed 1")):
        patient = make.patient(name, identifier)
        episode = make.episode(patient, ward, started=timedelta(days=5))
        episode.location = room
        patients[identifier] = patient.id
    make.user("pia", "patient", patient=make.patient("Pia Patient", "PP-1"))
    db.session.commit()
    ids = World(patients=patients, ward=ward.id, other=other.id, nina=nina.id)
    db.session.rollback()
    return ids


def open_log(page, base, username="nina"):
    db.session.rollback()
    page.goto(f"{base}/login?next=/log")
    page.fill("#username", username)
    page.fill("#password", Factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base}/log")
    ready(page)
    wait_until_controlled(page)


def ready(page):
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def pick(page, name="Geir Aas"):
    page.get_by_role("option", name=name).first.click()


def stored():
    return query(sa.select(Contact.patient_id, Contact.professional_id, Contact.kind, Contact.occurred_at,
                           Contact.status, Contact.client_id).order_by(Contact.id))


def test_a_double_tap_stores_one_contact(context, live_server, ward, screenshot):
    page = context.new_page()
    open_log(page, live_server)
    pick(page)
    # Two taps in the same instant: the second meets a disabled button.
    page.evaluate("() => { const save = document.getElementById('save'); save.click(); save.click(); }")
    expect(page.locator("#form-message")).to_have_text("Saved: Conversation · Geir Aas · by you")
    expect(page.locator("#save")).to_be_enabled()
    page.locator("#save").dblclick()  # and a real double tap with nobody chosen stores nothing
    expect(page.locator("#form-message")).to_have_text("Choose a patient, who and a time.")
    assert contacts_stored() == 1


def test_the_time_is_the_moment_of_saving_unless_the_nurse_changes_it(context, live_server, ward, screenshot):
    page = context.new_page()
    page.clock.install(time=utcnow() - timedelta(minutes=45))  # the page opens 45 minutes before the save
    open_log(page, live_server)
    opened = page.input_value("#when")
    page.clock.fast_forward("45:00")
    pick(page)
    page.click("#save")
    expect(page.locator("#form-message")).to_contain_text("Saved:")
    [(_p, _who, _kind, occurred_at, _s, _c)] = stored()
    assert abs(occurred_at - utcnow()) < timedelta(minutes=2), (opened, occurred_at)
    assert page.input_value("#when") != opened  # the field follows the clock while untouched

    page.fill("#when", (utcnow() - timedelta(hours=2)).astimezone().strftime("%Y-%m-%dT%H:%M"))
    expect(page.locator("#when-note")).to_be_visible()
    expect(page.locator("#when-note")).to_contain_text("Time changed by you.")
    screenshot(page, "log-time-changed")
    page.click("#when-now")
    expect(page.locator("#when-note")).to_be_hidden()

    page.fill("#when", (utcnow() - timedelta(days=4)).astimezone().strftime("%Y-%m-%dT%H:%M"))
    pick(page)
    page.click("#save")
    expect(page.locator("#confirm-time")).to_be_visible()  # far back: asked in the page first
    expect(page.locator("#confirm-text")).to_have_text("This time is more than 72 hours ago. Is it right?")
    page.click("#confirm-no")
    page.fill("#when", (utcnow() - timedelta(days=6)).astimezone().strftime("%Y-%m-%dT%H:%M"))
    page.click("#save")
    expect(page.locator("#confirm-text")).to_contain_text("before Geir Aas's current stay began")
    screenshot(page, "log-confirm-time")
    assert len(stored()) == 1
    page.click("#confirm-yes")
    expect(page.locator("#form-message")).to_contain_text("Saved:")
    assert len(stored()) == 2
    assert utcnow() - stored()[-1][3] > timedelta(days=5)


def test_a_refused_contact_is_explained_beside_the_button_and_sent_again_with_its_client_id(
        context, live_server, ward, screenshot):
    page = context.new_page()
    open_log(page, live_server)
    bodies = []
    page.on("request", lambda r: bodies.append(r.post_data_json) if r.url.endswith("/contacts/batch") else None)
    db.session.execute(sa.update(Episode).where(Episode.patient_id == ward.patients["GA-101"])
                       .values(ward_id=ward.other))
    db.session.commit()  # Geir moved to ward B meanwhile: out of this nurse's reach
    db.session.rollback()
    pick(page)
    page.click("#save")
    message = page.locator("#form-message")
    expect(message).to_have_text(
        "Not saved: Conversation · Geir Aas · by you: the patient is not on your wards any more")
    expect(page.locator("#contact-states li").first).to_have_class(re.compile("state-rejected"))
    text = page.locator("#contact-form").inner_text()
    assert "{" not in text and "#" not in text and "conversation" not in text  # no JSON, ids or kind codes
    expect(page.get_by_role("option", name="Geir Aas")).to_have_attribute("aria-selected", "true")  # form kept
    screenshot(page, "log-not-saved")

    # The ward now allows one hour back without a question; the page still thinks 72: the server asks.
    db.session.execute(sa.update(Episode).where(Episode.patient_id == ward.patients["GA-101"])
                       .values(ward_id=ward.ward))
    db.session.execute(sa.update(Ward).where(Ward.id == ward.ward).values(contact_backdate_hours=1))
    db.session.commit()
    db.session.rollback()
    page.fill("#when", (utcnow() - timedelta(hours=3)).astimezone().strftime("%Y-%m-%dT%H:%M"))
    page.click("#save")
    expect(page.locator("#confirm-text")).to_contain_text("The server asks for a confirmation")
    assert contacts_stored() == 0
    page.click("#confirm-yes")
    expect(message).to_have_text("Saved: Conversation · Geir Aas · by you")
    sent = [item for body in bodies for item in body["contacts"]]
    assert len({item["client_id"] for item in sent}) == 1 and len(sent) == 3  # one contact, sent three times
    assert [item.get("confirm_backdated") for item in sent] == [None, None, True]
    assert contacts_stored() == 1


def test_undo_takes_the_contact_out_of_the_measures(context, live_server, ward, login, screenshot):
    page = context.new_page()
    open_log(page, live_server)
    pick(page, "Geir Aas")
    page.click("#save")
    expect(page.locator("#form-message")).to_have_text("Saved: Conversation · Geir Aas · by you")
    screenshot(page, "log-saved")
    api = _api(login)
    continuity = f"/api/v1/patients/{ward.patients['GA-101']}/continuity?days=30"
    assert api.get(continuity).get_json()["contacts"] == 1
    page.get_by_role("button", name="Undo Conversation · Geir Aas · by you").click()
    expect(page.locator("#form-message")).to_have_text("Undone: Conversation · Geir Aas · by you. It no longer counts.")
    screenshot(page, "log-undone")
    assert api.get(continuity).get_json()["contacts"] == 0
    [(status, reason)] = query(sa.select(Contact.status, Contact.retraction_reason))
    assert (status, reason) == ("entered_in_error", "undone by the author")


def test_after_ten_minutes_the_author_marks_a_contact_entered_in_error_with_a_reason(context, live_server, ward,
                                                                                    login, screenshot):
    page = context.new_page()
    page.clock.install(time=utcnow())
    open_log(page, live_server)
    pick(page, "Kari Solheim Room 12")
    page.click("#save")
    expect(page.locator("#form-message")).to_have_text("Saved: Conversation · Kari Solheim · by you")
    page.clock.fast_forward("10:01")
    expect(page.get_by_role("button", name="Undo Conversation · Kari Solheim · by you")).to_have_count(0)
    page.get_by_role("button", name="Mark entered in error: Conversation · Kari Solheim · by you").click()
    page.get_by_label("Why was it entered in error?").fill("Logged for the wrong Kari Solheim")
    screenshot(page, "log-entered-in-error")
    page.get_by_label("Why was it entered in error?").press("Enter")
    expect(page.locator("#form-message")).to_have_text(
        "Entered in error: Conversation · Kari Solheim · by you. It no longer counts.")
    [(status, reason)] = query(sa.select(Contact.status, Contact.retraction_reason))
    assert (status, reason) == ("entered_in_error", "Logged for the wrong Kari Solheim")
    assert contacts_stored() == 1  # Enter in the reason did not save a new contact
    assert _api(login).get(f"/api/v1/patients/{ward.patients['KS-482']}/continuity?days=30").get_json()["contacts"] == 0


def _api(login):
    from wardtrack.auth.models import User

    db.session.rollback()
    user = db.session.scalar(sa.select(User).where(User.username == "tom"))
    api = login(user)
    db.session.rollback()
    return api


def test_who_and_kind_return_to_me_and_the_default_after_a_save(context, live_server, ward):
    page = context.new_page()
    open_log(page, live_server)
    page.select_option("#professional", label="Dora Doctor")
    page.select_option("#kind", "decision")
    pick(page, "Geir Aas")
    page.click("#save")
    expect(page.locator("#form-message")).to_have_text("Saved: Decision · Geir Aas · by Dora Doctor")
    expect(page.locator("#professional")).to_have_value(str(ward.nina))
    expect(page.locator("#kind")).to_have_value("conversation")
    expect(page.get_by_role("option", name="Geir Aas")).to_have_attribute("aria-selected", "false")
    [(_p, who, kind, _at, _s, _c)] = stored()
    assert kind == "decision" and who != ward.nina


def test_patients_of_one_name_are_told_apart(context, live_server, ward, screenshot):
    page = context.new_page()
    open_log(page, live_server)
    options = page.locator("#patients button")
    expect(options).to_have_count(3)
    expect(page.get_by_role("option", name="Kari Solheim Room 12 · ID …482")).to_be_visible()
    expect(page.get_by_role("option", name="Kari Solheim Room 2 bed 1 · ID …907")).to_be_visible()
    screenshot(page, "log-patients")


def test_offline_reload_keeps_the_wards_list_and_three_contacts_arrive_once(context, live_server, ward, screenshot):
    page = context.new_page()
    open_log(page, live_server)
    context.set_offline(True)
    page.reload()
    ready(page)
    expect(page.locator("#patients button")).to_have_count(3)
    expect(page.locator("#patients-note")).to_have_text("Offline: the ward's list kept on this phone for the shift.")
    kept = page.evaluate("""() => new Promise((resolve) => {
        const open = indexedDB.open("wardtrack-wardlist");
        open.onsuccess = () => open.result.transaction("wards").objectStore("wards").getAll().onsuccess =
            (event) => resolve(event.target.result);
    })""")
    assert [sorted(p) for p in kept[0]["patients"]] == [["display_name", "id", "location"]] * 3  # nothing clinical
    for name, kind in (("Geir Aas", "conversation"), ("Kari Solheim Room 12", "phone"), ("Geir Aas", "medication")):
        pick(page, name)
        page.select_option("#kind", kind)
        page.click("#save")
        expect(page.locator("#form-message")).to_contain_text("Saved on this device, waiting (offline)")
    expect(page.locator("#waiting")).to_have_text("3")
    expect(page.locator("#waiting-list li")).to_have_count(3)
    expect(page.locator("#waiting-list")).to_contain_text("Phone · Kari Solheim · by you")
    screenshot(page, "log-offline-waiting")
    assert contacts_stored() == 0

    context.set_offline(False)
    expect(page.locator("#waiting")).to_have_text("0")
    page.click("#send-now")
    expect(page.locator("#waiting")).to_have_text("0")
    assert sorted(kind for (_p, _w, kind, _a, _s, _c) in stored()) == ["conversation", "medication", "phone"]
    expect(page.locator("#contact-states li.state-saved")).to_have_count(3)
    screenshot(page, "log-sent-after-offline")

    # A list older than 12 hours is wiped, not shown.
    page.evaluate("""() => new Promise((resolve) => {
        const open = indexedDB.open("wardtrack-wardlist");
        open.onsuccess = () => {
            const store = open.result.transaction("wards", "readwrite").objectStore("wards");
            store.getAll().onsuccess = (event) => {
                for (const kept of event.target.result) store.put({...kept, saved_at: Date.now() - 13 * 3600 * 1000});
                store.transaction.oncomplete = () => { open.result.close(); resolve(); };
            };
        };
    })""")
    context.set_offline(True)
    page.reload()
    ready(page)
    expect(page.locator("#patients-note")).to_have_text(
        "The patient list needs the network. Logged contacts wait on this device.")
    expect(page.locator("#patients button")).to_have_count(0)
    context.set_offline(False)


def test_a_session_found_ended_wipes_the_wards_list(context, live_server, ward):
    from wardtrack.auth.models import UserSession

    page = context.new_page()
    open_log(page, live_server)
    databases = "indexedDB.databases().then((found) => found.map((db) => db.name).sort())"
    assert "wardtrack-wardlist" in page.evaluate(databases)
    db.session.execute(sa.update(UserSession).values(revoked_at=utcnow()))
    db.session.commit()
    db.session.rollback()
    page.reload()
    expect(page.locator("#login-message")).to_contain_text("session has ended")
    assert "wardtrack-wardlist" not in page.evaluate(databases)
    page.fill("#username", "nina")
    page.fill("#password", Factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    ready(page)
    expect(page.locator("#patients button")).to_have_count(3)
    assert "wardtrack-wardlist" in page.evaluate(databases)  # kept again for the new session


def test_a_first_visit_is_asked_to_log_in_and_the_menu_appears_without_a_reload(context, live_server, ward,
                                                                                 screenshot):
    page = context.new_page()
    page.goto(f"{live_server}/log")
    expect(page.locator("#login-form")).to_be_visible()
    expect(page.locator("#login-title")).to_have_text("Log in")
    expect(page.locator("#login-message")).to_have_text("Log in to log contacts.")
    expect(page.locator("#logout")).to_be_hidden()
    expect(page.locator("#contact-form")).to_be_hidden()  # nothing but the form in the way
    expect(page.get_by_role("navigation", name="Pages")).to_have_count(0)
    shown = page.locator("body").inner_text()
    assert "Log in again" not in shown and "session has ended" not in shown and "Log out" not in shown
    screenshot(page, "log-first-visit")
    page.evaluate("window.sameDocument = true")
    page.fill("#username", "nina")
    page.fill("#password", Factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    ready(page)
    nav = page.get_by_role("navigation", name="Pages")
    expect(nav.get_by_role("link")).to_have_text(["Board", "Log", "Reminders"])
    expect(page.locator("#logout")).to_be_visible()
    expect(page.locator("#contact-form")).to_be_visible()
    assert page.evaluate("window.sameDocument") is True  # no reload happened
    screenshot(page, "log-after-login")

    start = context.new_page()
    start.goto(f"{live_server}/")  # the start page of someone logged in: no login form, their pages
    expect(start.locator("#login-form")).to_have_count(0)


@pytest.mark.parametrize(("username", "home", "check"), [
    ("nina", "/log", "#contact-form"), ("tom", "/board", "body[data-ready=true]"),
    ("ada", "/", "a[href='/api/v1/docs']"), ("pia", "/me", "body[data-ready=true]"),
])
def test_each_role_lands_on_a_page_that_works(context, live_server, ward, username, home, check):
    page = context.new_page()
    failures = []
    # A patient without a safety person or plan gets 404 for those (the page says so); nothing else may fail.
    page.on("response", lambda r: failures.append((r.status, r.url)) if r.status >= 400 and "/api/" in r.url
            and "/api/v1/me/" not in r.url else None)
    db.session.rollback()
    page.goto(f"{live_server}/login")
    page.fill("#username", username)
    page.fill("#password", Factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server}{home}")
    expect(page.locator(check).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert failures == []
    if username == "nina":
        expect(page.get_by_role("navigation", name="Pages").get_by_role("link", name="Board")).to_be_visible()


def test_the_log_page_shows_the_patient_list_fields_it_needs(client, login, ward):
    from wardtrack.auth.models import User

    api = login(db.session.scalar(sa.select(User).where(User.username == "nina")))
    items = api.get(f"/api/v1/wards/{ward.ward}/patients").get_json()["items"]
    assert {(p["display_name"], p["location"], p["identifier_tail"]) for p in items} == {
        ("Geir Aas", "Room 4", "101"), ("Kari Solheim", "Room 12", "482"), ("Kari Solheim", "Room 2 bed 1", "907")}
