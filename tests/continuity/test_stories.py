"""The stories of issue 3, end to end through HTTP: admissions and contacts recorded through the API queue
the patient, and reading the flags recomputes them."""

import sqlalchemy as sa

from wardtrack.continuity.models import Flag
from wardtrack.extensions import db


def stored_flags(patient) -> list[Flag]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Flag).where(Flag.patient_id == patient.id).order_by(Flag.id)))


def test_five_psychiatrists_then_a_stranger_decides(world):
    patient = world.patient()
    world.admit(patient, started_days_ago=25)
    names = ["Dr Aas", "Dr Berg", "Dr Dahl", "Dr Eide", "Dr Fjell"]
    for days_ago, name in zip((20, 16, 12, 8, 4), names, strict=True):
        world.contact(patient, world.professional(name), days_ago)
    world.contact(patient, world.professional("Dr Stranger"), 0.5, kind="decision")
    assert stored_flags(patient) == []  # recording a contact only queues the patient

    found = world.open_flags(patient)
    turnover = found["high_turnover"]
    assert turnover["status"] == "open" and turnover["patient_id"] == patient.id
    assert turnover["detail"].startswith("6 doctors in 30 days: ")
    assert all(name in turnover["detail"] for name in [*names, "Dr Stranger"])
    stranger = found["stranger_decision"]
    assert "decision by Dr Stranger" in stranger["detail"] and stranger["severity"] == "medium"
    assert "Dr Aas" not in stranger["detail"]
    assert "no_crisis_plan" not in found  # the story's patient has a plan (Story.patient)


def test_three_nurses_on_rotating_shifts_raise_no_turnover(world):
    patient = world.patient()
    world.admit(patient, started_days_ago=20)
    nurses = [world.nurse_professional, world.professional("Nils Nurse", "nurse"),
              world.professional("Nora Nurse", "nurse")]
    world.contacts(patient, [(nurses[i % 3], 14 - i * 0.5) for i in range(28)])
    found = world.open_flags(patient)
    assert "high_turnover" not in found and "stranger_decision" not in found
    assert set(found) == {"no_safety_person"}


def test_naming_a_safety_person_resolves_the_flag_by_itself(world):
    patient = world.patient()
    world.admit(patient, started_days_ago=5)
    flag = world.open_flags(patient)["no_safety_person"]
    assert flag["severity"] == "medium" and flag["resolved_at"] is None
    world.name_safety_person(patient)
    assert "no_safety_person" not in world.open_flags(patient)
    (resolved,) = world.flags(patient, "resolved")
    assert resolved["id"] == flag["id"] and resolved["resolved_by"] is None and resolved["resolved_at"]


def test_three_admissions_in_a_year_then_a_fifth(world):
    patient = world.patient()
    world.admit(patient, 300, 290)
    world.admit(patient, 200, 190)
    world.admit(patient, 20)
    found = world.open_flags(patient)
    assert found["readmission_tipping_point"]["detail"] == "3 admissions in 365 days."
    assert "extensive_hospitalisation" not in found
    assert found["no_safety_person"]["severity"] == "medium"
    world.admit(patient, 150, 145)
    world.admit(patient, 100, 95)
    found = world.open_flags(patient)
    assert found["extensive_hospitalisation"]["severity"] == "medium"  # the severity table
    assert "5 admissions in 365 days" in found["extensive_hospitalisation"]["detail"]
    assert found["readmission_tipping_point"]["detail"] == "5 admissions in 365 days."
    # the same flag, updated: its condition never cleared
    assert len([f for f in stored_flags(patient) if f.code == "readmission_tipping_point"]) == 1
    assert found["no_safety_person"]["severity"] == "high"


def _moved(world, days_on_new_ward):
    """A patient who knew Dr Known on ward A and moved to ward B, where they have met only strangers."""
    patient, known = world.patient(), world.professional("Dr Known")
    world.admit(patient, 60, days_on_new_ward + 2)
    world.contact(patient, known, 50)
    world.contact(patient, known, 30)
    world.admit(patient, days_on_new_ward, ward=world.ward_b)
    world.contact(patient, world.professional("Bob B", "nurse", world.ward_b), days_on_new_ward - 1)
    return patient, known


def test_moved_to_a_new_ward_without_a_known_professional(world):
    patient, known = _moved(world, 8)
    flag = world.open_flags(patient)["transition_without_known_professional"]
    assert flag["severity"] == "high"  # past 7 days (the severity table)
    assert flag["detail"] == "Moved to Ward B 8 days ago and has not yet seen anyone they knew before."
    assert flag["subject"].startswith("episode:")
    world.contact(patient, known, 0.5)  # a known professional visits
    assert "transition_without_known_professional" not in world.open_flags(patient)


def test_a_recent_move_is_a_low_flag(world):
    patient, _known = _moved(world, 3)
    assert world.open_flags(patient)["transition_without_known_professional"]["severity"] == "low"


def test_a_flag_resolved_by_hand_stays_resolved_while_its_condition_holds(world):
    patient = world.patient()
    world.admit(patient, started_days_ago=5)
    flag = world.open_flags(patient)["no_safety_person"]
    response = world.leader.post(f"/api/v1/flags/{flag['id']}/resolve", json={"note": "Discussed at the meeting"})
    assert response.status_code == 200 and response.get_json()["suppressed"] is True
    world.contact(patient, world.nurse_professional, 0.2)  # the patient is recomputed again
    assert "no_safety_person" not in world.open_flags(patient)
    assert len(stored_flags(patient)) == 1

    world.name_safety_person(patient)  # the condition clears once ...
    assert world.open_flags(patient) == {}
    assert [f.suppressed for f in stored_flags(patient)] == [False]
    response = world.leader.delete(f"/api/v1/patients/{patient.id}/safety-person")
    assert response.status_code == 204
    reopened = world.open_flags(patient)["no_safety_person"]  # ... and returns: a new flag
    assert reopened["id"] != flag["id"] and reopened["status"] == "open"
    assert [f.status for f in stored_flags(patient)] == ["resolved", "open"]


def test_a_flag_resolved_by_hand_after_its_condition_cleared_is_not_suppressed(world, make):
    patient = world.patient()
    world.admit(patient, started_days_ago=5)
    flag = world.open_flags(patient)["no_safety_person"]
    # The safety person is named behind the application's back: no signal, nothing queued.
    make.designation(patient, world.nurse_professional)
    response = world.leader.post(f"/api/v1/flags/{flag['id']}/resolve", json={"note": "Named"})
    assert response.status_code == 409  # resolving recomputes first: it had already resolved itself
    assert stored_flags(patient)[0].resolved_by is None and stored_flags(patient)[0].suppressed is False
