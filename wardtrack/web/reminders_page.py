"""The staff's reminders page: my open and snoozed reminders (and, for team leaders, their wards'),
done and snooze; the latest daily digests for team leaders; and notifications on this phone (web
push).

A shell like every other page: the reminders, names and digests come from the API, which decides
access (a patient gets a 403 there, and the page says so); nothing of them is in the HTML or stored
in the browser.
"""

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from wardtrack.web.i18n import js_strings

bp = Blueprint("reminders_page", __name__)

#: Reminder kinds in words.
KINDS = {
    "maintenance_due": _l("Maintenance contact due"),
    "crisis_plan_review": _l("Crisis plan due for review"),
}
SNOOZE_DAYS = 7

js_strings(
    bp,
    **{f"reminders_kind_{code}": text for code, text in KINDS.items()},
    reminders_login=_l("Log in to see your reminders."),
    reminders_not_staff=_l(
        "Reminders are for the staff of a ward. Your own pages are on the start page."
    ),
    reminders_offline=_l("No network: reminders are only shown online."),
    reminders_failed=_l("Could not load: {reason}"),
    reminders_none=_l("No open reminders."),
    reminders_none_snoozed=_l("No snoozed reminders."),
    reminders_due=_l("Due {date}"),
    reminders_overdue=_l("Due since {date}"),
    reminders_snoozed_until=_l("Snoozed until {date}"),
    reminders_with=_l("With {name}"),
    reminders_ward_only=_l("For the ward"),
    reminders_done=_l("Done"),
    reminders_snooze=_l("Snooze"),
    reminders_snooze_until=_l("Snooze until"),
    reminders_cancel=_l("Cancel"),
    reminders_marked_done=_l("Marked as done."),
    reminders_snoozed=_l("Snoozed until {date}."),
    reminders_gone=_l("This reminder was already closed: the list has been reloaded."),
    reminders_not_saved=_l("Not saved: {reason}"),
    reminders_pick_date=_l("Choose a date."),
    reminders_snooze_range=_l("Choose a date after today and at most {days} days ahead."),
    reminders_digest_line=_l("{ward}, {date}: {count} new flags"),
    reminders_digest_one=_l("{ward}, {date}: 1 new flag"),
    reminders_digest_none=_l("No digests yet: the first comes tomorrow morning."),
    reminders_ward_n=_l("Ward {id}"),
    reminders_push_on=_l("Notifications are on for this phone."),
    reminders_push_off=_l("Notifications are off for this phone."),
    reminders_push_enable=_l("Notify me on this phone"),
    reminders_push_disable=_l("Stop notifications"),
    reminders_push_working=_l("One moment…"),
    reminders_push_unsupported=_l(
        "This browser cannot show notifications. Reminders are still listed here "
        "and sent by e-mail if you have an address."
    ),
    reminders_push_denied=_l(
        "Notifications are blocked for this site in the browser's settings. Allow them "
        "there if you want them; reminders are still listed here."
    ),
    reminders_push_no_server=_l(
        "Notifications to phones are not set up on this server yet. Reminders are "
        "still listed here."
    ),
    reminders_push_failed=_l(
        "This phone could not be signed up for notifications. Reminders are still "
        "listed here; try again later."
    ),
    reminders_push_stopped=_l("Notifications stopped for this phone."),
)


@bp.get("/reminders")
def reminders_page():
    """Reminders for staff: the shell only; the data and the access decision come from the API."""
    return render_template("web/reminders.html", snooze_days=SNOOZE_DAYS)
