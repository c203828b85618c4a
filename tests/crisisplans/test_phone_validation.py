"""Phone numbers in a crisis plan are checked by the server (422 naming the field), and a stale write's 412 names
the newest version so that the page can merge."""

import pytest

from tests.crisisplans.conftest import PLAN, plan_url, put_plan


@pytest.mark.parametrize("number", ["113", "116 117", "+47 912 34 567", "+44 (0) 20 7946 0958", "22-00-00-00"])
def test_numbers_people_write_are_kept(setup, number):
    body = {"support_contacts": [{"name": "Sara", "phone": f" {number} "}], "reviewed_with_patient": False}
    response = put_plan(setup.as_nurse, setup.patient_a, body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["support_contacts"] == [{"name": "Sara", "phone": number}]


@pytest.mark.parametrize("number", ["12", "+47", "call me", "22 22 22 22 22 22 22 22", "1--2 3", "(22 33",
                                    "22 33 x", "", "++47 22 33 44 55"])
def test_bad_numbers_are_422_naming_the_field(setup, number):
    body = {"support_contacts": [{"name": "Sara", "phone": "+47 912 34 567"}],
            "professional_contacts": [{"name": "Crisis team", "phone": number, "when": "At night"}]}
    response = put_plan(setup.as_nurse, setup.patient_a, body)
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    errors = response.get_json()["errors"]
    assert list(errors) == ["professional_contacts"]
    assert list(errors["professional_contacts"]) == ["0"] and list(errors["professional_contacts"]["0"]) == ["phone"]
    assert setup.as_nurse.get(plan_url(setup.patient_a)).status_code == 404  # nothing was stored


def test_a_stale_write_names_the_latest_version(setup):
    patient, nurse, leader = setup.patient_a, setup.as_nurse, setup.as_leader
    first = put_plan(nurse, patient)
    second = put_plan(leader, patient, {**PLAN, "note": "The leader's"}, first.headers["ETag"])
    stale = put_plan(nurse, patient, {**PLAN, "note": "The nurse's"}, first.headers["ETag"])
    assert stale.status_code == 412 and stale.content_type == "application/problem+json"
    body = stale.get_json()
    assert body["latest"]["version"] == 2 and body["latest"]["created_by"] == {"name": "tom", "role": "team_leader"}
    assert "note" not in body and "note" not in body["latest"]  # no content without an audited read
    assert stale.headers["ETag"] == second.headers["ETag"]
    assert put_plan(nurse, patient, {**PLAN, "note": "Merged"}, stale.headers["ETag"]).status_code == 201
