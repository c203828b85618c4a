"""The patient's check-ins on a phone (system Chromium, 360×740), through the real pages and API: what is waiting,
both forms answered by taps (a missing answer marked at its question, a double tap stored once), what was sent
with who reads it and the choice changed, the trend of each relationship on /me; and the team leader who then sees
the strain flag and the trend on the patient page, while a nurse who was not rated sees no score."""

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.web.test_patient_app_browser import patient_logs_in
from tests.web.test_staff_browser import log_in, no_serious_violations
from wardtrack.checkins.models import RELATIONSHIP_ITEMS, CheckIn
from wardtrack.core.time import utcnow
from wardtrack.extensions import db

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")
expect = sync_api.expect
pytestmark = pytest.mark.browser
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LIFE = ("mental_health", "physical_health", "job", "accommodation", "leisure", "friendships", "partner_family",
        "personal_safety", "medication", "practical_help", "meetings")


@pytest.fixture
def world(make, login):
    """Ward A: Pia, with Dora Doctor as her safety person and Nina Nurse as her contact person, rated Dora well
    twice (40 and 10 days ago, shared with the team leader); Tom the team leader."""
    world = make.pia_world(leader=("tom", "Tom Leader"), dora=True, started=timedelta(days=60))
    make.designation(world.pia, world.dora)
    make.designation(world.pia, world.nina, kind="primary_contact", chosen_by_patient=False)
    pia = login(world.pia_user)
    for days, score in ((40, 3), (10, 4)):
        made = pia.post("/api/v1/me/check-ins", json={
            "kind": "relationship", "professional_id": world.dora.id,
            "scores": dict.fromkeys(RELATIONSHIP_ITEMS, score)})
        assert made.status_code == 201, made.get_json()
        db.session.get(CheckIn, made.get_json()["id"]).created_at = utcnow() - timedelta(days=days)
    db.session.commit()
    return world


def check_ins(**where) -> list[dict]:
    """The stored check-ins, read in a transaction of their own that ends before the server writes again."""
    db.session.rollback()  # see what the server committed
    found = [{"share": c.share, "scores": c.scores, "more_help": c.more_help}
             for c in db.session.scalars(sa.select(CheckIn).filter_by(**where).order_by(CheckIn.id))]
    db.session.rollback()
    return found


def keep(page, name):
    if shutil.which("chromium"):
        page.screenshot(path=str(DOCS / f"{name}.png"), full_page=False)


def answer(page, form, item, choice):
    page.locator(f'#{form} fieldset[data-item="{item}"] label').nth(choice).click()


def open_check_ins(page, live_server):
    patient_logs_in(page, live_server)
    page.get_by_role("link", name="My check-ins").click()
    page.wait_for_url(f"{live_server}/me/check-ins")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def test_the_patient_makes_both_check_ins_by_taps_and_each_is_stored_once(context, live_server, world):
    page = context.new_page()
    open_check_ins(page, live_server)
    offers = page.locator("#ci-due li")
    # Dora was rated 10 days ago (within the ward's 30 days): Nina and life and care are waiting
    expect(offers).to_have_count(2)
    expect(offers.nth(0)).to_contain_text("How is it with Nina Nurse?")
    expect(offers.nth(1)).to_contain_text("My life and care")
    no_serious_violations(page)

    taps = 0
    page.locator("#ci-person").select_option(label="Dora Doctor (your safety person)")
    page.click("#ci-person-start")  # any time, on anyone the patient may rate
    taps += 2
    expect(page.locator("#ci-rel-title")).to_have_text("How is it with Dora Doctor?")
    page.locator("#ci-relationship button[type=submit]").click()  # nothing answered yet
    expect(page.locator("#ci-relationship .form-error")).to_contain_text("Some answers are missing")
    expect(page.locator('#rel-listened-error')).to_have_text("Choose one answer.")
    for item, choice in zip(RELATIONSHIP_ITEMS, (1, 2, 1, 0, 1, 0), strict=True):  # rarely, sometimes, …, never
        answer(page, "ci-relationship", item, choice)
        taps += 1
    expect(page.locator('#rel-listened-error')).to_have_text("")  # an answer clears its mark
    page.fill("#ci-help", "Time to talk before the ward round")
    expect(page.locator("#rel-share-team_leader")).to_be_checked()  # the default
    page.get_by_label("My team leader and the person I rate").check()
    taps += 1
    no_serious_violations(page)
    keep(page, "me-check-ins-form")
    page.locator("#ci-relationship button[type=submit]").dblclick()  # a double tap
    taps += 1
    expect(page.locator("#ci-note")).to_have_text("Thank you. Your check-in is sent.")
    expect(page.locator("#ci-relationship")).to_be_hidden()
    (made,) = check_ins(professional_id=world.dora.id, share="team_leader_and_person")
    assert made["scores"] == {"listened": 1, "person": 2, "together": 1, "safe": 0, "advocate": 1, "speak_up": 0}
    first = page.locator("#ci-list li").first
    expect(first).to_contain_text("About Dora Doctor")
    expect(first).to_contain_text("0.8 of 4")
    expect(first).to_contain_text("Read by your team leader and Dora Doctor.")
    expect(first).to_contain_text("Time to talk before the ward round")

    offers.nth(1).get_by_role("button").click()  # life and care, from what is waiting
    taps += 1
    for n, item in enumerate(LIFE):
        answer(page, "ci-dialog", item, 1 + n % 5)
        taps += 1
    life_form = page.locator("#ci-dialog")
    life_form.get_by_label("I want more help with this").nth(LIFE.index("accommodation")).check()
    life_form.get_by_label("Only the ward's anonymous figures").check()
    taps += 2
    expect(page.locator("#dialog-share-team_leader_and_person")).to_have_count(0)  # no person to share with
    keep(page, "me-check-ins-life")
    page.locator("#ci-dialog button[type=submit]").click()
    taps += 1
    expect(page.locator("#ci-list li").first).to_contain_text("More help wanted with: Accommodation")
    expect(page.locator("#ci-list li").first).to_contain_text("Read by no one")
    (life,) = check_ins(kind="dialog")
    assert (life["share"], life["more_help"], life["scores"]["job"]) == ("ward", ["accommodation"], 4)
    expect(offers).to_have_count(1)  # what was done is no longer waiting
    assert taps <= 30
    no_serious_violations(page)
    page.evaluate("window.scrollTo(0, 0)")
    keep(page, "me-check-ins-sent")


