"""Flag rules on plain data: the stories of PRODUCT.md."""

from datetime import UTC, datetime, timedelta

from wardtrack.continuity.rules import (
    AttendingFact,
    ContactFact,
    EpisodeFact,
    MaintenanceFact,
    PatientFacts,
    Policy,
    evaluate,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def episode(id_, ward, started_days_ago, ended_days_ago=None, kind="inpatient"):
    return EpisodeFact(id_, ward, kind, NOW - started_days_ago * DAY,
                       None if ended_days_ago is None else NOW - ended_days_ago * DAY)


def contact(id_, professional, days_ago, profession="nurse", kind="conversation", name=None):
    return ContactFact(NOW - days_ago * DAY, id_, professional, profession, kind, name or f"P{professional}")


DEFAULT = Policy()


def codes(facts, policy=DEFAULT):
    return {f.code: f for f in evaluate(facts, policy, NOW)}


def test_five_psychiatrists_then_a_stranger_decides():
    episodes = [episode(1, 1, 25)]
    contacts = [contact(i, 100 + i, 20 - 4 * i, "psychiatrist", name=f"Dr {name}")
                for i, name in enumerate(["Aas", "Berg", "Dahl", "Eide", "Fjell"])]
    contacts.append(contact(10, 200, 0.5, "psychiatrist", "decision", "Dr Stranger"))
    found = codes(PatientFacts(episodes, contacts, has_safety_person=True, crisis_plan_versions=[NOW]))
    assert "6 doctors in 30 days" in found["high_turnover"].detail
    assert "Dr Aas" in found["high_turnover"].detail
    assert "decision by Dr Stranger" in found["stranger_decision"].detail
    assert found["stranger_decision"].severity == "medium"


def attending(professional, name, started_days_ago, ended_days_ago=None):
    return AttendingFact(professional, name, NOW - started_days_ago * DAY,
                         None if ended_days_ago is None else NOW - ended_days_ago * DAY)


def test_changes_of_attending_doctor_count_as_doctor_turnover_even_unmet():
    episodes = [episode(1, 1, 40)]
    contacts = [contact(1, 101, 5, "psychiatrist", name="Dr Aas")]
    chain = [attending(101, "Dr Aas", 40, 25), attending(102, "Dr Berg", 25, 12),
             attending(103, "Dr Dahl", 12, 3), attending(104, "Dr Eide", 3)]
    facts = PatientFacts(episodes, contacts, has_safety_person=True, crisis_plan_versions=[NOW],
                         attending_doctors=chain)
    found = codes(facts)
    assert "4 doctors in 30 days: Dr Aas, Dr Berg, Dr Dahl, Dr Eide" in found["high_turnover"].detail
    # an attending period that ended before the window does not count
    older = [attending(100, "Dr Old", 90, 31), *chain[1:]]
    assert "high_turnover" not in codes(PatientFacts(episodes, [], has_safety_person=True,
                                                     crisis_plan_versions=[NOW], attending_doctors=older))
    # one attending doctor all along is no turnover
    steady = [attending(101, "Dr Aas", 40)]
    assert "high_turnover" not in codes(PatientFacts(episodes, contacts, has_safety_person=True,
                                                     crisis_plan_versions=[NOW], attending_doctors=steady))


def test_rotating_nurses_do_not_raise_turnover():
    contacts = [contact(i, 1 + i % 3, 14 - i * 0.5) for i in range(28)]
    found = codes(PatientFacts([episode(1, 1, 20)], contacts, True, [NOW]))
    assert "high_turnover" not in found


def test_low_kpc_raises_turnover_only_once_the_episode_is_old_enough():
    contacts = [contact(i, 50 + i, 10 - i) for i in range(8)]  # eight strangers in 10 days
    young = codes(PatientFacts([episode(1, 1, 12)], contacts, True, [NOW]))
    assert "high_turnover" not in young
    old = codes(PatientFacts([episode(1, 1, 15)], contacts, True, [NOW]))
    assert "were with someone the patient knew" in old["high_turnover"].detail


def test_admitting_doctor_in_the_first_day_is_no_stranger():
    found = codes(PatientFacts([episode(1, 1, 3)], [contact(1, 9, 2.5, "doctor", "decision")], True, [NOW]))
    assert "stranger_decision" not in found
    later = codes(PatientFacts([episode(1, 1, 3)], [contact(1, 9, 1, "doctor", "coercive_measure")], True, [NOW]))
    assert later["stranger_decision"].severity == "high"


def test_known_professional_deciding_is_fine():
    contacts = [contact(1, 9, 10, "doctor"), contact(2, 9, 1, "doctor", "decision")]
    assert "stranger_decision" not in codes(PatientFacts([episode(1, 1, 20)], contacts, True, [NOW]))


def test_readmissions_and_extensive_hospitalisation():
    three = [episode(i, 1, 300 - i * 60, 290 - i * 60) for i in range(3)]
    found = codes(PatientFacts(three, [], True, [NOW]))
    assert found["readmission_tipping_point"].detail == "3 admissions in 365 days."
    assert "extensive_hospitalisation" not in found
    five = [episode(i, 1, 300 - i * 60, 290 - i * 60) for i in range(5)]
    assert "5 admissions" in codes(PatientFacts(five, [], True, [NOW]))["extensive_hospitalisation"].detail


def test_long_stay_is_extensive_and_makes_no_safety_person_high():
    found = codes(PatientFacts([episode(1, 1, 40)], [], False, [NOW]))
    assert "stay of 40 days" in found["extensive_hospitalisation"].detail
    assert found["no_safety_person"].severity == "high"
    short = codes(PatientFacts([episode(1, 1, 5)], [], False, [NOW]))
    assert short["no_safety_person"].severity == "medium"


def test_no_flags_for_a_patient_not_in_care():
    assert codes(PatientFacts([episode(1, 1, 100, 90)], [], False, [])) == {}


def test_crisis_plan_rules():
    active = [episode(1, 1, 20)]
    assert "no_crisis_plan" in codes(PatientFacts(active, [], True, []))
    stale = codes(PatientFacts([episode(1, 1, 5)], [], True, [NOW - 200 * DAY]))
    assert "200 days" in stale["crisis_plan_stale"].detail
    since_admission = codes(PatientFacts(active, [], True, [NOW - 30 * DAY]))
    assert since_admission["crisis_plan_stale"].severity == "medium"  # the severity table: admission → medium
    assert "crisis_plan_stale" not in codes(PatientFacts(active, [], True, [NOW - 10 * DAY]))


def test_maintenance_overdue_after_interval_and_grace():
    due = MaintenanceFact(7, "Kari Nurse", 90, NOW - 104 * DAY)
    overdue = MaintenanceFact(8, "Kari Nurse", 90, NOW - 105 * DAY)
    found = evaluate(PatientFacts([], [], maintenance=[due, overdue]), Policy(), NOW)
    assert [(f.code, f.subject) for f in found] == [("maintenance_overdue", "plan:8")]


def test_transition_without_known_professional():
    episodes = [episode(1, 1, 100, 50), episode(2, 2, 8)]
    history = [contact(1, 5, 60)]
    found = codes(PatientFacts(episodes, history, True, [NOW]))
    assert found["transition_without_known_professional"].severity == "high"  # past 7 days (the severity table)
    assert codes(PatientFacts([episode(1, 1, 100, 50), episode(2, 2, 3)], history, True, [NOW]))[
        "transition_without_known_professional"].severity == "low"
    visited = codes(PatientFacts(episodes, history + [contact(2, 5, 1)], True, [NOW]))
    assert "transition_without_known_professional" not in visited
    no_history = codes(PatientFacts(episodes, [], True, [NOW]))
    assert "transition_without_known_professional" not in no_history
    same_ward = codes(PatientFacts([episode(1, 1, 100, 50), episode(2, 1, 8)], history, True, [NOW]))
    assert "transition_without_known_professional" not in same_ward


def test_thresholds_come_from_the_policy():
    contacts = [contact(i, 100 + i, 10 - i, "doctor") for i in range(3)]
    facts = PatientFacts([episode(1, 1, 20)], contacts, True, [NOW])
    assert "high_turnover" not in codes(facts)
    assert "3 doctors" in codes(facts, Policy(turnover_doctors=3))["high_turnover"].detail
