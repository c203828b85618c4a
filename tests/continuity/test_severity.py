"""The severity table and the crisis-plan eligibility, on plain data; and docs/flags.md shows the same table."""

import re
from dataclasses import replace
from pathlib import Path

import pytest

from tests.continuity.test_rules import DAY, NOW, codes, contact, episode
from wardtrack.continuity.models import FLAG_CODES
from wardtrack.continuity.rules import MaintenanceFact, PatientFacts, Policy, evaluate
from wardtrack.continuity.schemas import RANGES
from wardtrack.continuity.severity import SEVERITY_TABLE, severity

DOCS = Path(__file__).resolve().parents[2] / "docs" / "flags.md"


def test_every_code_has_rows_and_every_code_can_be_high_or_not():
    assert {code for code, *_ in SEVERITY_TABLE} == set(FLAG_CODES)
    assert {level for *_, level, _when in SEVERITY_TABLE} == {"high", "medium", "low"}
    # against alarm fatigue: most conditions are not high
    assert sum(level == "high" for *_, level, _when in SEVERITY_TABLE) <= len(SEVERITY_TABLE) // 3
    with pytest.raises(KeyError):
        severity("no_safety_person", "no such condition")


def test_the_docs_show_the_same_severity_table():
    text = DOCS.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `(\w+)` \| (\w+) \| (high|medium|low) \| (.+?) \|$", text, re.MULTILINE))
    assert rows == {(code, condition, level, when) for code, condition, level, when in SEVERITY_TABLE}
    for name in Policy.names():  # every threshold is a documented ward setting
        assert f"`{name}`" in text


def test_a_coercive_measure_by_a_stranger_is_high_a_decision_medium():
    decision = codes(PatientFacts([episode(1, 1, 10)], [contact(1, 9, 2, "doctor", "decision")], True, [NOW]))
    assert decision["stranger_decision"].severity == "medium"
    coercive = codes(PatientFacts([episode(1, 1, 10)], [contact(1, 9, 2, "doctor", "coercive_measure")], True, [NOW]))
    assert coercive["stranger_decision"].severity == "high"


def test_a_transition_is_low_then_high_after_seven_days():
    history = [contact(1, 5, 60)]
    early = codes(PatientFacts([episode(1, 1, 100, 50), episode(2, 2, 6)], history, True, [NOW]))
    late = codes(PatientFacts([episode(1, 1, 100, 50), episode(2, 2, 7)], history, True, [NOW]))
    assert early["transition_without_known_professional"].severity == "low"
    assert late["transition_without_known_professional"].severity == "high"
    assert codes(PatientFacts([episode(1, 1, 100, 50), episode(2, 2, 7)], history, True, [NOW]),
                 Policy(transition_escalate_days=10))["transition_without_known_professional"].severity == "low"


def test_the_transition_names_the_ward():
    unnamed = episode(2, 2, 3)
    named = replace(unnamed, ward_name="Ward B")
    found = codes(PatientFacts([episode(1, 1, 60, 10), named], [contact(1, 5, 30)], True, [NOW]))
    flag = found["transition_without_known_professional"]
    assert flag.detail == "Moved to Ward B 3 days ago and has not yet seen anyone they knew before."
    assert flag.reasons[0].params == {"ward_id": 2, "ward": "Ward B", "days": 3}
    without = codes(PatientFacts([episode(1, 1, 60, 10), unnamed], [contact(1, 5, 30)], True, [NOW]))
    assert without["transition_without_known_professional"].detail.startswith("Moved to ward 2 3 days ago")


def test_extensive_hospitalisation_is_medium_and_makes_no_safety_person_high():
    found = codes(PatientFacts([episode(1, 1, 40)], [], False, [NOW]))
    assert found["extensive_hospitalisation"].severity == "medium"
    assert found["no_safety_person"].severity == "high"
    assert codes(PatientFacts([episode(1, 1, 10)], [], False, [NOW]))["no_safety_person"].severity == "medium"


def test_turnover_is_high_only_when_both_criteria_hold():
    doctors = [contact(i, 100 + i, 10 - i, "doctor") for i in range(4)]
    strangers = [contact(10 + i, 50 + i, 5 - 0.5 * i) for i in range(4)]
    assert codes(PatientFacts([episode(1, 1, 20)], doctors, True, [NOW]))["high_turnover"].severity == "medium"
    both = codes(PatientFacts([episode(1, 1, 20)], doctors + strangers, True, [NOW]))
    assert both["high_turnover"].severity == "high"