def test_the_patient_changes_who_reads_a_check_in_and_the_leader_sees_it_go(context, live_server, world, make):
    page = context.new_page()
    open_check_ins(page, live_server)
    line = page.locator("#ci-list li").first
    expect(line).to_contain_text("Read by your team leader.")
    line.get_by_label("Change who reads it").select_option("ward")
    expect(line.locator("[role=status]")).to_contain_text("Saved. Read by no one")
    assert check_ins(professional_id=world.dora.id)[-1]["share"] == "ward"
    leader = context.new_page()
    log_in(leader, live_server, "tom", next_path=f"/patients/{world.pia.id}")
    expect(leader.locator(f'li.rating[data-professional-id="{world.dora.id}"]')).to_contain_text("3.00")
    # the newest (4.00) is withheld now; the one before is still shared
    expect(leader.locator(f'li.rating[data-professional-id="{world.dora.id}"]')).not_to_contain_text("4.00")
    # the leader's read is in the patient's access log (the pages of a context share one session: log in again)
    patient_logs_in(page, live_server)
    expect(page.locator("#readers-visits")).to_contain_text("and read your check-ins")


def test_my_relationships_show_the_trend_and_a_strain_reaches_the_leader(context, live_server, world, login):
    pia = login(world.pia_user)
    low = pia.post("/api/v1/me/check-ins", json={"kind": "relationship", "professional_id": world.dora.id,
                                                 "scores": dict.fromkeys(RELATIONSHIP_ITEMS, 1)})
    assert low.status_code == 201
    page = context.new_page()
    patient_logs_in(page, live_server)
    dora = page.locator(f'#relationships li[data-professional-id="{world.dora.id}"]')
    expect(dora).to_contain_text("Dora Doctor, your safety person")
    expect(dora).to_contain_text("Last time 1 of 4")
    expect(dora).to_contain_text("Before that 4.")
    expect(dora).to_contain_text("Read by your team leader.")
    expect(dora.locator("svg.sparkline circle")).to_have_count(3)
    nina = page.locator(f'#relationships li[data-professional-id="{world.nina.id}"]')
    expect(nina).to_contain_text("Not rated yet.")
    expect(page.locator("#relationships-due")).to_have_text("Check-ins waiting for you: 2.")
    page.locator("#relationships").scroll_into_view_if_needed()
    no_serious_violations(page)
    keep(page, "me-relationships")

    leader = context.new_page()
    log_in(leader, live_server, "tom", next_path=f"/patients/{world.pia.id}")
    flag = leader.locator("li.flag", has_text="Strained relationship")
    expect(flag).to_contain_text("Dora Doctor")
    expect(leader.locator(f'li.rating[data-professional-id="{world.dora.id}"] svg.sparkline circle')).to_have_count(3)
    no_serious_violations(leader)
    flag.scroll_into_view_if_needed()
    keep(leader, "me-check-ins-leader")
    nurse = context.new_page()
    log_in(nurse, live_server, "nina", next_path=f"/patients/{world.pia.id}")
    expect(nurse.locator("li.flag", has_text="check-in asks for a conversation")).to_have_count(1)
    expect(nurse.locator("li.flag", has_text="Dora Doctor")).to_have_count(0)
    expect(nurse.locator("li.rating")).to_have_count(0)
