"""GET/POST /api/v1/wards and GET /api/v1/wards/{id}."""

import pytest

from tests.core.problems import assert_problem

WARDS = "/api/v1/wards"


def test_staff_list_wards(ward_setup, login):
    for who in ("nurse", "leader", "admin"):
        body = login(getattr(ward_setup, who)).get(WARDS).get_json()
        assert [(w["name"], w["setting"]) for w in body["items"]] == [("Ward A", "acute_ward"),
                                                                      ("Ward B", "acute_ward")]
        assert body["next_cursor"] is None


def test_wards_page_by_cursor(ward_setup, login, make):
    make.ward("Ward C", "outpatient_clinic")
    api = login(ward_setup.nurse)
    first = api.get(WARDS, query_string={"limit": 2}).get_json()
    assert [w["name"] for w in first["items"]] == ["Ward A", "Ward B"]
    second = api.get(WARDS, query_string={"limit": 2, "cursor": first["next_cursor"]}).get_json()
    assert [w["name"] for w in second["items"]] == ["Ward C"] and second["next_cursor"] is None


@pytest.mark.parametrize("limit", [0, 501, "many"])
def test_limit_is_validated(ward_setup, login, limit):
    assert_problem(login(ward_setup.nurse).get(WARDS, query_string={"limit": limit}), 422, "limit")


def test_patients_and_anonymous_callers_do_not_read_wards(ward_setup, make, login, client):
    patient = login(make.user("pat", "patient", patient=ward_setup.patient_a))
    assert_problem(patient.get(WARDS), 403)
    assert_problem(patient.get(f"{WARDS}/{ward_setup.ward_a.id}"), 403)
    assert_problem(client.get(WARDS), 401)


def test_admin_creates_a_ward(ward_setup, login):
    admin = login(ward_setup.admin)
    response = admin.post(WARDS, json={"name": "  Outreach North ", "setting": "assertive_outreach_team",
                                       "timezone": "Europe/London"})
    assert response.status_code == 201
    ward = response.get_json()
    assert ward == {"id": ward["id"], "name": "Outreach North", "setting": "assertive_outreach_team",
                    "timezone": "Europe/London", "contact_backdate_hours": 72,
                    "check_in_interval_days": 30}
    assert admin.get(f"{WARDS}/{ward['id']}").get_json() == ward
    default = admin.post(WARDS, json={"name": "Clinic", "setting": "outpatient_clinic"}).get_json()
    assert default["timezone"] == "Europe/Oslo"


@pytest.mark.parametrize("who", ["nurse", "leader"])
def test_only_admins_create_wards(ward_setup, login, who):
    api = login(getattr(ward_setup, who))
    assert_problem(api.post(WARDS, json={"name": "Ward Z", "setting": "acute_ward"}), 403)
    assert [w["name"] for w in api.get(WARDS).get_json()["items"]] == ["Ward A", "Ward B"]


def test_duplicate_ward_name_is_409(ward_setup, login):
    assert_problem(login(ward_setup.admin).post(WARDS, json={"name": "Ward A ", "setting": "acute_ward"}), 409)


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "W", "setting": "spa"}, "setting"),
    ({"name": "W", "setting": "acute_ward", "timezone": "Mars/Olympus"}, "timezone"),
    ({"name": "W", "setting": "acute_ward", "timezone": "../../etc/passwd"}, "timezone"),
    ({"name": "W", "setting": "acute_ward", "timezone": "x" * 300}, "timezone"),
    ({"name": "   ", "setting": "acute_ward"}, "name"),
    ({"name": "W" * 201, "setting": "acute_ward"}, "name"),
    ({"setting": "acute_ward"}, "name"),
    ({"name": "W", "setting": "acute_ward", "id": 5}, "id"),
])
def test_ward_validation_names_the_field(ward_setup, login, body, field):
    assert_problem(login(ward_setup.admin).post(WARDS, json=body), 422, field)


def test_unknown_ward_is_404(ward_setup, login):
    api = login(ward_setup.nurse)
    assert_problem(api.get(f"{WARDS}/9999"), 404)
    assert_problem(api.get(f"{WARDS}/99999999999999999999"), 404)
