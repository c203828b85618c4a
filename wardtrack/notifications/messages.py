"""What a notification says: never a patient's name, identifier or anything about their care, only
that something is waiting and where to look. The wording is deliberately plain and generic."""

from datetime import datetime

from flask import current_app
from flask_babel import force_locale, gettext

from wardtrack.reminders.timezones import zone

_REMINDER_TEXT = {
    "maintenance_due": "You have a maintenance contact due",
    "crisis_plan_review": "A crisis plan on your ward is due for review",
}


def _link(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def reminder_text(kind: str) -> dict:
    """Subject, body, push title/short text and path for a reminder of this kind."""
    sentence = _REMINDER_TEXT[kind]
    path = "/"
    body = (f"{sentence}.\n\nOpen wardtrack to see it:\n{_link(path)}\n\n"
            "This message is sent automatically and says nothing about the patient on purpose.\n")
    return {
        "subject": f"wardtrack: {sentence[0].lower()}{sentence[1:]}",
        "body": body,
        "title": "wardtrack",
        "short": f"{sentence}.",
        "path": path,
    }


def digest_text(ward_name: str, new_flags: int, since: datetime, timezone: str | None) -> dict:
    """Subject, body, push title/short text and path of a ward's daily digest (a count, no
    names)."""
    since_local = since.astimezone(zone(timezone)).strftime("%Y-%m-%d %H:%M")
    noun = "flag" if new_flags == 1 else "flags"
    sentence = f"{new_flags} new continuity {noun} on {ward_name} since {since_local}"
    path = "/"
    body = f"{sentence}.\n\nOpen wardtrack to see the ward board:\n{_link(path)}\n"
    return {
        "subject": f"wardtrack: daily summary for {ward_name}",
        "body": body,
        "title": "wardtrack",
        "short": f"{sentence}.",
        "path": path,
    }


#: Where a patient makes the check-ins they are asked for.
CHECK_IN_PATH = "/me/check-ins"


def check_in_offer_text(language: str) -> dict:
    """Subject, body, push title/short text and path of an offer to check in, in `language`: the
    same fixed sentence for everyone, naming no professional, score, domain or ward."""
    with force_locale(language):
        sentence = gettext("A check-in is waiting for you.")
    return {
        "subject": "wardtrack",
        "body": f"{sentence}\n\n{_link(CHECK_IN_PATH)}\n",
        "title": "wardtrack",
        "short": sentence,
        "path": CHECK_IN_PATH,
    }
