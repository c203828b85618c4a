"""The wording of flag reasons: one English sentence per reason key (rules.Reason), in one place.

The pages show each sentence in their language: web/staff.py hands these texts to lazy_gettext as
the `reason_<key>` script strings. The English `detail` stored on a flag is built here from the same
sentences. Pure, like the rules: plain strings and plain data, no Flask. The texts are marked with
`N_`, gettext's no-op marker, so that `pybabel extract` finds them (one of its default keywords).
"""

from collections.abc import Mapping, Sequence
from typing import Protocol


def N_(text: str) -> str:  # noqa: N802 (gettext's own name for the marker)
    """Mark a text for translation without translating it."""
    return text


#: One sentence per reason key, as the pages show it; placeholders are a reason's params.
REASONS: dict[str, str] = {
    "no_safety_person": N_("No safety person named for a patient in care"),
    "extensive_admissions": N_("Extensive hospitalisation: {count} admissions in {days} days"),
    "extensive_stay": N_("Extensive hospitalisation: an inpatient stay of {days} days"),
    "turnover_doctors": N_("{count} doctors in {days} days: {names}"),
    "turnover_kpc": N_(
        "Only {share} of {contacts} contacts in {days} days were with someone the patient knew"),
    "stranger_decision": N_("By someone the patient had never met: {kind} by {name} on {date}"),
    "readmissions": N_("{count} admissions in {days} days"),
    "no_crisis_plan": N_("No crisis plan for a patient in care"),
    "crisis_plan_due_stay": N_("In hospital for {days} days"),
    "crisis_plan_due_admission": N_("Admitted on {date}"),
    "crisis_plan_age": N_("The crisis plan was last revised {days} days ago"),
    "crisis_plan_admission": N_(
        "Admitted {days} days ago and the crisis plan has not been revised since"),
    "maintenance_overdue": N_(
        "No maintenance contact with {name} for {days} days (planned every {interval})"),
    "maintenance_overdue_any": N_(
        "No contact with {name} for {days} days (planned every {interval})"),
    "transition": N_(
        "Moved to {ward} {days} days ago and has not yet seen anyone they knew before"),
    "strain_drop": N_("The patient's check-in on {name} fell from {before} to {now} of 4"),
    "strain_low": N_("The patient's check-in on {name} is {now} of 4"),
    # what a reader sees of a check-in flag that the patient's sharing choice keeps from them
    "check_in_conversation": N_("A check-in asks for a conversation"),
    # whom the patient shares the check-in with, said wherever its score is shown
    "check_in_shared_team_leader": N_("The patient shares this check-in with the team leader"),
    "check_in_shared_team_leader_and_person": N_(
        "The patient shares this check-in with the team leader and the person rated"),
    "help_mental_health": N_("More help wanted with mental health"),
    "help_physical_health": N_("More help wanted with physical health"),
    "help_job": N_("More help wanted with the job situation"),
    "help_accommodation": N_("More help wanted with accommodation"),
    "help_leisure": N_("More help wanted with leisure activities"),
    "help_friendships": N_("More help wanted with friendships"),
    "help_partner_family": N_("More help wanted with partner or family"),
    "help_personal_safety": N_("More help wanted with personal safety"),
    "help_medication": N_("More help wanted with medication"),
    "help_practical_help": N_("More help wanted with practical help"),
    "help_meetings": N_("More help wanted with meetings with professionals"),
}

#: The leads that begin some sentences. A page shows each reason as a sentence of its own, so it
#: repeats the lead; the English detail joins a flag's reasons into one sentence, so it says the
#: lead once, in front (for the code named here), and leaves it out of a reason in brackets.
LEADS: dict[str, str] = {
    "extensive_hospitalisation": "Extensive hospitalisation: ",
    "stranger_decision": "By someone the patient had never met: ",
    "help_requested": "More help wanted with ",
}

# Codes whose first reason is the sentence and whose other reasons say why, in brackets.
_BRACKETED = ("no_safety_person", "no_crisis_plan")


class _Reason(Protocol):
    key: str
    params: Mapping


def _phrase(key: str) -> str:
    """A reason's sentence as part of a longer one: without its lead, in lower case."""
    text = REASONS[key]
    for lead in LEADS.values():
        text = text.removeprefix(lead)
    return text[0].lower() + text[1:]


def _english_params(params: Mapping) -> dict:
    """Params as the English detail writes them (the pages format them in their own language)."""
    shown = dict(params)
    if "names" in shown:
        shown["names"] = ", ".join(shown["names"])
    if "share" in shown:
        shown["share"] = f"{shown['share']:.0%}"
    if "kind" in shown:
        shown["kind"] = shown["kind"].replace("_", " ")  # labels.KINDS, lower-cased, says the same
    return shown


def english(code: str, reasons: Sequence[_Reason]) -> str:
    """A finding's reasons as one English sentence: the `detail` stored on the flag."""
    phrases = [_phrase(r.key).format(**_english_params(r.params)) for r in reasons]
    if code in _BRACKETED and len(phrases) > 1:
        text = f"{phrases[0]} ({'; '.join(phrases[1:])})"
    else:
        text = LEADS.get(code, "") + "; ".join(phrases)
    return text[0].upper() + text[1:] + "."
