"""Crisis-plan fixtures: a full plan body with a recognisable secret, and a world to write it in."""

import pytest

SECRET = "Zebra-umbrella-7741 warning sign"

PLAN = {
    "warning_signs": [SECRET, "Not sleeping for two nights"],
    "coping_strategies": ["Walk by the river"],
    "helpful_people_and_places": ["The library"],
    "support_contacts": [{"name": "Sister Sara", "phone": "+47 912 34 567"}],
    "professional_contacts": [{"name": "Crisis team", "phone": "113", "when": "At night"}],
    "safe_environment": ["Give the car keys to Sara"],
    "what_helps_in_crisis": ["A quiet room"],
    "what_does_not_help": ["Being touched without asking"],
    "treatment_preferences": "Talk first.\nMedication only if I agree.",
    "treatment_refusals": "No depot injections.",
    "patient_controlled_admission": {"agreed": True, "max_days_per_stay": 5, "min_days_between_stays": 14,
                                     "valid_until": "2027-06-30", "how_to_ask": "Call the ward."},
    "reasons_for_living": ["My dog"],
    "note": "Written together in the garden.",
    "reviewed_with_patient": True,
}


@pytest.fixture
def setup(ward_setup, make):
    """ward_setup plus logged-in nurse, leader, other-ward nurse, and patient A's own login."""
    s = ward_setup.with_(patient_user=make.user("pat-a", "patient", patient=ward_setup.patient_a),
                         patient_b_user=make.user("pat-b", "patient", patient=ward_setup.patient_b))
    login = s.login
    return s.with_(as_nurse=login(s.nurse), as_leader=login(s.leader), as_other=login(s.other_nurse),
                   as_admin=login(s.admin), as_patient=login(s.patient_user), as_patient_b=login(s.patient_b_user))


def plan_url(patient) -> str:
    return f"/api/v1/patients/{patient.id}/crisis-plan"


def put_plan(api, patient, body=None, etag=None):
    headers = {"If-Match": etag} if etag else {}
    return api.put(plan_url(patient), json=PLAN if body is None else body, headers=headers)
