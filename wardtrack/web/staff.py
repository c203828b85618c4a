"""Staff pages: a patient's page and the team leader's ward board.

Both are shells: the server sends no patient data, the scripts fetch it from the JSON API, which
decides access (a patient out of reach is a 404 there, and the page says "not found").
"""

from flask import Blueprint, render_template
from flask_babel import lazy_gettext
from flask_babel import lazy_gettext as _l

from wardtrack.continuity.wording import REASONS
from wardtrack.web.crisis_plan_page import SECTIONS
from wardtrack.web.i18n import js_strings
from wardtrack.web.labels import PROFESSIONS

bp = Blueprint("staff", __name__)

FLAG_CODES = {
    "no_safety_person": _l("No safety person"),
    "high_turnover": _l("High turnover"),
    "stranger_decision": _l("Decision by a stranger"),
    "readmission_tipping_point": _l("Readmission tipping point"),
    "extensive_hospitalisation": _l("Extensive hospitalisation"),
    "no_crisis_plan": _l("No crisis plan"),
    "crisis_plan_stale": _l("Crisis plan out of date"),
    "maintenance_overdue": _l("Maintenance overdue"),
    "transition_without_known_professional": _l("New setting, no known professional"),
    "relationship_strain": _l("Strained relationship"),
    "help_requested": _l("Help requested"),
}
# Short labels for the chips of the board's rows.
CHIPS = {
    "no_safety_person": _l("No safety person"), "high_turnover": _l("Turnover"),
    "stranger_decision": _l("Stranger decided"), "readmission_tipping_point": _l("Readmissions"),
    "extensive_hospitalisation": _l("Extensive"), "no_crisis_plan": _l("No crisis plan"),
    "crisis_plan_stale": _l("Plan out of date"), "maintenance_overdue": _l("Maintenance"),
    "transition_without_known_professional": _l("No known person"),
    "relationship_strain": _l("Strained"), "help_requested": _l("Asks for help"),
}
SEVERITIES = {"high": _l("High"), "medium": _l("Medium"), "low": _l("Low")}
ROLES = {
    "safety_person": _l("Safety person"),
    "primary_contact": _l("Primary contact"),
    "therapist": _l("Therapist"),
    "attending_doctor": _l("Attending doctor"),
}

