"""The patient's check-ins on the staff pages in the system Chromium at 360×740, made through the real API by the
patients' own logins: beside each person of the relationship picture, the trend of the ratings the caller may
see, the latest score and date and the patient's sharing choice in words; nothing for a check-in shared only with
the ward, nothing for a nurse who is not the rated person; the life-and-care profile against the check-in before;
and the ward's anonymous means on the board, with a withheld week as a gap that breaks the lines."""

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.support import World
from tests.web.test_staff_browser import log_in, no_serious_violations
from wardtrack.checkins.models import DIALOG_ITEMS, RELATIONSHIP_ITEMS, CheckIn
from wardtrack.core.time import utcnow
from wardtrack.extensions import db

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")
expect = sync_api.expect
pytestmark = pytest.mark.browser
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
MINE = "/api/v1/me/check-ins"


def relationship(professional_id, scores, share):
    """A relationship check-in body; `scores` one value for all six items or a list of six."""
    values = scores if isinstance(scores, list) else [scores] * 6
    return {"kind": "relationship", "professional_id": professional_id, "share": share,
            "scores": dict(zip(RELATIONSHIP_ITEMS, values, strict=True))}


def dialog(scores, more_help=(), share="team_leader"):
    return {"kind": "dialog", "share": share, "more_help": list(more_help),
            "scores": {item: scores.get(item, scores.get("*")) for item in DIALOG_ITEMS}}


def week_start():
    """Monday 00:00 UTC of this ISO week."""
    now = utcnow()
    return (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)


def iso_week(at):
    year, week, _ = at.isocalendar()
    return f"{year}-W{week:02d}"


@pytest.fixture
def world(make, login):
    """Ward A: Geir Aas with a safety person (Sverre), a primary contact (Kari, with a nurse login) and a therapist
    (Tina), who checked in on all three and on his life and care; Tom the team leader, Nina a nurse; and five more
    patients whose check-ins make three weeks of the ward's figures, with a week of only two between them."""
    ward = make.ward("Ward A")
    nina = make.professional("Nina Nurse", "nurse", [ward])
    make.user("tom", "team_leader", wards=[ward])
    make.user("nina", "nurse", wards=[ward], professional=nina)
    sverre = make.professional("Sverre Solheim", "psychiatrist", [ward])
    kari = make.professional("Kari Nordmann", "nurse", [ward])
    tina = make.professional("Tina Tangen", "psychologist", [ward])
    make.user("kari", "nurse", wards=[ward], professional=kari)
    geir = make.patient("Geir Aas", "GA-1")
    make.episode(geir, ward, started=timedelta(days=120))
    make.designation(geir, sverre, kind="safety_person")
    make.designation(geir, kari, kind="primary_contact", chosen_by_patient=False)
    make.designation(geir, tina, kind="therapist", chosen_by_patient=False)
    geir_login = make.user("geir", "patient", patient=geir)
    others = []
    for n, name in enumerate(("Anna Berg", "Bo Lund", "Cato Moe", "Dag Nes", "Eli Ryg")):
        patient = make.patient(name, f"ID-{n}")
        make.episode(patient, ward, started=timedelta(days=120))
        make.designation(patient, sverre, kind="safety_person")
        others.append(make.user(f"p{n}", "patient", patient=patient))
    db.session.commit()

    monday = week_start()
    made = []  # (check-in id, when)

    def check_in(user, body, at):
        response = login(user).post(MINE, json=body)
        assert response.status_code == 201, response.get_json()
        made.append((response.get_json()["id"], at))

    # Geir: his safety person three times (shared with the team leader, then also with Sverre, then the leader
    # only), Kari once (shared with the leader and Kari), Tina once only for the ward's figures; life and care twice.
    check_in(geir_login, relationship(sverre.id, 3, "team_leader"), monday - timedelta(weeks=8, days=-2))
    check_in(geir_login, relationship(sverre.id, [3, 4, 3, 3, 4, 3], "team_leader_and_person"),
             monday - timedelta(weeks=6, days=-2))
    check_in(geir_login, relationship(sverre.id, [1, 1, 0, 1, 1, 1], "team_leader"), utcnow() - timedelta(hours=1))
    check_in(geir_login, relationship(kari.id, 2, "team_leader_and_person"), monday - timedelta(weeks=6, days=-3))
    check_in(geir_login, relationship(tina.id, 4, "ward"), monday - timedelta(weeks=6, days=-4))
    check_in(geir_login, dialog({"*": 4, "medication": 5}), monday - timedelta(weeks=6, days=-2))
    check_in(geir_login, dialog({"*": 4, "mental_health": 6, "accommodation": 2, "medication": 5},
                                more_help=["accommodation"]), utcnow() - timedelta(hours=1))
    # The ward's figures: five patients in weeks -5, -4 and -2, only two in week -3 (withheld).
    full_weeks = {5: [2, 3, 3, 4, 3], 4: [3, 3, 3, 3, 3], 2: [4, 4, 3, 4, 4]}
    for weeks_ago, scores in full_weeks.items():
        at = monday - timedelta(weeks=weeks_ago, days=-2, hours=-12)
        for user, value in zip(others, scores, strict=True):
            check_in(user, relationship(sverre.id, value, "ward"), at)
            check_in(user, dialog({"*": 5, "medication": 4, "practical_help": 4, "meetings": 4}, share="ward"), at)
    thin = monday - timedelta(weeks=3, days=-2, hours=-12)
    for user in others[:2]:
        check_in(user, relationship(sverre.id, 0, "ward"), thin)
    for check_in_id, at in made:
        db.session.execute(sa.update(CheckIn).where(CheckIn.id == check_in_id).values(created_at=at))
    db.session.commit()
    ids = World(patient=geir.id, ward=ward.id, sverre=sverre.id, kari=kari.id, tina=tina.id,
                weeks={ago: iso_week(monday - timedelta(weeks=ago, days=-2)) for ago in (5, 4, 3, 2)})
    db.session.rollback()
    return ids


