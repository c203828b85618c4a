"""GET/POST /api/v1/professionals and GET /api/v1/professionals/{id}."""

import pytest

from tests.core.problems import assert_problem
from wardtrack.organisation.models import PROFESSIONS

PROFESSIONALS = "/api/v1/professionals"


def _body(ward, **changes):
    return {"name": "Lena Locum", "profession": "doctor", "ward_ids": [ward.id], **changes}


@pytest.mark.parametrize("who", ["nurse", "leader"])
def test_ward_staff_add_a_professional_to_their_ward(ward_setup, login, who):
    api = login(getattr(ward_setup, who))
    response = api.post(PROFESSIONALS, json=_body(ward_setup.ward_a, work_phone="+47 22 33 44 55"))
    assert response.status_code == 201
    created = response.get_json()
    assert created == {"id": created["id"], "name": "Lena Locum", "profession": "doctor",
                       "ward_ids": [ward_setup.ward_a.id], "work_phone": "+47 22 33 44 55"}
    assert api.get(f"{PROFESSIONALS}/{created['id']}").get_json() == created


def test_admin_adds_to_any_wards(ward_setup, login):
    body = _body(ward_setup.ward_a, ward_ids=[ward_setup.ward_b.id, ward_setup.ward_a.id])
    response = login(ward_setup.admin).post(PROFESSIONALS, json=body)
    assert response.status_code == 201
    assert response.get_json()["ward_ids"] == sorted([ward_setup.ward_a.id, ward_setup.ward_b.id])


def test_adding_to_another_ward_is_403(ward_setup, login):
    api = login(ward_setup.nurse)
    assert_problem(api.post(PROFESSIONALS, json=_body(ward_setup.ward_b)), 403)
    both = _body(ward_setup.ward_a, ward_ids=[ward_setup.ward_a.id, ward_setup.ward_b.id])
    assert_problem(api.post(PROFESSIONALS, json=both), 403)
    assert api.get(PROFESSIONALS, query_string={"q": "Locum"}).get_json()["items"] == []


def test_patients_may_neither_add_nor_list(ward_setup, make, login, client):
    patient = login(make.user("pat", "patient", patient=ward_setup.patient_a))
    assert_problem(patient.post(PROFESSIONALS, json=_body(ward_setup.ward_a)), 403)
    assert_problem(patient.get(PROFESSIONALS), 403)
    assert_problem(patient.get(f"{PROFESSIONALS}/{ward_setup.doctor.id}"), 403)
    assert_problem(client.get(PROFESSIONALS), 401)


@pytest.mark.parametrize(("changes", "field"), [
    ({"ward_ids": [9999]}, "ward_ids"),
    ({"ward_ids": []}, "ward_ids"),
    ({"ward_ids": ["1"]}, "ward_ids"),
    ({"work_phone": "call me maybe"}, "work_phone"),
    ({"work_phone": "12"}, "work_phone"),
    ({"profession": "shaman"}, "profession"),
    ({"name": ""}, "name"),
    ({"email": "x@example.org"}, "email"),
])
def test_professional_validation_names_the_field(ward_setup, login, changes, field):
    response = login(ward_setup.nurse).post(PROFESSIONALS, json=_body(ward_setup.ward_a, **changes))
    assert_problem(response, 422, field)


def test_every_profession_is_accepted(ward_setup, login):
    api = login(ward_setup.admin)
    for profession in PROFESSIONS:
        response = api.post(PROFESSIONALS, json=_body(ward_setup.ward_a, name=f"P {profession}",
                                                      profession=profession))
        assert response.status_code == 201, response.get_json()


def test_unknown_professional_is_404(ward_setup, login):
    assert_problem(login(ward_setup.nurse).get(f"{PROFESSIONALS}/9999"), 404)


@pytest.fixture
def staff(ward_setup, make):
    """Ward A: Nina Nurse, Dora Doctor, Pia Psychologist; ward B: Bo Nurse, Per 100% Peer."""
    make.professional("Pia Psychologist", "psychologist", [ward_setup.ward_a])
    make.professional("Bo Nurse", "nurse", [ward_setup.ward_b])
    make.professional("Per 100% Peer", "peer_worker", [ward_setup.ward_b])
    return ward_setup


def _names(api, **query):
    response = api.get(PROFESSIONALS, query_string=query)
    assert response.status_code == 200, response.get_json()
    return [p["name"] for p in response.get_json()["items"]]


def test_list_is_by_name_and_filters(staff, login):
    api = login(staff.nurse)
    assert _names(api) == ["Bo Nurse", "Dora Doctor", "Nina Nurse", "Per 100% Peer", "Pia Psychologist"]
    assert _names(api, ward_id=staff.ward_a.id) == ["Dora Doctor", "Nina Nurse", "Pia Psychologist"]
    assert _names(api, ward_id=staff.ward_b.id) == ["Bo Nurse", "Per 100% Peer"]
    assert _names(api, profession="nurse") == ["Bo Nurse", "Nina Nurse"]
    assert _names(api, profession="nurse", ward_id=staff.ward_b.id) == ["Bo Nurse"]
    assert _names(api, q="nurse") == ["Bo Nurse", "Nina Nurse"]
    assert _names(api, q="100%") == ["Per 100% Peer"]
    assert _names(api, q="%") == ["Per 100% Peer"]  # a wildcard character is matched literally
    assert _names(api, q="_") == []
    assert _names(api, ward_id=9999) == []


@pytest.mark.parametrize(("query", "field"), [
    ({"ward_id": "a"}, "ward_id"), ({"ward_id": 0}, "ward_id"), ({"profession": "shaman"}, "profession"),
    ({"q": ""}, "q"),
])
def test_list_query_validation(staff, login, query, field):
    assert_problem(login(staff.nurse).get(PROFESSIONALS, query_string=query), 422, field)


def test_limit_one_walks_every_page(staff, make, login):
    make.professional("Dora Doctor", "doctor", [staff.ward_b])  # same name: the id breaks the tie
    api = login(staff.leader)
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        body = api.get(PROFESSIONALS, query_string=query).get_json()
        assert len(body["items"]) == 1
        seen += [(p["name"], p["id"]) for p in body["items"]]
        pages += 1
        if not (cursor := body["next_cursor"]):
            break
    assert pages == 6 and seen == sorted(seen) and len(set(seen)) == 6
    filtered = api.get(PROFESSIONALS, query_string={"limit": 1, "ward_id": staff.ward_b.id}).get_json()
    rest = api.get(PROFESSIONALS, query_string={"limit": 5, "ward_id": staff.ward_b.id,
                                                 "cursor": filtered["next_cursor"]}).get_json()
    assert [p["name"] for p in filtered["items"] + rest["items"]] == ["Bo Nurse", "Dora Doctor", "Per 100% Peer"]


def test_long_names_still_page(staff, make, login):
    for letter in "xyz":
        make.professional(letter * 200, "other", [staff.ward_a])
    api = login(staff.nurse)
    body = api.get(PROFESSIONALS, query_string={"limit": 6}).get_json()
    rest = api.get(PROFESSIONALS, query_string={"limit": 6, "cursor": body["next_cursor"]})
    assert rest.status_code == 200
    assert [p["name"][0] for p in rest.get_json()["items"]] == ["y", "z"]