js_strings(
    bp,
    **{f"board_flag_{code}": text for code, text in FLAG_CODES.items()},
    **{f"board_sev_{code}": text for code, text in SEVERITIES.items()},
    **{f"board_chip_{code}": text for code, text in CHIPS.items()},
    **{f"patient_role_{code}": text for code, text in ROLES.items()},
    patient_not_found=_l("Patient not found, or not on your wards."),
    patient_login=_l("Log in to see this patient."),
    patient_load_failed=_l("Could not load: {reason}"),
    patient_offline=_l("No network: patient data is only shown online."),
    patient_no_episode=_l("No active episode."),
    patient_episode=_l("{kind} since {date}, {legal}"),
    patient_kind_inpatient=_l("Inpatient"),
    patient_kind_outpatient=_l("Outpatient"),
    patient_legal_voluntary=_l("voluntary"),
    patient_legal_involuntary=_l("involuntary"),
    patient_nobody=_l("Not named"),
    patient_since=_l("since {date}"),
    patient_chosen=_l("chosen with the patient"),
    patient_no_contacts=_l("No contacts in this period."),
    patient_timeline_title=_l("Contacts over the last {days} days, one row per professional"),
    patient_timeline_summary=_l(
        "{contacts} contacts with {people} professionals; {new} new in this period."
    ),
    patient_new=_l("new"),
    patient_truncated=_l("Only the newest {count} contacts are drawn."),
    patient_undefined=_l("not defined"),
    patient_no_flags=_l("No open flags."),
    patient_flag_ack=_l("acknowledged"),
    patient_no_plan=_l("No crisis plan yet."),
    patient_plan_unreadable=_l("The crisis plan cannot be read now (key missing)."),
    patient_plan_version=_l("Version {version}, {date}, by {who}"),
    patient_plan_reviewed=_l("Reviewed with the patient."),
    patient_plan_not_reviewed=_l("Not reviewed with the patient."),
    patient_pca_agreed=_l(
        "Agreed: up to {days} days per stay, at least {between} days between stays."
    ),
    patient_pca_not_agreed=_l("Not agreed."),
    patient_pca_until=_l("Valid until {date}."),
    board_login=_l("Log in to see the ward board."),
    board_not_staff=_l("The board is for the staff of a ward."),
    board_read_only=_l(
        "Read only: team leaders acknowledge and resolve flags and name key people."
    ),
    board_no_patients=_l("No patients in care on this ward."),
    board_no_flags=_l("No open flags"),
    board_acknowledged=_l("Acknowledged"),
    board_saved=_l("Saved."),
    board_conflict=_l("Someone else changed this meanwhile: the board has been reloaded."),
    board_invalid=_l("Not accepted: {reason}"),
    board_failed=_l("Not saved: {reason}"),
    board_note_needed=_l("Write a note."),
    board_ack_title=_l("Acknowledge: {flag}"),
    board_resolve_title=_l("Resolve: {flag}"),
    board_name_title=_l("Name the {role} of {patient}"),
    board_plan_title=_l("Maintenance plans for {patient}"),
    board_plan_line=_l("{name}: at least every {days} days"),
    board_no_plans=_l("No maintenance plans."),
    board_last_contact=_l("Last contact {days} days ago"),
    board_never=_l("No contact yet"),
    board_kpc=_l("kpc 90 d: {value}"),
    board_unknown_professional=_l("Professional {id}"),
    board_ack=_l("Acknowledge"),
    board_resolve=_l("Resolve"),
    board_name=_l("Name"),
    board_change=_l("Change"),
    board_plans=_l("Maintenance plans"),
    board_end=_l("End"),
    board_person=_l("{role}: {name}"),
    board_days_ago=_l("{days} days since last contact"),
    board_episode=_l("{kind} since {date}"),
    board_interval_range=_l("Give a whole number of days from 7 to 730."),
    board_choose=_l("Choose…"),
    board_ward_n=_l("Ward {id}"),
    board_loading=_l("Loading…"),
    board_last_today=_l("Last contact today"),
    board_last_yesterday=_l("Last contact yesterday"),
    board_met_today=_l("met today"),
    board_met_yesterday=_l("met yesterday"),
    board_summary=_l("Patients: {patients} · open flags: {flags} · high: {high}"),
    board_filter_all=_l("All ({count})"),
    board_filter_code=_l("{label} ({count})"),
    board_showing=_l("Showing {shown} of {total} patients."),
    board_chip_acked=_l("{count} acknowledged"),
    board_acked_heading=_l("Acknowledged ({count})"),
    board_confirm_ack=_l(
        "Acknowledged. It moves under “Acknowledged” when the board is next loaded."
    ),
    board_confirm_resolve=_l("Resolved: {flag}."),
    board_person_saved=_l("Saved: {role} {name}."),
    board_plans_saved=_l("Maintenance plans saved."),
    board_plan_due=_l("next due {date}"),
    board_plan_overdue=_l("overdue, was due {date}"),
    board_plan_counts_maintenance=_l("maintenance contacts count"),
    board_plan_counts_any=_l("any contact counts"),
    board_open_page=_l("Patient page"),
    board_row_episode=_l("{kind}, {days} d"),
    board_known_group=_l("Knows best (last year)"),
    board_others_group=_l("Others on the ward"),
    board_known_option=_l("{name} · {profession} · {count} contacts, last {date}"),
    board_choose_chosen=_l("Say whether the patient chose this person."),
    board_choose_counts=_l("Say which contacts count."),
    board_history_safety=_l("Share of the ward's patients with a safety person, per week."),
    board_history_kpc=_l(
        "Median KPC per week: the share of contacts with someone the patient knew."
    ),
    board_no_data=_l("no data"),
)

# Why a flag holds: t(`reason_${key}`, params) for each of a flag's reasons
# (continuity.rules.Reason), worded by continuity.wording, which also words the English `detail` the
# API stores; the pages fill in dates, names, contact kinds (kind_<code>) and shares as percentages
# in the page's language. Called by its own name, not `_l`: pybabel extracts `_l("…")` literals and
# finds these texts as N_ in wording.py.
js_strings(bp, **{f"reason_{key}": lazy_gettext(text) for key, text in REASONS.items()})


