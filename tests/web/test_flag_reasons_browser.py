"""Flag reasons in the page's language: the board and the patient page word each reason in bokmål or English,
and fall back to the stored English detail for flags recomputed before reasons existed."""

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.support import World
from tests.web.test_staff_browser import flag_row, log_in
from wardtrack.contacts.models import Contact
from wardtrack.continuity.models import Flag
from wardtrack.continuity.operations import sweep
from wardtrack.core.time import utcnow
from wardtrack.extensions import db

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")
expect = sync_api.expect
pytestmark = pytest.mark.browser


@pytest.fixture
def ward(make):
    """Ward A: Kari Lie met four doctors in three weeks, then a coercive measure by a fifth she had never met;
    Ola Dahl has a flag stored before reasons existed. Flags come from the real rules (a sweep)."""
    ward_a = make.ward("Ward A")
    make.user("tom", "team_leader", wards=[ward_a])
    kari, ola = make.patient("Kari Lie", "KL-1"), make.patient("Ola Dahl", "OD-1")
    make.episode(kari, ward_a, started=timedelta(days=20))
    make.episode(ola, ward_a, started=timedelta(days=5))
    now = utcnow()
    visits = [("Dr Aas", 15, "conversation"), ("Dr Berg", 12, "conversation"), ("Dr Dahl", 9, "conversation"),
              ("Dr Eide", 6, "conversation"), ("Dr Fremmed", 2, "coercive_measure")]
    for name, ago, kind in visits:
        doctor = make.professional(name, "psychiatrist", [ward_a])
        db.session.add(Contact(client_id=uuid.uuid4(), patient_id=kari.id, professional_id=doctor.id,
                               ward_id=ward_a.id, kind=kind, occurred_at=now - timedelta(days=ago), received_at=now))
    db.session.commit()
    sweep()
    db.session.execute(sa.update(Flag).where(Flag.patient_id == ola.id, Flag.code == "no_safety_person")
                       .values(reasons=None, detail="Stored before reasons: no safety person."))
    db.session.commit()
    ids = World(ward=ward_a.id, kari=kari.id, ola=ola.id, date=(now - timedelta(days=2)).date())
    db.session.rollback()
    return ids


def test_board_words_flag_reasons_in_bokmal_and_english(context, live_server, ward, screenshot):
    page = context.new_page()
    log_in(page, live_server, "tom", lang="nb")
    _id, turnover = flag_row(page, ward.kari, "high_turnover")
    expect(turnover.locator(".flag-detail")).to_have_text("5 leger på 30 dager: Dr Aas, Dr Berg, Dr Dahl, Dr Eide og "
                                                          "Dr Fremmed.")
    _id, stranger = flag_row(page, ward.kari, "stranger_decision")
    expect(stranger.locator(".flag-detail")).to_contain_text(
        "Fra noen pasienten aldri hadde møtt: tvangstiltak ved Dr Fremmed")
    expect(stranger.locator(".flag-detail")).to_contain_text(f"{ward.date.day}. ")
    _id, safety = flag_row(page, ward.kari, "no_safety_person")
    expect(safety.locator(".flag-detail")).to_have_text(
        "Ingen trygghetsperson er navngitt for en pasient i behandling.")
    _id, legacy = flag_row(page, ward.ola, "no_safety_person")
    expect(legacy.locator(".flag-detail")).to_have_text("Stored before reasons: no safety person.")
    screenshot(page, "board-reasons-nb")

    page = context.new_page()
    log_in(page, live_server, "tom", lang="en")
    _id, turnover = flag_row(page, ward.kari, "high_turnover")
    expect(turnover.locator(".flag-detail")).to_contain_text("5 doctors in 30 days: Dr Aas, Dr Berg")
    _id, stranger = flag_row(page, ward.kari, "stranger_decision")
    expect(stranger.locator(".flag-detail")).to_contain_text(
        "By someone the patient had never met: coercive measure by Dr Fremmed on")
    screenshot(page, "board-reasons-en")


def test_patient_page_words_flag_reasons_in_bokmal(context, live_server, ward):
    page = context.new_page()
    log_in(page, live_server, "tom", lang="nb", next_path=f"/patients/{ward.kari}")
    expect(page.locator("#flags")).to_contain_text("5 leger på 30 dager")
    expect(page.locator("#flags")).to_contain_text("Ingen kriseplan for en pasient i behandling.")
