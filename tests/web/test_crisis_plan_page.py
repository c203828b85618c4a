"""The crisis-plan editor as the server sends it: a shell with every section and no patient data."""

from tests.crisisplans.conftest import PLAN, put_plan
from wardtrack.web.crisis_plan_page import SECTIONS


def test_the_editor_is_a_shell_with_every_section(client, ward_setup, login):
    nurse, patient = login(ward_setup.nurse), ward_setup.patient_a
    assert put_plan(nurse, patient).status_code == 201
    for who in (client, nurse):
        response = who.get(f"/patients/{patient.id}/crisis-plan")
        assert response.status_code == 200 and response.mimetype == "text/html"
        html = response.get_data(as_text=True)
        for field, _label, _kind in SECTIONS:
            assert f'data-field="{field}"' in html, field
        for element in ('id="cp-form"', 'name="reviewed" value="yes"', 'name="reviewed" value="no"', 'id="cp-merge"',
                        'id="cp-versions"', 'id="cp-suggestions"', "/static/js/crisis_plan.js", 'id="login-form"'):
            assert element in html, element
        assert "checked" not in html.split('name="reviewed"')[1].split("</fieldset>")[0]  # no answer chosen for them
        for secret in ("Patient A", "PA-1", "Zebra-umbrella", "Sister Sara", "912 34 567", PLAN["note"]):
            assert secret not in html, secret