# The patient page's relationship picture and its measures' verdicts (bands in docs/measures.md).
js_strings(
    bp,
    patient_plan_write_first=_l("Write the crisis plan with the patient"),
    patient_contacts_none=_l("no contact in this period"),
    patient_contacts_one=_l("1 contact"),
    patient_contacts_n=_l("{count} contacts"),
    patient_fold_once=_l("+{count} people met once"),
    patient_fold_twice=_l("+{count} people met at most twice"),
    patient_fold_more=_l("+{count} more people, met at most {times} times"),
    patient_fold_hide=_l("Show only the people met most"),
    patient_band_high=_l("High"),
    patient_band_medium=_l("Medium"),
    patient_band_low=_l("Low"),
    patient_measure_too_few=_l("Too few contacts to say."),
    patient_verdict_upc_high=_l("one person has most of the contacts."),
    patient_verdict_upc_medium=_l("one person has at least half of the contacts."),
    patient_verdict_upc_low=_l("no one has even half of the contacts."),
    patient_verdict_coc_high=_l("contacts are concentrated on a few people."),
    patient_verdict_coc_medium=_l("contacts are shared among several people."),
    patient_verdict_coc_low=_l("contacts are spread over many people."),
    patient_verdict_secon_high=_l("usually the same person as the time before."),
    patient_verdict_secon_medium=_l("often the same person as the time before."),
    patient_verdict_secon_low=_l("seldom the same person twice in a row."),
    patient_verdict_kpc_high=_l("most contacts are with someone the patient already knows."),
    patient_verdict_kpc_medium=_l("many contacts are with someone new to the patient."),
    patient_verdict_kpc_low=_l("most contacts are first meetings with someone new."),
    patient_reading_high_few=_l("Most contacts are with a few people the patient already knows."),
    patient_reading_high_many=_l(
        "Most contacts are with people the patient already knows, but spread over many of them."
    ),
    patient_reading_medium_few=_l(
        "Contacts centre on a few people, but many are with someone new to the patient."
    ),
    patient_reading_medium_many=_l("A mix of known and new people, spread over many of them."),
    patient_reading_low=_l(
        "Most contacts are first meetings: the patient keeps meeting someone new."
    ),
)

# The patient's own check-ins on the patient page (patient_checkins.js) and the ward's anonymous
# figures on the board (board_chart.js): who the patient shares each score with, in plain words.
js_strings(
    bp,
    patient_ci_share_leader=_l("shared with the team leader"),
    patient_ci_share_person=_l("shared with the team leader and {name}"),
    patient_ci_none=_l("The patient shares no relationship check-ins with you."),
    patient_ci_latest=_l("Latest {score} of 4"),
    patient_ci_all=_l("Every check-in ({count})"),
    patient_ci_row=_l("{date}: {score} of 4, {share}"),
    patient_ci_dialog_none=_l("The patient shares no life and care check-ins with you."),
    patient_ci_dialog_meta=_l("Latest {date}, {share}; compared with {before}."),
    patient_ci_dialog_first=_l("Latest {date}, {share}; the first one shared with you."),
    patient_ci_more_help=_l("wants more help"),
    board_ci_threshold=_l("Shown only for weeks with at least {count} patients."),
    board_ci_none=_l("No check-ins on this ward in the last year."),
    board_ci_withheld=_l("withheld"),
    board_ci_week=_l("Week of {date}"),
    board_ci_relationship=_l("Relationship score by week, 0 (never) to 4 (always)"),
    board_ci_dialog=_l("Life and care by week, 1 (couldn't be worse) to 7 (couldn't be better)"),
)

# On the patient page the plan's crisis sections come first and the rest folds away under them.
CRISIS_SECTIONS = ("what_helps_in_crisis", "what_does_not_help", "support_contacts",
                   "professional_contacts", "treatment_refusals", "treatment_preferences",
                   "patient_controlled_admission", "warning_signs")


@bp.get("/patients/<int:patient_id>")
def patient_page(patient_id):
    """A patient's page for staff: the shell only; the data and the access decision come from the
    API."""
    labels = {field: label for field, label, _kind in SECTIONS}
    return render_template(
        "web/patient.html",
        patient_id=patient_id,
        professions=PROFESSIONS,
        crisis_sections=[(field, labels[field]) for field in CRISIS_SECTIONS],
        other_sections=[(f, label) for f, label, _k in SECTIONS if f not in CRISIS_SECTIONS],
    )


@bp.get("/board")
def board_page():
    """The team leader's ward board (read-only for nurses): the shell only, data from the API."""
    return render_template("web/board.html", professions=PROFESSIONS, roles=ROLES)
