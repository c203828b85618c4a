"""Quick-adding an on-call doctor from the contact log: POST /api/v1/professionals as the log form sends it."""

from datetime import timedelta

from tests.core.problems import assert_problem
from wardtrack.core.time import utcnow

PROFESSIONALS = "/api/v1/professionals"


def quick(ward, **changes):
    return {"name": "Otto On-call", "profession": "doctor", "ward_ids": [ward.id], **changes}


def test_a_nurse_quick_adds_and_the_log_form_lists_and_logs_with_them(ward_setup, login):
    api, ward = login(ward_setup.nurse), ward_setup.ward_a
    created = api.post(PROFESSIONALS, json=quick(ward))
    assert created.status_code == 201, created.get_json()
    new_id = created.get_json()["id"]
    listed = api.get(PROFESSIONALS, query_string={"ward_id": ward.id, "limit": 500}).get_json()["items"]
    assert new_id in [item["id"] for item in listed]  # a member of the ward from today on
    contact = {"client_id": "7d3c1b8e-4a52-4b7e-9b1e-2f0c6d1a9e11", "patient_id": ward_setup.patient_a.id,
               "professional_id": new_id, "occurred_at": (utcnow() - timedelta(minutes=5)).isoformat(),
               "kind": "decision", "ward_id": ward.id}
    assert api.post("/api/v1/contacts", json=contact).status_code == 201


def test_a_patient_may_not_add_professionals(ward_setup, login, make):
    patient = make.user("pia", "patient", patient=ward_setup.patient_a)
    assert_problem(login(patient).post(PROFESSIONALS, json=quick(ward_setup.ward_a)), 403)


def test_unknown_or_bad_fields_are_422_naming_the_field(ward_setup, login):
    api, ward = login(ward_setup.nurse), ward_setup.ward_a
    for body, field in ((quick(ward, pager="123"), "pager"), (quick(ward, name="   "), "name"),
                        (quick(ward, profession="wizard"), "profession"),
                        (quick(ward, work_phone="call me"), "work_phone")):
        assert_problem(api.post(PROFESSIONALS, json=body), 422, field)
    assert api.get(PROFESSIONALS, query_string={"q": "Otto"}).get_json()["items"] == []
