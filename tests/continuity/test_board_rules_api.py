"""Through the HTTP API on the real database: the severity table, the no_crisis_plan eligibility as ward
settings, ward names in flag texts, and each maintenance plan on the board with its next due date."""

from datetime import timedelta

from tests.continuity.story import add_plan
from tests.patients.helpers import problem
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.reminders.models import MaintenancePlan


def policy_url(ward):
    return f"/api/v1/wards/{ward.id}/policy"


def crisis_flag(world, patient):
    flag = world.open_flags(patient).get("no_crisis_plan")
    return flag and flag["severity"]


def test_no_crisis_plan_only_where_a_plan_is_due(world):
    two_days, four_days = world.patient("Two days", with_plan=False), world.patient("Four days", with_plan=False)
    world.admit(two_days, 2)
    world.admit(four_days, 4)
    home_recent, home_long_ago = world.patient("Home", with_plan=False), world.patient("Long ago", with_plan=False)
    never = world.patient("Never admitted", with_plan=False)
    for patient in (home_recent, home_long_ago, never):
        world.admit(patient, 1200, kind="outpatient")
    world.admit(home_recent, 400, 390)
    world.admit(home_long_ago, 900, 880)
    assert crisis_flag(world, two_days) is None
    assert crisis_flag(world, four_days) == "medium"
    flag = world.open_flags(four_days)["no_crisis_plan"]
    assert flag["detail"] == "No crisis plan for a patient in care (in hospital for 4 days)."
    assert crisis_flag(world, home_recent) == "low"
    assert crisis_flag(world, home_long_ago) is None and crisis_flag(world, never) is None
    add_plan(four_days)
    world.contact(four_days, world.nurse_professional, 0.1)  # queues the patient again
    assert crisis_flag(world, four_days) is None


def test_the_eligibility_thresholds_are_ward_settings(world):
    body = world.leader.get(policy_url(world.ward_a)).get_json()
    assert body["defaults"]["crisis_plan_inpatient_days"] == 3
    assert body["defaults"]["crisis_plan_outpatient_admission_days"] == 730
    patient = world.patient("One day", with_plan=False)
    world.admit(patient, 1)
    assert crisis_flag(world, patient) is None
    response = world.leader.put(policy_url(world.ward_a), json={"crisis_plan_inpatient_days": 0})
    assert response.status_code == 200, response.get_json()
    assert crisis_flag(world, patient) == "medium"
    problem(world.leader.put(policy_url(world.ward_a), json={"crisis_plan_inpatient_days": -1}), 422,
            "crisis_plan_inpatient_days")
    problem(world.leader.put(policy_url(world.ward_a), json={"crisis_plan_outpatient_admission_days": 0}), 422,
            "crisis_plan_outpatient_admission_days")


def test_severity_discriminates_through_the_api(world):
    coerced, decided = world.patient("Coerced"), world.patient("Decided")
    for patient in (coerced, decided):
        world.admit(patient, 10)
        world.name_safety_person(patient)
    world.contact(coerced, world.professional("Dr Stranger"), 2, "coercive_measure")
    world.contact(decided, world.professional("Dr Other"), 2, "decision")
    assert world.open_flags(coerced)["stranger_decision"]["severity"] == "high"
    assert world.open_flags(decided)["stranger_decision"]["severity"] == "medium"
    long_stay = world.patient("Long stay")
    world.admit(long_stay, 40)
    found = world.open_flags(long_stay)
    assert found["extensive_hospitalisation"]["severity"] == "medium"
    assert found["no_safety_person"]["severity"] == "high"


def test_a_transition_names_the_ward_and_is_high_after_seven_days(world):
    patient, known = world.patient(), world.professional("Dr Known")
    world.admit(patient, 60, 9)
    world.contact(patient, known, 30)
    world.admit(patient, 8, ward=world.ward_b)
    flag = world.open_flags(patient, api=world.admin)["transition_without_known_professional"]
    assert flag["severity"] == "high"
    assert flag["detail"] == "Moved to Ward B 8 days ago and has not yet seen anyone they knew before."
    assert flag["reasons"][0]["params"] == {"ward_id": world.ward_b.id, "ward": "Ward B", "days": 8}


def test_the_board_shows_each_plan_with_its_next_due_date(world):
    patient = world.patient("Planned")
    world.admit(patient, 30)
    peter, kari = world.professional("Peter", "psychologist"), world.professional("Kari", "nurse")
    start = utcnow() - timedelta(days=100)
    db.session.add_all([
        MaintenancePlan(patient_id=patient.id, professional_id=peter.id, interval_days=60, started_at=start),
        MaintenancePlan(patient_id=patient.id, professional_id=kari.id, interval_days=90, started_at=start,
                        any_contact_counts=True)])
    db.session.commit()
    world.contact(patient, peter, 20, "maintenance")
    world.contact(patient, kari, 5, "phone")
    body = world.leader.get(f"/api/v1/wards/{world.ward_a.id}/board").get_json()
    [entry] = [e for e in body["patients"] if e["patient"]["id"] == patient.id]
    plans = entry["maintenance_plans"]
    assert [(p["professional_name"], p["interval_days"], p["counts"], p["overdue"]) for p in plans] == [
        ("Peter", 60, "maintenance", False), ("Kari", 90, "any", False)]  # soonest due first
    due_in = [(utcnow() - _at(p["due_at"])).days for p in plans]
    assert -41 <= due_in[0] <= -39 and -86 <= due_in[1] <= -84
    assert _at(plans[0]["overdue_at"]) - _at(plans[0]["due_at"]) == timedelta(days=14)


def test_a_plan_with_no_qualifying_contact_counts_from_its_start_on_the_board(world):
    patient = world.patient("Never seen")
    world.admit(patient, 30)
    peter = world.professional("Peter", "psychologist")
    db.session.add(MaintenancePlan(patient_id=patient.id, professional_id=peter.id, interval_days=30,
                                   started_at=utcnow() - timedelta(days=50)))
    db.session.commit()
    world.contact(patient, peter, 3, "conversation")  # not a maintenance contact: it does not count
    body = world.leader.get(f"/api/v1/wards/{world.ward_a.id}/board").get_json()
    [plan] = [e for e in body["patients"] if e["patient"]["id"] == patient.id][0]["maintenance_plans"]
    assert plan["last_contact_at"] is None and plan["overdue"] is True
    assert world.open_flags(patient)["maintenance_overdue"]["severity"] == "low"


def _at(text):
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00"))
