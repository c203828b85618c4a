"""The patient's own page: my safety person, my crisis plan in plain language, and who has read it.

A shell like every other page: the data comes from the patient's own API (`/api/v1/me/...`), which
decides access; nothing about the patient is in the HTML or stored in the browser.
"""

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from wardtrack.web.i18n import js_strings

bp = Blueprint("patient_app", __name__)

js_strings(
    me_call=_l("Call {name}"),
    me_since=_l("Your safety person since {date}"),
    me_no_phone=_l("No work phone is registered for {name}. Ask the staff on your ward to get in touch for you."),
    me_login=_l("Log in to see your safety person and your crisis plan."),
    me_not_patient=_l("This page is for patients. Your own pages are on the start page."),
    me_no_network=_l("This needs the network: nothing about you is kept on this phone. Try again when you are online."),
    me_plan_unreadable=_l("Your plan cannot be shown right now. Ask the staff on your ward to look at it."),
    me_plan_version=_l("Version {version}, written by {name} on {date}."),
    me_plan_reviewed=_l("This version was gone through together with you."),
    me_pca_agreed=_l("You have an agreement on patient-controlled admission: you can admit yourself for up to "
                     "{days} days at a time, with at least {gap} days between stays."),
    me_pca_until=_l("The agreement is valid until {date}."),
    me_pca_not_agreed=_l("You have no agreement on patient-controlled admission. If you would like one, talk to "
                         "your contact person."),
    me_read_plan=_l("read your crisis plan"),
    me_read_versions=_l("looked at the list of your plan's versions"),
    me_read_record=_l("looked at your record"),
    me_read_emergency=_l("opened your record in an emergency: {reason}"),
    me_role_nurse=_l("nurse"),
    me_role_team_leader=_l("team leader"),
    me_role_admin=_l("administrator"),
    me_when_prefix=_l("When: {when}"),
)


@bp.get("/me")
def me_page():
    """The patient's page: a shell that loads the patient's own data from the API (which enforces access)."""
    return render_template("web/me.html")
