"""The patient's own page: my safety person, my crisis plan in plain language, and who has read it.

A shell like every other page: the data comes from the patient's own API (`/api/v1/me/...`), which
decides access; nothing about the patient is in the HTML. The emergency numbers (a site setting)
are, so that the cached shell shows them offline; the page keeps the safety person and the plan on
the phone only when the patient chooses so (static/js/keep.js).
"""

from flask import Blueprint, current_app, render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from wardtrack.web.i18n import js_strings

bp = Blueprint("patient_app", __name__)

js_strings(
    bp,
    me_call=_l("Call {name}"),
    me_since=_l("Your safety person since {date}"),
    me_no_phone=_l(
        "No work phone is registered for {name}. Ask the staff on your ward to get in touch for "
        "you."
    ),
    me_login=_l("Log in to see your safety person and your crisis plan."),
    me_not_patient=_l("This page is for patients. Your own pages are on the start page."),
    me_plan_unreadable=_l(
        "Your plan cannot be shown right now. Ask the staff on your ward to look at it."
    ),
    me_plan_version=_l("Version {version}, written by {name} on {date}."),
    me_plan_reviewed=_l("This version was gone through together with you."),
    me_pca_agreed=_l(
        "You have an agreement on patient-controlled admission: you can admit yourself for up to "
        "{days} days at a time, with at least {gap} days between stays."
    ),
    me_pca_until=_l("The agreement is valid until {date}."),
    me_pca_not_agreed=_l(
        "You have no agreement on patient-controlled admission. If you would like one, talk to "
        "your contact person."
    ),
    me_read_plan=_l("read your crisis plan"),
    me_read_versions=_l("looked at the list of your plan's versions"),
    me_read_record=_l("looked at your record"),
    me_read_emergency=_l("opened your record in an emergency: {reason}"),
    me_role_nurse=_l("nurse"),
    me_role_team_leader=_l("team leader"),
    me_role_admin=_l("administrator"),
    me_when_prefix=_l("When: {when}"),
    me_offline_nothing=_l(
        "You are offline. Your safety person and your crisis plan show here when you are online "
        "and offline too if you choose to keep them on this phone."
    ),
    me_offline_kept=_l(
        "You are offline. This is what you kept on this phone, as it was on {date}."
    ),
    me_kept_shown=_l("Shown from this phone, as it was on {date}."),
    me_no_answer=_l("If {name} does not answer"),
    me_keep_on=_l("Kept on this phone. You can see them without the network."),
    me_keep_off=_l("Removed from this phone."),
    me_keep_offline=_l("Connect once to keep your safety person and crisis plan on this phone."),
    me_suggest_sent=_l("Sent. The staff on your ward will read it and talk it through with you."),
    me_suggest_offline=_l(
        "Not sent: sending needs the network. Your text is still here; try again when you are "
        "online."
    ),
    me_suggest_failed=_l("Not sent: {reason}"),
    me_suggest_open=_l("Sent {date}, not answered yet"),
    me_suggest_answered=_l("Answered in version {version} of your plan"),
    me_suggest_empty=_l("Write your suggestion first."),
    me_suggest_whole_plan=_l("The whole plan"),
    me_log_admit_outside=_l("admitted you to their ward: {reason}"),
    me_log_visit=_l("{who}, {role}, {what}, {date}"),
    me_log_full=_l("Show every entry ({count})"),
)

#: The plan's sections in the order the page shows them: (field, heading, how it is drawn).
PLAN_PARTS = (
    ("warning_signs", _l("Signs that a crisis may be coming"), "list"),
    ("coping_strategies", _l("What I can do myself"), "list"),
    ("helpful_people_and_places", _l("People and places that help me"), "list"),
    ("support_contacts", _l("People I can ask for help"), "contacts"),
    ("professional_contacts", _l("Professionals and services to contact in a crisis"), "contacts"),
    ("safe_environment", _l("Making my surroundings safe"), "list"),
    ("what_helps_in_crisis", _l("What helps me in a crisis"), "list"),
    ("what_does_not_help", _l("What does not help me"), "list"),
    ("treatment_preferences", _l("My wishes for treatment and medication"), "text"),
    ("treatment_refusals", _l("Treatment I do not want"), "text"),
    ("patient_controlled_admission", _l("Patient-controlled admission"), "admission"),
    ("reasons_for_living", _l("My reasons to go on"), "list"),
    ("note", _l("Other notes"), "text"),
)
#: The default emergency numbers' labels, for the catalogue (config.EMERGENCY_NUMBERS holds the
#: English).
_EMERGENCY_LABELS = (_l("Medical emergency"), _l("Out-of-hours doctor"))


def emergency_numbers() -> list[dict]:
    """The site's emergency numbers for the page: number, tel: target and label in the page's
    language."""
    return [
        {
            "number": number,
            "tel": "".join(c for c in number if c.isdigit() or c == "+"),
            "label": gettext(label),
        }
        for number, label in current_app.config["EMERGENCY_NUMBERS"]
    ]


@bp.get("/me")
def me_page():
    """The patient's page: a shell that loads the patient's own data from the API (which enforces
    access)."""
    return render_template(
        "web/me.html", plan_parts=PLAN_PARTS, emergency_numbers=emergency_numbers()
    )
