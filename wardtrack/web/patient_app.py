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
    me_read_check_ins=_l("read your check-ins"),
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


#: The relationship check-in's statements, as the patient reads them (docs/checkins.md).
STATEMENTS = (
    ("listened", _l("They really listen to me.")),
    ("person", _l("They see me as a person, not as a case.")),
    ("together", _l("We make decisions together.")),
    ("safe", _l("I feel safe with them.")),
    ("advocate", _l("They speak up for me in the system.")),
    ("speak_up", _l("I can tell them when something is wrong.")),
)
#: 0 to 4, in words.
OFTEN = (_l("never"), _l("rarely"), _l("sometimes"), _l("often"), _l("always"))
#: The life and care check-in: (heading, [(item, label)]).
DOMAINS = (
    (_l("My life"), (
        ("mental_health", _l("Mental health")), ("physical_health", _l("Physical health")),
        ("job", _l("Job situation")), ("accommodation", _l("Accommodation")),
        ("leisure", _l("Leisure activities")), ("friendships", _l("Friendships")),
        ("partner_family", _l("Partner/family")), ("personal_safety", _l("Personal safety")))),
    (_l("My care"), (
        ("medication", _l("Medication")), ("practical_help", _l("Practical help")),
        ("meetings", _l("Meetings with professionals")))),
)
#: Who reads a check-in, as the patient chooses it; the default first.
SHARES = (
    ("team_leader", _l("My team leader"), _l("and the ward's anonymous figures")),
    ("team_leader_and_person", _l("My team leader and the person I rate"), None),
    ("ward", _l("Only the ward's anonymous figures"), _l("no one reads this check-in itself")),
)

js_strings(
    bp,
    ci_login=_l("Log in to make a check-in."),
    ci_about=_l("How is it with {name}?"),
    ci_role_safety_person=_l("your safety person"),
    ci_role_primary_contact=_l("your contact person"),
    ci_role_therapist=_l("your therapist"),
    ci_role_attending_doctor=_l("your doctor in charge"),
    ci_occasion_interval=_l("It is time for a new check-in."),
    ci_occasion_discharge=_l("You were discharged recently: how did it go?"),
    ci_dialog_offer=_l("My life and care"),
    ci_start_now=_l("Start"),
    ci_offline_page=_l(
        "You are offline. Check-ins need the network: come back to this page when you are online."
    ),
    ci_sent=_l("Thank you. Your check-in is sent."),
    ci_offline=_l(
        "Not sent: sending needs the network. Your answers are still here; try again when you "
        "are online."
    ),
    ci_failed=_l("Not sent: {reason}"),
    ci_fix=_l("Some answers are missing. They are marked below."),
    ci_missing=_l("Choose one answer."),
    ci_score_rel=_l("{score} of 4"),
    ci_score_dialog=_l("life {life} of 7, care {care} of 7"),
    ci_history_rel=_l("About {name}"),
    ci_history_dialog=_l("My life and care"),
    ci_more_help=_l("More help wanted with: {domains}"),
    ci_share_ward=_l("Read by no one: counts only in the ward's anonymous figures."),
    ci_share_team_leader=_l("Read by your team leader."),
    ci_share_team_leader_and_person=_l("Read by your team leader and {name}."),
    ci_share_saved=_l("Saved. {who}"),
    ci_share_change=_l("Change who reads it"),
    ci_none=_l("You have not made any check-ins yet."),
    ci_no_one=_l("There is no one to choose yet."),
    ci_trend_latest=_l("Last time {score} of 4, on {date}."),
    ci_trend_none=_l("Not rated yet."),
    ci_trend_was=_l("Before that {score}."),
    ci_due_count=_l("Check-ins waiting for you: {count}."),
    ci_due_nothing=_l("Nothing is waiting. You can check in whenever you like."),
    ci_push_on=_l("This phone will tell you when a check-in is waiting."),
    ci_push_off=_l("This phone will not tell you."),
    ci_push_denied=_l("The phone did not allow it. You can allow it in the browser's settings."),
    ci_push_unsupported=_l("This browser cannot do this."),
    ci_push_failed=_l("This phone could not be set up for these messages. Try again later."),
    ci_push_no_server=_l("Messages to phones are not set up on this server yet."),
)


@bp.get("/me")
def me_page():
    """The patient's page: a shell that loads the patient's own data from the API (which enforces
    access)."""
    return render_template(
        "web/me.html", plan_parts=PLAN_PARTS, emergency_numbers=emergency_numbers()
    )


@bp.get("/me/check-ins")
def check_ins_page():
    """The patient's check-ins: what is asked now, the two forms, and those sent with who reads
    each. The statements and choices are in the HTML; everything about the patient comes from the
    API."""
    return render_template("web/me_check_ins.html", statements=STATEMENTS, often=OFTEN,
                           domains=DOMAINS, shares=SHARES)
