"""The staff patient page in the system Chromium at 360×740, on a patient the way the ward sees them: 32 people in
90 days, the designated three among them. Key people and the crisis plan come first; the relationship picture
pins the designated people with their role, sorts the rest by contacts, folds the one-off tail and fits one
screen with every label whole; each measure has a plain verdict from the documented bands."""

import uuid
from datetime import timedelta

import pytest

from tests.support import World
from tests.web.test_staff_browser import log_in, no_serious_violations
from wardtrack.contacts.models import Contact
from wardtrack.core.time import utcnow
from wardtrack.extensions import db

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")
expect = sync_api.expect
pytestmark = pytest.mark.browser
# The bands of docs/measures.md: (high from, medium from).
BANDS = {"upc": (0.75, 0.5), "coc": (0.7, 0.3), "secon": (0.7, 0.3), "kpc": (0.75, 0.3)}
PLAN = {"what_helps_in_crisis": ["Someone sitting with me, quietly"],
        "support_contacts": [{"name": "My brother Ola", "phone": "+47 400 00 002"}],
        "coping_strategies": ["A long walk"], "reviewed_with_patient": True}


def band(measure, value):
    high, medium = BANDS[measure]
    value = round(value, 2)
    return "high" if value >= high else "medium" if value >= medium else "low"


@pytest.fixture
def geir(make, login):
    """Geir Aas: a safety person seen three times, a primary contact seen six times (fourth by count), a therapist
    not seen in 90 days, five of the core team seen 7 to 11 times, and 18 people met once or twice; most of
    the core team known from before the window."""
    ward = make.ward("Ward A")
    nina = make.professional("Nina Nurse", "nurse", [ward])
    nurse = make.user("nina", "nurse", wards=[ward], professional=nina)
    patient = make.patient("Geir Aas", "GA-1")
    make.episode(patient, ward, started=timedelta(days=120))
    safety = make.professional("Sverre Solheim", "psychiatrist", [ward], work_phone="+47 23 01 02 03")
    primary = make.professional("Kari Nordmann", "nurse", [ward])
    therapist = make.professional("Tina Tangen", "psychologist", [ward])
    make.designation(patient, safety, kind="safety_person")
    make.designation(patient, primary, kind="primary_contact", chosen_by_patient=False)
    make.designation(patient, therapist, kind="therapist", chosen_by_patient=False)
    core = [make.professional(name, profession, [ward]) for name, profession in [
        ("Anne-Marie Kristiansen-Johannessen", "social_worker"), ("Bjørn Berg", "nurse"), ("Cecilie Dahl", "nurse"),
        ("David Eriksen", "doctor"), ("Eva Fjeld", "occupational_therapist")]]
    tail = [make.professional(f"Vikar {n:02d} Hansen", "nurse" if n % 3 else "doctor", [ward]) for n in range(18)]
    now = utcnow()
    seen = {safety: [3, 30, 60], primary: [2, 9, 16, 23, 40, 70]}
    seen.update({p: [2 + 8 * k + i for k in range(7 + i)] for i, p in enumerate(core)})  # 7 to 11 contacts
    for n, professional in enumerate(tail):
        seen[professional] = [5 + n * 4] if n % 2 else [4 + n * 4, 6 + n * 4]
    before = [safety, primary, therapist, *core[:4]]  # met before the window: not new faces
    rows = [(p, ago) for p, days in seen.items() for ago in days if ago < 90] + [(p, 200) for p in before]
    for professional, ago in rows:
        db.session.add(Contact(client_id=uuid.uuid4(), patient_id=patient.id, professional_id=professional.id,
                               ward_id=ward.id, kind="conversation", occurred_at=now - timedelta(days=ago, hours=1),
                               received_at=now))
    db.session.commit()
    api = login(nurse)
    assert api.put(f"/api/v1/patients/{patient.id}/crisis-plan", json=PLAN).status_code == 201
    ids = World(patient=patient.id, safety=safety.id, primary=primary.id, therapist=therapist.id,
                measures=api.get(f"/api/v1/patients/{patient.id}/continuity?days=90").get_json())
    db.session.rollback()
    return ids


