"""Accessibility: axe-core finds no serious or critical violation on any page, in English and in bokmål.

Every page route the app has is checked, logged in as the role the page is for and with its data loaded;
a new page route without an entry in PAGES fails test_every_page_route_is_checked, so none is missed.
Each check also writes a 360×740 screenshot (`<page>-<lang>.png`).
"""

from datetime import timedelta

import pytest

from tests.conftest import TEST_KEYS
from tests.support import Factories, World
from wardtrack import create_app
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.notifications.models import Digest
from wardtrack.reminders.models import MaintenancePlan
from wardtrack.reminders.sweep import sweep_reminders

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])")
axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed")
expect = sync_api.expect
pytestmark = pytest.mark.browser

LANGUAGES = ("en", "nb")
SERIOUS = {"serious", "critical"}
# Routes that are not pages: files, the manifest, the service worker, health checks, the language switch.
NOT_PAGES = {"static", "web.manifest", "web.service_worker", "web.api_docs_assets", "health.healthz",
             "health.readyz", "i18n.choose_language", "metrics.metrics"}
#: rule → (screenshot name, who is logged in, the address to open, whether the page sets data-ready).
PAGES = {
    "/": ("index", None, lambda w: "/", False),
    "/login": ("login", None, lambda w: "/login", False),
    "/log": ("log", "nina", lambda w: "/log", True),
    "/offline": ("offline", None, lambda w: "/offline", False),
    "/me": ("me", "pia", lambda w: "/me", True),
    "/me/check-ins": ("me-check-ins", "pia", lambda w: "/me/check-ins", True),
    "/board": ("board", "tom", lambda w: f"/board?ward={w.ward_id}", True),
    "/patients/<int:patient_id>": ("patient", "tom", lambda w: f"/patients/{w.pia_id}", True),
    "/patients/<int:patient_id>/crisis-plan": ("crisis-plan", "tom", lambda w: f"/patients/{w.pia_id}/crisis-plan",
                                               True),
    "/reminders": ("reminders", "tom", lambda w: "/reminders", True),
}
# The start page also shows a logged-in nurse her pages, and the navigation.
EXTRA = [("/", ("index-nurse", "nina", lambda w: "/", False))]


def _page_rules() -> set[str]:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "routes",
                      "CRYPTO_KEYS": TEST_KEYS, "CRYPTO_KEYS_FILE": None})
    return {rule.rule for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint not in NOT_PAGES
            and not rule.rule.startswith(("/api/", "/fhir/"))}


APP_PAGES = _page_rules()
CASES = [(rule, PAGES[rule]) for rule in PAGES if rule in APP_PAGES] + [c for c in EXTRA if c[0] in APP_PAGES]


def test_every_page_route_is_checked():
    missing = sorted(APP_PAGES - set(PAGES))
    assert missing == [], f"page routes without an accessibility check: add them to PAGES: {missing}"


@pytest.fixture
def world(make, login):
    """A ward with a nurse, a team leader, a doctor with a work phone, and Pia: admitted, with a login,
    a safety person, a crisis plan that the nurse has read, and a few contacts."""
    world = make.pia_world(leader=("tom", "Tom Leader"), dora=True, started=timedelta(days=20))
    ward, nina, dora, pia = world.ward, world.nina, world.dora, world.pia
    make.episode(make.patient("Ola Dahl", "OD-1"), ward, started=timedelta(days=3))
    make.designation(pia, dora)
    api = login(world.nurse)
    plan = {"warning_signs": ["I stop sleeping"], "support_contacts": [{"name": "Kari", "phone": "+47 400 00 001"}],
            "professional_contacts": [{"name": "Crisis team", "phone": "+47 22 00 00 00", "when": "at night"}],
            "treatment_preferences": "Talk first.",
            "patient_controlled_admission": {"agreed": True, "how_to_ask": "Call the ward."},
            "reasons_for_living": ["My cat"], "reviewed_with_patient": True}
    assert api.put(f"/api/v1/patients/{pia.id}/crisis-plan", json=plan).status_code == 201
    assert api.get(f"/api/v1/patients/{pia.id}/crisis-plan").status_code == 200
    for days, who in ((1, dora), (4, nina), (9, dora)):
        body = {"client_id": f"00000000-0000-4000-8000-{days:012d}", "patient_id": pia.id, "kind": "conversation",
                "professional_id": who.id, "ward_id": ward.id,
                "occurred_at": (utcnow() - timedelta(days=days)).isoformat()}
        assert api.post("/api/v1/contacts", json=body).status_code == 201
    # A maintenance plan with Dora that has come due, and yesterday's digest: the reminders page has content.
    plan = MaintenancePlan(patient_id=pia.id, professional_id=dora.id, interval_days=182,
                           started_at=utcnow() - timedelta(days=200))
    db.session.add(plan)
    db.session.flush()
    sweep_reminders(utcnow())
    db.session.add(Digest(ward_id=ward.id, local_date=(utcnow() - timedelta(days=1)).date(),
                          since_at=utcnow() - timedelta(days=2), created_at=utcnow(), new_flags=2))
    db.session.commit()
    ids = World(ward_id=ward.id, pia_id=pia.id)
    # Plain ids, and no transaction left open: on SQLite every transaction takes the write lock.
    db.session.rollback()
    return ids


def _open(context, base, username, path, lang, scheme="light"):
    context.add_cookies([{"name": "lang", "value": lang, "url": base}])
    if username:
        response = context.request.post(f"{base}/api/v1/auth/login",
                                        data={"username": username, "password": Factories.PASSWORD})
        assert response.ok, response.text()
    page = context.new_page()
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{base}{path}")
    return page


def _report(violations) -> str:
    lines = []
    for violation in violations:
        targets = "; ".join(", ".join(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return "\n".join(lines)


def _check(page, rule, label, waits, screenshot, shot):
    if waits:
        expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.wait_for_load_state("networkidle")
    screenshot(page, shot)
    results = axe_sync.Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    if serious:  # no traceback: the rule ids and where they failed are the whole story
        rules = ", ".join(sorted({v["id"] for v in serious}))
        pytest.fail(f"{rule} ({label}): {rules}\n{_report(serious)}", pytrace=False)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("rule", "case"), CASES, ids=[case[0] for _rule, case in CASES])
def test_no_serious_or_critical_violations(context, live_server, world, screenshot, rule, case, lang):
    name, username, address, waits = case
    page = _open(context, live_server, username, address(world), lang)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    _check(page, rule, lang, waits, screenshot, f"{name}-{lang}")


@pytest.mark.parametrize(("rule", "case"), CASES, ids=[case[0] for _rule, case in CASES])
def test_dark_colours_keep_their_contrast(context, live_server, world, screenshot, rule, case):
    name, username, address, waits = case
    page = _open(context, live_server, username, address(world), "en", "dark")
    _check(page, rule, "en, dark", waits, screenshot, f"{name}-dark-en")
