"""The staff pages (/patients/<id>, /board) as the server sends them, and the access rules of the API they use."""

import re

import pytest

from tests.patients.helpers import problem
from tests.support import World
from wardtrack.continuity.models import Flag
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.web.views import SHELL_PAGES, SHELL_STATIC


@pytest.fixture
def flag(ward_setup):
    """An open flag of Patient A (ward A) and one of Patient B (ward B)."""
    flags = [Flag(patient_id=getattr(ward_setup, name).id, code="no_safety_person", severity="high",
                  detail="No safety person.", opened_at=utcnow()) for name in ("patient_a", "patient_b")]
    db.session.add_all(flags)
    db.session.commit()
    return World(a=flags[0].id, b=flags[1].id)


@pytest.mark.parametrize(("path", "elements"), [
    ("/patients/1", ('id="patient"', 'data-patient-id="1"', 'id="key-people"', 'id="timeline"',
                     'id="timeline-table"', 'id="timeline-legend"', 'id="measures"', 'data-measure="kpc"',
                     'id="flags"', 'id="plan"',
                     'name="period" value="90"', 'name="period" value="365"', "/static/js/patient.js",
                     "/static/css/staff.css", 'id="login-form"', 'id="page-message"')),
    ("/board", ('id="board"', 'id="ward"', 'id="history-chart"', 'id="history-table"', 'id="flag-dialog"',
                'id="flag-note"', 'id="person-dialog"', 'id="plan-dialog"', 'id="plan-interval"', 'min="7"',
                'max="730"', 'value="182"', "/static/js/board.js", "/static/css/staff.css", 'id="login-form"')),
])
def test_shell_has_its_elements(client, path, elements):
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for element in elements:
        assert element in html, element
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html


@pytest.mark.parametrize("path", ["/patients/1", "/board"])
@pytest.mark.parametrize(("lang", "words"), [("en", ("Key people", "Ward board")),
                                             ("nb", ("Nøkkelpersoner", "Avdelingstavle"))])
def test_both_languages(client, path, lang, words):
    html = client.get(path, headers={"Accept-Language": lang}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert words[0 if path.startswith("/patients") else 1] in html
    catalogue = re.search(r'<script id="i18n" type="application/json">(.*?)</script>', html, re.S).group(1)
    assert ("Kvitter ut" if lang == "nb" else "Acknowledge") in catalogue


@pytest.mark.parametrize("who", [None, "nurse", "leader"])
def test_no_patient_data_in_the_shell(client, ward_setup, flag, who):
    """Logged in or not, the HTML holds no names, identifiers or flag texts: those come from the API."""
    web = ward_setup.login(getattr(ward_setup, who)).client if who else client
    for path in (f"/patients/{ward_setup.patient_a.id}", "/board"):
        html = web.get(path).get_data(as_text=True)
        for secret in ("Patient A", "PA-1", "Patient B", "PB-1", "No safety person.", "Dora Doctor", "Nina Nurse"):
            assert secret not in html, (path, secret)


def test_board_is_precached_with_its_files():
    assert "/board" in SHELL_PAGES
    files = {"css/staff.css", "js/board.js", "js/board_dialogs.js", "js/patient.js", "js/timeline.js"}
    assert files <= set(SHELL_STATIC)


def test_the_patient_page_reads_only_what_the_api_allows(ward_setup, make, login, client):
    nurse = ward_setup.login(ward_setup.nurse)
    mine, other = ward_setup.patient_a.id, ward_setup.patient_b.id
    for path in ("", "/timeline", "/continuity", "/flags", "/crisis-plan"):
        problem(nurse.get(f"/api/v1/patients/{other}{path}"), 404)  # out of reach: not found
        problem(client.get(f"/api/v1/patients/{mine}{path}"), 401)
    for path in ("", "/timeline", "/continuity", "/flags"):
        assert nurse.get(f"/api/v1/patients/{mine}{path}").status_code == 200, path
    own = login(make.user("pat", "patient", patient=ward_setup.patient_a))
    for path in ("/timeline", "/continuity", "/flags", "/crisis-plan"):
        problem(own.get(f"/api/v1/patients/{mine}{path}"), 403)  # staff pages' data is for staff
    problem(own.get(f"/api/v1/patients/{other}"), 404)


def test_the_board_writes_are_for_team_leaders(ward_setup, flag, make, login):
    nurse, leader = ward_setup.login(ward_setup.nurse), ward_setup.login(ward_setup.leader)
    patient = ward_setup.patient_a.id
    professional = ward_setup.doctor.id
    own = login(make.user("pat", "patient", patient=ward_setup.patient_a))
    person = {"professional_id": professional, "chosen_by_patient": True}
    writes = [  # (method, path, body, the leader's status)
        ("post", f"/api/v1/flags/{flag.a}/acknowledge", {"note": "Seen"}, 200),
        ("post", f"/api/v1/flags/{flag.a}/resolve", {"note": "Done"}, 200),
        ("put", f"/api/v1/patients/{patient}/safety-person", person, 200),
        ("put", f"/api/v1/patients/{patient}/primary-contact", {**person, "chosen_by_patient": False}, 200),
        ("post", f"/api/v1/patients/{patient}/maintenance-plans", {"professional_id": professional}, 201),
    ]
    for method, path, body, _status in writes:
        problem(getattr(nurse, method)(path, json=body), 403)
        problem(getattr(own, method)(path, json=body), 403)
    ward = ward_setup.ward_a.id
    for path in (f"/api/v1/wards/{ward}/board", f"/api/v1/wards/{ward}/continuity-history"):
        assert nurse.get(path).status_code == 200  # nurses read the board
        problem(own.get(path), 403)
    problem(leader.post(f"/api/v1/flags/{flag.b}/acknowledge", json={"note": "x"}), 404)  # another ward's flag
    problem(leader.post(f"/api/v1/flags/{flag.a}/acknowledge", json={"note": ""}), 422, "note")
    assert leader.post(f"/api/v1/flags/{flag.a}/acknowledge", json={"note": "Seen"}).status_code == 200
    problem(leader.post(f"/api/v1/flags/{flag.a}/acknowledge", json={"note": "Again"}), 409)
    for method, path, body, status in writes[1:]:
        assert getattr(leader, method)(path, json=body).status_code == status, path
    problem(leader.post(f"/api/v1/patients/{patient}/maintenance-plans",
                        json={"professional_id": professional, "interval_days": 6}), 422, "interval_days")


def test_every_flag_reason_and_contact_kind_has_page_words_with_the_same_placeholders(app):
    from wardtrack.contacts.models import KINDS
    from wardtrack.continuity.wording import REASONS as ENGLISH
    from wardtrack.web.i18n import JS_STRINGS

    placeholders = re.compile(r"\{(\w+)\}")
    with app.test_request_context():
        for key, english in ENGLISH.items():
            page = str(JS_STRINGS[f"reason_{key}"])
            assert set(placeholders.findall(page)) == set(placeholders.findall(english)), key
    assert all(f"kind_{code}" in JS_STRINGS for code in KINDS)