def test_stale_crisis_plan_medium_after_an_admission_low_by_age_alone():
    admitted = codes(PatientFacts([episode(1, 1, 20)], [], True, [NOW - 30 * DAY]))
    assert admitted["crisis_plan_stale"].severity == "medium"
    old = codes(PatientFacts([episode(1, 1, 5)], [], True, [NOW - 200 * DAY]))
    assert old["crisis_plan_stale"].severity == "low"


def test_maintenance_overdue_low_then_medium_after_another_interval():
    interval, grace = 30, Policy().maintenance_grace_days
    short = MaintenanceFact(1, "Kari", interval, NOW - (interval + grace + 5) * DAY)
    long = MaintenanceFact(2, "Kari", interval, NOW - (2 * interval + grace + 1) * DAY, counts="any")
    found = {f.subject: f for f in evaluate(PatientFacts([], [], maintenance=[short, long]), Policy(), NOW)}
    assert found["plan:1"].severity == "low" and found["plan:1"].reasons[0].key == "maintenance_overdue"
    assert found["plan:2"].severity == "medium" and found["plan:2"].reasons[0].key == "maintenance_overdue_any"
    assert found["plan:2"].detail == "No contact with Kari for 75 days (planned every 30)."
    assert short.due_at() == short.since + interval * DAY
    assert short.overdue_at(Policy()) == short.since + (interval + grace) * DAY


# -- no_crisis_plan only where a plan is due -----------------------------------------------------------------

def outpatient(id_, started_days_ago, ended_days_ago=None):
    return episode(id_, 3, started_days_ago, ended_days_ago, kind="outpatient")


@pytest.mark.parametrize(("episodes", "expected"), [
    ([episode(1, 1, 2)], None),  # a stay of two days: not yet
    ([episode(1, 1, 3)], "medium"),  # three days
    ([episode(1, 1, 3), outpatient(2, 400)], "medium"),
    ([outpatient(1, 400)], None),  # an outpatient never admitted
    ([outpatient(1, 400), episode(2, 1, 300, 290)], "low"),  # admitted within two years
    ([outpatient(1, 1000), episode(2, 1, 740, 730)], None),  # admitted more than two years ago
    ([outpatient(1, 1000), episode(2, 1, 729, 700)], "low"),
    ([episode(1, 1, 300, 290)], None),  # not in care now
])
def test_no_crisis_plan_eligibility(episodes, expected):
    found = codes(PatientFacts(episodes, [], True, []))
    assert (found["no_crisis_plan"].severity if "no_crisis_plan" in found else None) == expected


def test_no_crisis_plan_says_why_it_is_due():
    stay = codes(PatientFacts([episode(1, 1, 5)], [], True))["no_crisis_plan"]
    assert [r.as_dict() for r in stay.reasons] == [{"key": "no_crisis_plan", "params": {}},
                                                   {"key": "crisis_plan_due_stay", "params": {"days": 5}}]
    assert stay.detail == "No crisis plan for a patient in care (in hospital for 5 days)."
    home = codes(PatientFacts([outpatient(1, 400), episode(2, 1, 300, 290)], [], True))["no_crisis_plan"]
    assert home.reasons[1].as_dict() == {"key": "crisis_plan_due_admission", "params": {"date": "2026-01-25"}}


def test_the_eligibility_thresholds_are_ward_settings():
    assert {"crisis_plan_inpatient_days", "crisis_plan_outpatient_admission_days"} <= set(RANGES)
    young = PatientFacts([episode(1, 1, 1)], [], True, [])
    assert "no_crisis_plan" not in codes(young)
    assert "no_crisis_plan" in codes(young, Policy(crisis_plan_inpatient_days=1))
    long_ago = PatientFacts([outpatient(1, 1500), episode(2, 1, 1000, 990)], [], True, [])
    assert "no_crisis_plan" not in codes(long_ago)
    assert "no_crisis_plan" in codes(long_ago, Policy(crisis_plan_outpatient_admission_days=1095))