def test_crisis_first_and_a_picture_that_fits_one_screen(context, live_server, geir, screenshot):
    page = context.new_page()
    log_in(page, live_server, "nina", next_path=f"/patients/{geir.patient}")

    # 1. Key people and the crisis plan come first, within the first screen, before the flags and the picture.
    tops = {name: page.locator(f"#{name}-heading").bounding_box()["y"]
            for name in ("people", "plan", "flags", "timeline", "measures")}
    assert tops["people"] < tops["plan"] < tops["flags"] < tops["timeline"] < tops["measures"], tops
    assert tops["plan"] < 740
    expect(page.locator('#plan [data-field="what_helps_in_crisis"]')).to_be_visible()
    expect(page.locator('#plan [data-field="support_contacts"] a[href="tel:+4740000002"]')).to_be_visible()
    expect(page.locator("#plan-more")).to_be_visible()  # the rest of the plan folded under the crisis sections
    expect(page.locator('#plan-more [data-field="coping_strategies"]')).to_be_hidden()
    expect(page.locator("#plan-write")).to_have_attribute("href", f"/patients/{geir.patient}/crisis-plan")
    screenshot(page, "patient-first-screen-en")

    # 3. The picture: the designated three pinned in role order with badges, then by contacts; the tail folded.
    svg = page.locator("#timeline svg")
    expect(svg).to_have_attribute("data-rows", "8")
    rows = svg.locator("g.row")
    ids = [rows.nth(i).get_attribute("data-professional-id") for i in range(8)]
    assert ids[:3] == [str(geir.safety), str(geir.primary), str(geir.therapist)]
    expect(svg.locator("g.row.pinned")).to_have_count(3)
    assert svg.locator("g.row.pinned text.badge-text").all_text_contents() == [
        "Safety person", "Primary contact", "Therapist"]
    labels = [" ".join(rows.nth(i).locator("text.label").all_text_contents()).replace("\u00a0", " ") for i in range(8)]
    assert labels[3].startswith("Eva Fjeld") and "11 contacts" in labels[3]  # the most seen of the rest first
    assert any(label.startswith("Anne-Marie Kristiansen-Johannessen") for label in labels)  # wrapped, never cut
    fold = page.locator("#timeline-fold")
    expect(fold).to_have_text("+18 people met at most twice")
    expect(fold).to_have_attribute("aria-expanded", "false")
    whole = page.evaluate("""() => {
        const svg = document.querySelector('#timeline svg');
        const width = svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')].every((t) => {
            const b = t.getBBox();
            return b.x >= 0 && b.x + b.width <= width + 0.5;
        });
    }""")
    assert whole, "a label runs out of the picture"
    picture = page.locator("#timeline-heading").bounding_box()["y"], fold.bounding_box()
    assert picture[1]["y"] + picture[1]["height"] - picture[0] <= 740, "the picture does not fit one screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#timeline-heading").scroll_into_view_if_needed()
    page.locator("section:has(#timeline)").screenshot(path=str(_shot_path("relationships")))
    fold.click()
    expect(svg).to_have_attribute("data-rows", "26")
    expect(fold).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#timeline-table tbody tr")).to_have_count(26)
    expect(page.locator("#timeline-table tbody tr").first.locator("th")).to_have_text("Sverre Solheim (Safety person)")
    no_serious_violations(page)
    fold.click()
    expect(svg).to_have_attribute("data-rows", "8")

    # 4. Every measure with a band and a plain reading; KPC and COC read together.
    measures = geir.measures
    for key in BANDS:
        level = band(key, measures[key])
        expect(page.locator(f'[data-measure="{key}"] .verdict')).to_contain_text(level.capitalize())
        expect(page.locator(f'[data-measure="{key}"]')).to_have_attribute("data-band", level)
    kpc, coc = band("kpc", measures["kpc"]), band("coc", measures["coc"])
    assert (kpc, coc) == ("high", "low"), measures  # known people, but many of them: the case that looked odd
    expect(page.locator("#measures-reading")).to_have_text(
        "Most contacts are with people the patient already knows, but spread over many of them.")
    screenshot(page, "patient-geir-en")
    page.emulate_media(color_scheme="dark")
    no_serious_violations(page)
    page.get_by_label("1 year").check()  # a year: the people met before the window show up too
    expect(page.locator("#timeline-summary")).to_contain_text("88 contacts")
    expect(svg).to_have_attribute("data-rows", "8")
    page.locator("section:has(#timeline)").screenshot(path=str(_shot_path("relationships-year-dark")))


def _shot_path(name):
    from tests.web.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