def rating(page, professional_id):
    return page.locator(f'#ratings li.rating[data-professional-id="{professional_id}"]')


def test_a_team_leader_sees_each_relationships_trend_with_its_sharing_choice(context, live_server, world):
    page = context.new_page()
    log_in(page, live_server, "tom", next_path=f"/patients/{world.patient}")
    expect(page.locator("#ratings li.rating")).to_have_count(2)  # Tina's check-in was shared only with the ward
    expect(rating(page, world.tina)).to_have_count(0)

    sverre = rating(page, world.sverre)
    expect(sverre.locator(".rating-head")).to_contain_text("Sverre Solheim")
    expect(sverre.locator(".rating-head")).to_contain_text("Safety person")
    expect(sverre.locator(".rating-score")).to_have_text("Latest 0.83 of 4")
    latest = utcnow() - timedelta(hours=1)
    expect(sverre.locator(".rating-date")).to_have_text(f"{latest:%b} {latest.day}, {latest.year}")
    expect(sverre.locator(".rating-share")).to_have_text("shared with the team leader")
    # Three points, the latest lowest on the 0–4 scale (SVG y grows downwards).
    dots = sverre.locator("svg.sparkline circle")
    expect(dots).to_have_count(3)
    ys = [float(dots.nth(i).get_attribute("cy")) for i in range(3)]
    assert ys[2] > ys[0] > ys[1], ys
    sverre.locator("summary").click()
    items = sverre.locator(".rating-list li")
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text("0.83 of 4, shared with the team leader")
    expect(items.nth(1)).to_contain_text("3.33 of 4, shared with the team leader and Sverre Solheim")
    expect(items.nth(2)).to_contain_text("3.00 of 4, shared with the team leader")

    kari = rating(page, world.kari)
    expect(kari.locator(".rating-share")).to_have_text("shared with the team leader and Kari Nordmann")
    expect(kari.locator("svg.sparkline circle")).to_have_count(1)
    expect(kari.locator("svg.sparkline polyline")).to_have_count(0)  # one check-in is no trend
    # In the picture's order: the safety person before the primary contact.
    ids = page.locator("#ratings li.rating").evaluate_all("rows => rows.map(r => Number(r.dataset.professionalId))")
    assert ids == [world.sverre, world.kari]
    expect(page.locator("#ratings-none")).to_be_hidden()
    no_serious_violations(page)

    page.locator("#ratings-heading").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "patient-check-ins.png"
    top = page.locator("#ratings-section").bounding_box()["y"] + page.evaluate("window.scrollY") - 8
    page.evaluate(f"window.scrollTo(0, {top})")
    page.screenshot(path=str(shot))  # the viewport: what a phone shows there
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, DOCS / "patient-check-ins.png")


def test_the_life_and_care_profile_shows_the_change_against_the_check_in_before(context, live_server, world):
    page = context.new_page()
    log_in(page, live_server, "tom", next_path=f"/patients/{world.patient}")
    section = page.locator("#dialog")
    expect(section.locator("table")).to_be_visible()
    expect(section.locator(".dialog-meta")).to_contain_text("shared with the team leader; compared with")

    def row(item):
        return section.locator(f'tr[data-item="{item}"]')

    expect(row("accommodation").locator(".now")).to_have_text("2")
    expect(row("accommodation").locator(".before")).to_have_text("4")
    expect(row("accommodation").locator(".change")).to_have_text("−2")
    expect(row("accommodation")).to_have_class("more-help")
    expect(row("accommodation").locator(".help-badge")).to_have_text("wants more help")
    expect(row("mental_health").locator(".change")).to_have_text("+2")
    expect(row("mental_health").locator(".help-badge")).to_have_count(0)
    expect(row("job").locator(".change")).to_have_text("0")
    expect(row("medication").locator(".now")).to_have_text("5")
    expect(row("life_mean").locator(".now")).to_have_text("4.00")  # (6 + 2 + 6 × 4) / 8
    expect(row("life_mean").locator(".before")).to_have_text("4.00")
    expect(row("treatment_mean").locator(".now")).to_have_text("4.33")
    expect(row("accommodation").locator(".dialog-bar.latest")).to_have_class("dialog-bar latest level-2")
    expect(row("accommodation").locator(".dialog-bar.previous")).to_have_class("dialog-bar previous level-4")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    section.screenshot(path=str(ARTIFACTS / "patient-dialog.png"))


