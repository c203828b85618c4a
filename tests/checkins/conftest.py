"""A ward where patient A has two key people (Peter, with a nurse login, as therapist; Nina as
safety person) and a login of her own, and a team leader on ward B."""

import pytest

from wardtrack.checkins.models import DIALOG_ITEMS, RELATIONSHIP_ITEMS

MINE = "/api/v1/me/check-ins"


def relationship(professional_id, score=3, **more) -> dict:
    """A valid relationship check-in body, every item `score`."""
    return {"kind": "relationship", "professional_id": professional_id,
            "scores": dict.fromkeys(RELATIONSHIP_ITEMS, score), **more}


def dialog(score=4, treatment=None, **more) -> dict:
    """A valid life and care body: life items `score`, treatment items `treatment` (or `score`)."""
    scores = dict.fromkeys(DIALOG_ITEMS, score)
    scores.update(dict.fromkeys(("medication", "practical_help", "meetings"), treatment or score))
    return {"kind": "dialog", "scores": scores, **more}


def staff_url(patient) -> str:
    return f"/api/v1/patients/{patient.id}/check-ins"


@pytest.fixture
def world(ward_setup, make):
    """ward_setup plus Peter (psychologist on ward A, nurse login `peter`, patient A's therapist),
    Nina as patient A's safety person, patient A's login, and Lea, team leader of ward B."""
    peter = make.professional("Peter Psychologist", "psychologist", [ward_setup.ward_a])
    make.designation(ward_setup.patient_a, peter, "therapist")
    make.designation(ward_setup.patient_a, ward_setup.nurse_professional, "safety_person")
    return ward_setup.with_(
        peter=peter,
        peter_user=make.user("peter", "nurse", wards=[ward_setup.ward_a], professional=peter),
        patient_user=make.user("pat-a", "patient", patient=ward_setup.patient_a),
        leader_b=make.user("lea", "team_leader", wards=[ward_setup.ward_b]))


@pytest.fixture
def patient(world):
    """Patient A's API client."""
    return world.login(world.patient_user)
