"""Flag reasons: language-neutral keys and plain JSON params per rule, and the English detail built from them."""

import ast
import json
import re
from datetime import timedelta
from pathlib import Path

from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from tests.continuity.test_rules import DAY, NOW, codes, contact, episode
from wardtrack.checkins.models import DIALOG_ITEMS
from wardtrack.continuity.rules import (
    DialogCheckInFact,
    MaintenanceFact,
    PatientFacts,
    Policy,
    Reason,
    RelationshipCheckInFact,
    evaluate,
)
from wardtrack.continuity.wording import LEADS, english
from wardtrack.continuity.wording import REASONS as ENGLISH

ROOT = Path(__file__).resolve().parents[2]


def reasons(finding):
    return [r.as_dict() for r in finding.reasons]


def test_no_safety_person_alone_and_with_the_extensive_reason():
    plain = codes(PatientFacts([episode(1, 1, 5)], [], crisis_plan_versions=[NOW]))["no_safety_person"]
    assert reasons(plain) == [{"key": "no_safety_person", "params": {}}]
    assert plain.detail == "No safety person named for a patient in care."
    long = codes(PatientFacts([episode(1, 1, 40)], [], crisis_plan_versions=[NOW]))["no_safety_person"]
    assert reasons(long) == [{"key": "no_safety_person", "params": {}},
                             {"key": "extensive_stay", "params": {"days": 40}}]
    assert long.detail == "No safety person named for a patient in care (an inpatient stay of 40 days)."


def test_high_turnover_names_the_doctors_and_gives_the_kpc_share():
    doctors = [contact(i, 100 + i, 10 - i, "doctor", name=f"Dr {n}") for i, n in enumerate("DCBA")]
    strangers = [contact(10 + i, 50 + i, 5 - 0.5 * i, name=f"N{i}") for i in range(4)]
    found = codes(PatientFacts([episode(1, 1, 20)], doctors + strangers, True, [NOW]))["high_turnover"]
    assert reasons(found) == [
        {"key": "turnover_doctors", "params": {"count": 4, "days": 30, "names": ["Dr A", "Dr B", "Dr C", "Dr D"]}},
        {"key": "turnover_kpc", "params": {"share": 0.0, "contacts": 8, "days": 14}}]
    assert found.detail == ("4 doctors in 30 days: Dr A, Dr B, Dr C, Dr D; only 0% of 8 contacts in 14 days "
                            "were with someone the patient knew.")
    assert found.severity == "high"


def test_one_stranger_reason_per_decision_with_kind_name_and_iso_date():
    contacts = [contact(1, 7, 2, "doctor", "decision", "Dr Ny"),
                contact(2, 8, 1, "doctor", "coercive_measure", "Dr Fremmed")]
    found = codes(PatientFacts([episode(1, 1, 10)], contacts, True, [NOW]))["stranger_decision"]
    assert reasons(found) == [
        {"key": "stranger_decision", "params": {"kind": "decision", "name": "Dr Ny", "date": "2026-11-19"}},
        {"key": "stranger_decision",
         "params": {"kind": "coercive_measure", "name": "Dr Fremmed", "date": "2026-11-20"}}]
    assert found.detail == ("By someone the patient had never met: decision by Dr Ny on 2026-11-19; "
                            "coercive measure by Dr Fremmed on 2026-11-20.")


def test_readmissions_and_extensive_admissions():
    episodes = [episode(i, 1, 300 - 50 * i, 295 - 50 * i) for i in range(5)] + [episode(9, 1, 2)]
    found = codes(PatientFacts(episodes, [], True, [NOW]))
    assert reasons(found["readmission_tipping_point"]) == [{"key": "readmissions", "params": {"count": 6, "days": 365}}]
    assert found["readmission_tipping_point"].detail == "6 admissions in 365 days."
    assert reasons(found["extensive_hospitalisation"]) == [
        {"key": "extensive_admissions", "params": {"count": 6, "days": 365}}]
    assert found["extensive_hospitalisation"].detail == "Extensive hospitalisation: 6 admissions in 365 days."


def test_crisis_plan_reasons_in_both_variants():
    missing = codes(PatientFacts([episode(1, 1, 5)], [], True))["no_crisis_plan"]
    assert reasons(missing) == [{"key": "no_crisis_plan", "params": {}},  # and now why a plan is due
                                {"key": "crisis_plan_due_stay", "params": {"days": 5}}]
    old = codes(PatientFacts([episode(1, 1, 5)], [], True, [NOW - 200 * DAY]))["crisis_plan_stale"]
    assert reasons(old) == [{"key": "crisis_plan_age", "params": {"days": 200}}]
    assert old.detail == "The crisis plan was last revised 200 days ago."
    admitted = codes(PatientFacts([episode(1, 1, 20)], [], True, [NOW - 30 * DAY]))["crisis_plan_stale"]
    assert reasons(admitted) == [{"key": "crisis_plan_admission", "params": {"days": 20}}]
    assert admitted.detail == "Admitted 20 days ago and the crisis plan has not been revised since."