def test_a_nurse_who_is_not_the_rated_person_sees_no_trend(context, live_server, world):
    page = context.new_page()
    log_in(page, live_server, "nina", next_path=f"/patients/{world.patient}")
    expect(page.locator("#ratings-none")).to_have_text("The patient shares no relationship check-ins with you.")
    expect(page.locator("#ratings")).to_be_hidden()
    expect(page.locator("svg.sparkline")).to_have_count(0)
    expect(page.locator("#dialog .dialog-meta")).to_have_text("The patient shares no life and care check-ins with you.")
    expect(page.locator("#dialog table")).to_be_hidden()
    expect(page.locator("#dialog .dialog-bar")).to_have_count(0)


def test_the_rated_person_sees_only_what_is_shared_with_them(context, live_server, world):
    page = context.new_page()
    log_in(page, live_server, "kari", next_path=f"/patients/{world.patient}")
    expect(page.locator("#ratings li.rating")).to_have_count(1)
    expect(rating(page, world.kari).locator(".rating-share")).to_have_text(
        "shared with the team leader and Kari Nordmann")
    expect(page.locator("#dialog table")).to_be_hidden()


def test_the_board_shows_the_wards_means_with_a_gap_for_a_withheld_week(context, live_server, world):
    page = context.new_page()
    log_in(page, live_server, "tom")
    section = page.locator("#check-ins")
    expect(section).to_be_visible()
    expect(section.locator("#check-ins-threshold")).to_have_text("Shown only for weeks with at least 5 patients.")
    chart = section.locator("#ci-relationship svg")
    weeks = world.weeks

    def dot(series, week):
        return section.locator(f'circle[data-series="{series}"][data-week="{week}"]')

    expect(dot("relationship_mean", weeks[5])).to_have_attribute("data-value", "3")
    expect(dot("relationship_mean", weeks[4])).to_have_attribute("data-value", "3")
    expect(dot("relationship_mean", weeks[2])).to_have_attribute("data-value", "3.8")
    expect(dot("life_mean", weeks[2])).to_have_attribute("data-value", "5")
    expect(dot("treatment_mean", weeks[2])).to_have_attribute("data-value", "4")
    # The week of two patients: no value, a withheld gap between its neighbours, and the line broken there.
    expect(section.locator(f'circle[data-week="{weeks[3]}"]')).to_have_count(0)
    gap = chart.locator(f'rect.withheld[data-week="{weeks[3]}"]')
    expect(gap).to_have_count(1)
    gap_x = float(gap.get_attribute("x"))
    assert float(dot("relationship_mean", weeks[4]).get_attribute("cx")) < gap_x
    assert gap_x < float(dot("relationship_mean", weeks[2]).get_attribute("cx"))
    lines = chart.locator('polyline[data-series="relationship_mean"]')
    points = lines.evaluate_all("lines => lines.map(l => l.getAttribute('points').split(' ').length)")
    assert 2 in points and all(count < 3 for count in points), points  # weeks -5 and -4 joined, -2 apart
    rows = section.locator("#check-ins-table tbody tr")
    expect(section.locator(f'#check-ins-table tr[data-week="{weeks[3]}"]')).to_contain_text("withheld")
    expect(section.locator(f'#check-ins-table tr[data-week="{weeks[2]}"] td')).to_have_text(
        ["5", "3.80", "5.00", "4.00"])
    assert rows.count() >= 4
    no_serious_violations(page)

    section.scroll_into_view_if_needed()
    top = section.bounding_box()["y"] + page.evaluate("window.scrollY") - 8
    page.evaluate(f"window.scrollTo(0, {top})")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "board-check-ins.png"
    page.screenshot(path=str(shot))
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, DOCS / "board-check-ins.png")


def test_the_words_are_in_bokmal_too(context, live_server, world):
    page = context.new_page()
    log_in(page, live_server, "tom", lang="nb", next_path=f"/patients/{world.patient}")
    expect(rating(page, world.sverre).locator(".rating-share")).to_have_text("delt med teamlederen")
    expect(page.locator("#dialog-heading")).to_have_text("Liv og behandling, slik pasienten vurderer det")
