"""Languages: English and Norwegian bokmål, chosen by the user (a cookie) or by the browser.

Templates and Python use gettext (Flask-Babel); the JavaScript modules read one catalogue of script
strings, translated through the same gettext catalogue and embedded in every page as JSON (see
static/js/i18n.js). Each page's blueprint brings its strings (js_strings); they join the app's
catalogue when the blueprint is registered, so the catalogue belongs to the app, not to whichever
modules happen to be imported.
"""

from flask import Blueprint, Flask, current_app, redirect, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.local import LocalProxy

from wardtrack.web.redirects import local_path

LANGUAGES = {"en": "English", "nb": "Norsk bokmål"}
DEFAULT = "en"
COOKIE = "lang"
# Browsers say "no" or "nn" for Norwegian users who have not chosen bokmål explicitly; bokmål serves
# them best.
_ALIASES = {"no": "nb", "nn": "nb", "nb": "nb", "en": "en"}
ONE_YEAR = 365 * 24 * 3600

bp = Blueprint("i18n", __name__)

_CATALOGUE = "wardtrack.js_strings"  # the app's catalogue, in app.extensions

#: The strings the scripts of every page share, by key; `{name}` placeholders are filled in by t()
#: in the browser. Page modules add their own with js_strings().
SHARED_STRINGS = {
    "me": _l("Me"),
    "me_suffix": _l("{name} (me)"),
    "choose": _l("Choose…"),
    "ward_n": _l("Ward {id}"),
    "offline_note": _l("(offline: sent when the network is back)"),
    "expired": _l("Your session has ended. Log in again: waiting contacts are sent afterwards."),
    "login_to_log": _l("Log in to log contacts."),
    "no_patient": _l("No patient found."),
    "patients_need_network": _l(
        "The patient list needs the network. Logged contacts wait on this device."
    ),
    "choose_patient_who_time": _l("Choose a patient, who and a time."),
    "saved": _l("Saved."),
    "saved_offline": _l("Saved on this device: it is sent when you are online."),
    "not_sent_yet": _l("Not sent yet: {reason}"),
    "not_saved": _l("Not saved: {kind} at {time}, patient #{patient}: {reason}"),
    "reason_404": _l("the patient is not on your wards any more"),
    "reason_409": _l("a different contact with the same id was already sent"),
    "reason_422": _l("the server did not accept it"),
    "reason_status": _l("status {status}"),
    "confirm_logout": _l("{count} contact(s) have not been sent and will be lost. Log out anyway?"),
    "offline_unknown": _l(
        "Offline, and this device does not know you yet: connect once to log in."
    ),
    "wrong_login": _l("Wrong username or password."),
    "too_many": _l("Too many attempts."),
    "login_busy": _l("The server is busy checking other logins."),
    "login_wait": _l("Try again in {seconds} s."),
    "logging_in": _l("Logging in…"),
    "no_network": _l("No network: try again when you are online."),
    "log_quick_added": _l("{name} was added and chosen."),
    "log_quick_offline": _l(
        "Adding a professional needs the network: try again when you are online."
    ),
    "log_quick_name": _l("Write a name."),
    "log_quick_phone": _l(
        "Write a phone number: digits, spaces, dashes or brackets, with an optional + in front."
    ),
}


def js_strings(blueprint: Blueprint, **strings) -> None:
    """Have a page's blueprint add its script strings (lazy_gettext texts) to the app's catalogue
    when it is registered; keys must be new to the app."""
    blueprint.record_once(lambda state: _add_strings(state.app, strings))


def _add_strings(app: Flask, strings: dict) -> None:
    catalogue = app.extensions.setdefault(_CATALOGUE, {})
    clashes = set(strings) & set(catalogue)
    if clashes:
        raise ValueError(f"script strings defined twice: {sorted(clashes)}")
    catalogue.update(strings)


def app_strings() -> dict:
    """The current app's script strings by key, as lazy texts (every registered page's)."""
    return current_app.extensions.get(_CATALOGUE, {})


#: The current app's script strings (app_strings()), for code that reads them like a dict.
JS_STRINGS = LocalProxy(app_strings)


def select_locale() -> str:
    """The user's choice (cookie) if it is one we speak, else the browser's best match, else
    English."""
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    for language, _quality in request.accept_languages:
        code = _ALIASES.get(language.lower().replace("_", "-").split("-")[0])
        if code:
            return code
    return DEFAULT


def js_catalogue() -> dict[str, str]:
    """The JS strings in the request's language."""
    return {key: str(text) for key, text in app_strings().items()}


js_strings(bp, **SHARED_STRINGS)


def template_globals() -> dict:
    """What every template may call: the script catalogue, the languages and the request's
    language."""
    return {
        "js_catalogue": js_catalogue,
        "languages": LANGUAGES,
        "current_language": lambda: str(get_locale()),
    }


@bp.get("/language")
def choose_language():
    """Remember a language in a cookie and go back to the page: a path on this site
    (web/redirects.py), else the caller's start page."""
    from wardtrack.web.views import caller_role, home_paths  # views imports this module

    code = request.args.get("lang", "")
    target = local_path(request.args.get("next")) or home_paths().get(caller_role(), "/")
    response = redirect(target, code=303)
    if code in LANGUAGES:
        response.set_cookie(
            COOKIE, code, max_age=ONE_YEAR, samesite="Lax", secure=request.is_secure, httponly=True
        )
    return response