def test_maintenance_and_transition_reasons():
    plan = MaintenanceFact(3, "Kari Nordmann", 14, NOW - 40 * DAY)
    found = codes(PatientFacts([episode(1, 1, 5)], [], True, [NOW], [plan]))["maintenance_overdue"]
    assert reasons(found) == [{"key": "maintenance_overdue",
                               "params": {"name": "Kari Nordmann", "days": 40, "interval": 14}}]
    assert found.detail == "No maintenance contact with Kari Nordmann for 40 days (planned every 14)."
    episodes = [episode(1, 1, 60, 10), episode(2, 2, 3)]
    moved = codes(PatientFacts(episodes, [contact(1, 5, 30)], True, [NOW]))["transition_without_known_professional"]
    assert reasons(moved) == [{"key": "transition", "params": {"ward_id": 2, "ward": "ward 2", "days": 3}}]
    assert moved.detail == "Moved to ward 2 3 days ago and has not yet seen anyone they knew before."


def _facts():
    days = st.floats(min_value=0, max_value=400)
    episodes = st.lists(st.tuples(st.integers(1, 3), days, st.sampled_from(["inpatient", "outpatient"])), max_size=5)
    contacts = st.lists(st.tuples(st.integers(1, 9), st.floats(0, 60), st.sampled_from(["doctor", "nurse"]),
                                  st.sampled_from(["conversation", "decision", "coercive_measure"])), max_size=15)
    score = st.integers(0, 24).map(lambda total: round(total / 6, 2))  # a mean of six items 0-4
    rated = st.lists(st.tuples(score, st.none() | score, st.booleans()), max_size=4)
    asked = st.none() | st.lists(st.sampled_from(DIALOG_ITEMS), unique=True)
    return st.builds(
        lambda eps, cs, safe, plan, people, help_: PatientFacts(
            [episode(i, w, d, None if i == len(eps) - 1 else max(0, d - 5), k) for i, (w, d, k) in enumerate(eps)],
            [contact(i, p, d, prof, kind) for i, (p, d, prof, kind) in enumerate(cs)], safe,
            [NOW - timedelta(days=plan)] if plan is not None else [],
            relationship_check_ins=[RelationshipCheckInFact(10 + i, 100 + i, f"P{i}", now, before, safety)
                                    for i, (now, before, safety) in enumerate(people)],
            dialog_check_in=None if help_ is None else DialogCheckInFact(99, tuple(help_))),
        episodes, contacts, st.booleans(), st.none() | days, rated, asked)


@given(_facts())
def test_every_finding_has_known_json_reasons_whose_english_is_the_detail(facts):
    for finding in codes(facts).values():
        assert finding.reasons and all(r.key in ENGLISH for r in finding.reasons)
        plain = json.loads(json.dumps([r.as_dict() for r in finding.reasons]))
        assert english(finding.code, [Reason(r["key"], r["params"]) for r in plain]) == finding.detail


@given(_facts(), st.floats(0.5, 4), st.floats(0, 4))
def test_a_relationship_is_strained_exactly_when_it_fell_enough_or_is_low(facts, drop, below):
    policy = Policy(strain_drop=drop, strain_below=below)
    found = {f.subject: f for f in evaluate(facts, policy, NOW) if f.code == "relationship_strain"}
    for rated in facts.relationship_check_ins:
        fell = rated.previous is not None and rated.previous - rated.score >= drop
        flag = found.get(f"check_in:{rated.check_in_id}")
        assert (flag is not None) == (fell or rated.score < below)
        if flag is not None:
            assert flag.severity == ("high" if rated.safety_person else "medium")
            assert flag.reasons[0].key == ("strain_drop" if fell else "strain_low")
            assert flag.reasons[0].params["name"] == rated.name
    helped = [f for f in evaluate(facts, policy, NOW) if f.code == "help_requested"]
    wanted = facts.dialog_check_in.more_help if facts.dialog_check_in else ()
    assert [r.key for f in helped for r in f.reasons] == [f"help_{domain}" for domain in wanted]


def test_the_wording_is_pure_and_every_lead_begins_a_sentence():
    source = (ROOT / "wardtrack" / "continuity" / "wording.py").read_text(encoding="utf-8")
    imported = {alias.name.split(".")[0] for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(ast.parse(source))
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"collections", "typing"}
    for lead in LEADS.values():
        assert any(sentence.startswith(lead) for sentence in ENGLISH.values()), lead


def test_every_reason_sentence_has_bokmal_words_with_its_placeholders():
    with (ROOT / "wardtrack" / "translations" / "nb" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    for key, sentence in ENGLISH.items():
        message = catalogue.get(sentence)
        assert message is not None and message.string and not message.fuzzy, key
        assert sorted(re.findall(r"\{\w+\}", message.string)) == sorted(re.findall(r"\{\w+\}", sentence)), key
