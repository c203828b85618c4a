"""The reminders page (/reminders) as the server sends it, and the reminders API it reads: names for staff
within reach, nothing for patients."""

import re

import pytest

from tests.patients.helpers import problem
from tests.reminders.conftest import due_plan
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.reminders.sweep import sweep_reminders
from wardtrack.web.views import SHELL_PAGES, SHELL_STATIC

ELEMENTS = ('id="open-list"', 'id="snoozed-list"', 'id="digests"', 'id="digest-list"', 'id="push"',
            'id="push-toggle"', 'id="push-state"', 'id="reminders-message"', 'id="login-form"',
            'data-snooze-days="7"', "/static/js/reminders.js", "/static/css/reminders.css")


@pytest.fixture
def due(ward_setup):
    """Dora's maintenance plan for Patient A (ward A), due and swept: one open reminder; its id."""
    plan = due_plan(ward_setup.patient_a, ward_setup.doctor)
    sweep_reminders(utcnow())
    db.session.commit()
    return plan.id


def test_shell_has_its_elements(client):
    response = client.get("/reminders")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for element in ELEMENTS:
        assert element in html, element


@pytest.mark.parametrize(("lang", "heading", "kind"), [("en", "Reminders", "Maintenance contact due"),
                                                       ("nb", "Påminnelser", "Vedlikeholdskontakt forfaller")])
def test_both_languages(client, lang, heading, kind):
    html = client.get("/reminders", headers={"Accept-Language": lang}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{heading}</h1>" in html
    catalogue = re.search(r'<script id="i18n" type="application/json">(.*?)</script>', html, re.S).group(1)
    assert kind in catalogue


@pytest.mark.parametrize("who", [None, "nurse", "leader", "admin"])
def test_no_patient_data_in_the_shell(client, ward_setup, due, who):
    web = ward_setup.login(getattr(ward_setup, who)).client if who else client
    html = web.get("/reminders").get_data(as_text=True)
    for secret in ("Patient A", "PA-1", "Patient B", "Dora Doctor", "Nina Nurse"):
        assert secret not in html, secret


@pytest.mark.parametrize(("who", "shown"), [("nurse", True), ("leader", True), ("admin", True), (None, False)])
def test_staff_find_it_in_the_navigation(client, ward_setup, who, shown):
    web = ward_setup.login(getattr(ward_setup, who)).client if who else client
    html = web.get("/").get_data(as_text=True)
    assert ('href="/reminders"' in html) is shown


def test_patients_have_no_reminders_link_and_no_access(ward_setup, make, login, due):
    own = login(make.user("pat", "patient", patient=ward_setup.patient_a))
    assert 'href="/reminders"' not in own.client.get("/me").get_data(as_text=True)
    assert own.client.get("/reminders").status_code == 200  # the shell; the API below says no
    problem(own.get("/api/v1/reminders"), 403)
    problem(own.get("/api/v1/digests"), 403)
    [reminder] = ward_setup.login(ward_setup.leader).get("/api/v1/reminders").get_json()["items"]
    problem(own.post(f"/api/v1/reminders/{reminder['id']}/done"), 403)
    problem(own.post(f"/api/v1/reminders/{reminder['id']}/snooze", json={"until": "2099-01-01"}), 403)


def test_the_list_names_the_patient_and_the_professional_within_reach(ward_setup, due):
    """The team leader sees the ward's reminder with names; a nurse on another ward sees nothing."""
    [item] = ward_setup.login(ward_setup.leader).get("/api/v1/reminders?status=open").get_json()["items"]
    assert item["plan_id"] == due and item["kind"] == "maintenance_due"
    assert (item["patient_id"], item["patient_name"]) == (ward_setup.patient_a.id, "Patient A")
    assert (item["professional_id"], item["professional_name"]) == (ward_setup.doctor.id, "Dora Doctor")
    assert ward_setup.login(ward_setup.other_nurse).get("/api/v1/reminders").get_json()["items"] == []
    assert ward_setup.login(ward_setup.nurse).get("/api/v1/reminders").get_json()["items"] == []


def test_the_page_is_precached_with_its_files():
    assert "/reminders" in SHELL_PAGES
    assert {"css/reminders.css", "js/reminders.js", "js/push.js"} <= set(SHELL_STATIC)
