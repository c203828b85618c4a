"""no_crisis_plan opens for a patient in care without a plan and resolves once a plan is written."""

from tests.crisisplans.conftest import put_plan


def open_codes(api, patient) -> set[str]:
    response = api.get(f"/api/v1/patients/{patient.id}/flags?status=open")
    assert response.status_code == 200, response.get_json()
    return {flag["code"] for flag in response.get_json()["items"]}


def test_no_crisis_plan_opens_and_resolves_after_a_put(setup):
    patient, leader = setup.patient_a, setup.as_leader
    leader.post(f"/api/v1/patients/{patient.id}/episodes", json={  # queues the patient for recomputation
        "ward_id": setup.ward_a.id, "kind": "outpatient", "started_at": "2026-01-01T10:00:00+01:00",
        "legal_status": "voluntary"})
    assert "no_crisis_plan" in open_codes(leader, patient)
    assert put_plan(setup.as_nurse, patient).status_code == 201
    assert "no_crisis_plan" not in open_codes(leader, patient)
    resolved = leader.get(f"/api/v1/patients/{patient.id}/flags?status=resolved").get_json()["items"]
    assert "no_crisis_plan" in {flag["code"] for flag in resolved}
