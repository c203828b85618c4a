"""The crisis-plan editor for nurses and team leaders: write a new version with the patient beside
you.

A shell like the other staff pages: the plan, its versions and the patient's suggestions come from
the JSON API (which decides access and audits every read); the page writes through
`PUT /api/v1/patients/{id}/crisis-plan` with If-Match. When someone else saved a version meanwhile
(412), the page shows theirs beside the writer's and lets the writer merge section by section before
saving against the newer version. Nothing is stored in the browser.
"""

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from wardtrack.crisisplans.schemas import MAX_ITEMS, PHONE_MAX_DIGITS, PHONE_MIN_DIGITS
from wardtrack.web.i18n import js_strings

bp = Blueprint("crisis_plan_page", __name__)

#: The plan's sections in the order the patient reads them (Stanley–Brown, then the joint crisis
#: plan's parts): field, heading, and how it is written ("list": one item per line, "text",
#: "people", "services", "admission").
SECTIONS = (
    ("warning_signs", _l("Warning signs"), "list"),
    ("coping_strategies", _l("What I can do myself"), "list"),
    ("helpful_people_and_places", _l("People and places that help me"), "list"),
    ("support_contacts", _l("People I can ask for help"), "people"),
    ("professional_contacts", _l("Professionals and services to contact in a crisis"), "services"),
    ("safe_environment", _l("Making my surroundings safe"), "list"),
    ("what_helps_in_crisis", _l("What helps me in a crisis"), "list"),
    ("what_does_not_help", _l("What does not help"), "list"),
    ("treatment_preferences", _l("Treatment and medication preferences"), "text"),
    ("treatment_refusals", _l("Treatment I do not want"), "text"),
    ("patient_controlled_admission", _l("Patient-controlled admission"), "admission"),
    ("reasons_for_living", _l("Reasons to go on"), "list"),
    ("note", _l("Note"), "text"),
)
AUTHOR_ROLES = {
    "nurse": _l("nurse"),
    "team_leader": _l("team leader"),
    "admin": _l("administrator"),
}

js_strings(
    bp,
    **{f"cp_section_{field}": label for field, label, _kind in SECTIONS},
    **{f"cp_author_{code}": text for code, text in AUTHOR_ROLES.items()},
    cp_login=_l("Log in to write the crisis plan."),
    cp_not_found=_l("Patient not found, or not on your wards."),
    cp_offline=_l("No network: the crisis plan can only be opened online."),
    cp_load_failed=_l("Could not load: {reason}"),
    cp_read_only=_l("Only nurses and team leaders write crisis plans; you can read it here."),
    cp_unreadable=_l(
        "The latest version cannot be read now (key missing): a new version starts empty."
    ),
    cp_base_none=_l("No crisis plan yet: saving makes version 1."),
    cp_base=_l("Editing version {version} of {date}, by {who}."),
    cp_save_as=_l("Save as version {version}"),
    cp_saving=_l("Saving…"),
    cp_saved=_l("Saved as version {version}."),
    cp_not_saved=_l("Not saved: {reason}"),
    cp_not_saved_offline=_l(
        "No network: not saved. Your text stays here; save again when you are online."
    ),
    cp_check_fields=_l("Not saved: check the marked fields."),
    cp_choose_reviewed=_l("Choose yes or no: was this version gone through with the patient?"),
    cp_phone_shape=_l(
        "Write a phone number: digits, with spaces, dashes or brackets between them and an optional"
        " + in front."
    ),
    cp_phone_digits=_l("A phone number has {min} to {max} digits; this one has {count}."),
    cp_name_needed=_l("Write a name, or remove the line."),
    cp_too_many=_l("At most {max} lines."),
    cp_line_too_long=_l("Line {line} is longer than {max} characters."),
    cp_text_too_long=_l("At most {max} characters."),
    cp_days_range=_l("A whole number from {min} to {max}."),
    cp_server_field=_l("Not accepted: {reason}"),
    cp_name=_l("Name"),
    cp_phone=_l("Phone"),
    cp_when=_l("When to call"),
    cp_person=_l("Person {n}"),
    cp_service=_l("Service {n}"),
    cp_remove=_l("Remove"),
    cp_empty=_l("(empty)"),
    cp_pca_yes=_l("Agreed: up to {days} days per stay, at least {between} days between stays."),
    cp_pca_no=_l("Not agreed."),
    cp_conflict_intro=_l(
        "{who} saved version {version} at {time} while you were writing. Sections only one of you"
        " changed are already taken over; choose for each section below, then check and save."
    ),
    cp_conflict_none=_l(
        "{who} saved version {version} at {time} while you were writing. You changed different "
        "sections, so both are kept: check and save."
    ),
    cp_keep_mine=_l("Keep mine"),
    cp_take_theirs=_l("Take theirs ({who})"),
    cp_both_changed=_l("Both of you changed this section."),
    cp_merged=_l("Merged onto version {version}: check the plan and save."),
    cp_version_line=_l("Version {version} · {date} · {who}, {role}"),
    cp_reviewed_yes=_l("gone through with the patient"),
    cp_reviewed_no=_l("not gone through with the patient"),
    cp_taken=_l("Taken over from their version: {sections}."),
    cp_suggestion_line=_l("{date} · {section}"),
    cp_suggestion_general=_l("The plan as a whole"),
    cp_suggestion_copy=_l("Add to the section"),
    cp_suggestion_copied=_l("Added to \u201c{section}\u201d: check and save."),
    cp_suggestion_answer=_l("Answered by version {version}"),
    cp_suggestion_answered=_l("Marked as answered."),
    cp_no_suggestions=_l("No open suggestions from the patient."),
)


@bp.get("/patients/<int:patient_id>/crisis-plan")
def crisis_plan_page(patient_id):
    """The crisis-plan editor: the shell only; the plan and the access decision come from the
    API."""
    return render_template("web/crisis_plan.html", patient_id=patient_id, sections=SECTIONS,
                           max_items=MAX_ITEMS, phone_digits=(PHONE_MIN_DIGITS, PHONE_MAX_DIGITS))
