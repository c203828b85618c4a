"""Pages: the PWA shell (login, nurse's log, offline page), its manifest and service worker."""

import functools
import hashlib
from pathlib import Path

import swagger_ui_bundle
from flask import Blueprint, current_app, g, jsonify, render_template, send_from_directory, url_for
from flask_babel import lazy_gettext as _l

from wardtrack.web.i18n import js_strings
from wardtrack.web.labels import PROFESSIONS, SCRIPT_STRINGS

bp = Blueprint("web", __name__)
#: The static files beside the package (the app's static_folder is the same directory).
STATIC = Path(__file__).resolve().parent.parent.parent / "static"
_SWAGGER_ASSETS = Path(swagger_ui_bundle.swagger_ui_path)
THEME_COLOUR = "#0b5f6b"
# What the service worker precaches: every page's HTML shell and the files it needs offline.
SHELL_PAGES = ("/", "/login", "/log", "/me", "/me/check-ins", "/board", "/reminders", "/offline",
               "/manifest.webmanifest")
# every script, style sheet and icon: a page offline finds each module it imports
SHELL_STATIC = tuple(
    sorted(
        path.relative_to(STATIC).as_posix()
        for folder in ("css", "js", "icons")
        for path in (STATIC / folder).rglob("*")
        if path.is_file()
    )
)


# The pages in the navigation, and for whom. Nurses get the board read-only; admins have no ward or
# professional of their own to log contacts as.
_NAV = (("/board", _l("Board"), ("team_leader", "admin", "nurse")),
        ("/log", _l("Log"), ("nurse", "team_leader")),
        ("/reminders", _l("Reminders"), ("nurse", "team_leader", "admin")),
        ("/me", _l("My page"), ("patient",)))
# Where each role starts after logging in. An admin starts on the start page, which lists the board
# and the API documentation.
_HOMES = {"patient": "/me", "team_leader": "/board", "admin": "/", "nurse": "/log"}

# the words for professions and contact kinds that several pages show
js_strings(bp, **SCRIPT_STRINGS)
# The log page's scripts (log.js, log_time.js, log_status.js): each contact's state beside the Save
# button in plain words, the time far back that needs a confirmation, and what tells patients apart.
js_strings(
    bp,
    log_kind_other=_l("Contact"),
    log_patient_unknown=_l("a patient not on this list"),
    log_by_you=_l("by you"),
    log_by=_l("by {name}"),
    log_someone=_l("someone else"),
    log_reason_time=_l(
        "the time is before the patient's current stay began, or further back than the ward allows "
        "without a confirmation"
    ),
    log_reason_professional=_l("the chosen professional is not known to the server"),
    log_reason_ward=_l("the chosen ward is not known to the server"),
    log_reason_401=_l("your session has ended: log in and try again"),
    log_reason_403=_l("you may not do this for this patient"),
    log_reason_other=_l("the server could not take it"),
    log_state_sending=_l("Sending… {what}"),
    log_state_saved=_l("Saved: {what}"),
    log_state_waiting=_l("Saved on this device, waiting (offline): {what}"),
    log_state_undone=_l("Undone: {what}. It no longer counts."),
    log_state_undo_failed=_l("Not undone: {what}: {reason}"),
    log_state_rejected=_l("Not saved: {what}: {reason}"),
    log_undo=_l("Undo"),
    log_undo_label=_l("Undo {what}"),
    log_undo_offline=_l("undoing needs the network"),
    log_in_error=_l("Entered in error…"),
    log_in_error_label=_l("Mark entered in error: {what}"),
    log_in_error_why=_l("Why was it entered in error?"),
    log_in_error_confirm=_l("Mark entered in error"),
    log_state_in_error=_l("Entered in error: {what}. It no longer counts."),
    log_not_sent_yet=_l(
        "Not sent yet: the server did not answer. The contacts wait on this device and are sent "
        "again."
    ),
    log_list_kept=_l("Offline: the ward's list kept on this phone for the shift."),
    log_id_tail=_l("ID …{tail}"),
    log_time_future=_l("The time is in the future: check it."),
    log_confirm_before_episode=_l(
        "This time is before {name}'s current stay began ({date}). Is the time right?"
    ),
    log_confirm_far_back=_l("This time is more than {hours} hours ago. Is it right?"),
    log_confirm_server=_l(
        "The server asks for a confirmation: the time is before the patient's current stay or far "
        "back. Is the time right?"
    ),
)


def caller_role() -> str | None:
    """The logged-in caller's role (a code, never a name), or None."""
    caller = g.get("caller")
    return caller.role if caller is not None else None


def home_paths() -> dict[str, str]:
    """Each role's start page, for the login form to go to."""
    return dict(_HOMES)


def nav_data() -> dict:
    """Every role's navigation, for a page shown before its visitor logged in: the script builds the
    menu from it when a login succeeds on the page, without a reload."""
    links = [
        {"path": path, "label": str(label), "roles": list(roles)} for path, label, roles in _NAV
    ]
    return {"links": links, "label": str(_l("Pages")), "log_out": str(_l("Log out"))}


@bp.app_context_processor
def navigation() -> dict:
    """The navigation for the caller's role: links only, so that a cached shell holds no one's
    data."""
    role = caller_role()

    def links():
        return [(path, label) for path, label, roles in _NAV if role in roles]

    return {"nav_links": links, "caller_role": role, "home_paths": home_paths, "nav_data": nav_data}


@bp.get("/")
def index():
    """The start page: the caller's pages, or the login form."""
    return render_template("web/index.html")


@bp.get("/login")
def login_page():
    """The login form; the API decides who may log in."""
    return render_template("web/login.html")


@bp.get("/log")
def log_page():
    """The nurse's contact log: a shell that loads its data from the API (which enforces access)."""
    return render_template("web/log.html", professions=PROFESSIONS)


@bp.get("/offline")
def offline_page():
    """What the service worker shows when a page is neither reachable nor cached."""
    return render_template("web/offline.html")


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest, so that browsers can install the app."""
    icons = [
        {
            "src": url_for("static", filename=f"icons/icon-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any",
        }
        for size in (192, 512)
    ]
    body = {
        "name": "wardtrack",
        "short_name": "wardtrack",
        "description": "Log contacts, keep continuity of care.",
        "start_url": "/log",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": icons,
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    response.cache_control.no_cache = True
    return response


@functools.cache
def _shell_version(static_folder: str, template_folder: str) -> str:
    """A digest of the shell's files: a changed file gives a new service worker and a fresh
    cache."""
    digest = hashlib.sha256()
    # the worker's too
    templates = sorted(path for path in Path(template_folder).rglob("*") if path.is_file())
    files = [Path(static_folder, name) for name in SHELL_STATIC] + templates
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@bp.get("/sw.js")
def service_worker():
    """The service worker, served from the root so that its scope covers every page."""
    static, templates = current_app.static_folder, current_app.template_folder
    version = "dev" if current_app.debug else _shell_version(static, templates)
    shell = list(SHELL_PAGES) + [url_for("static", filename=name) for name in SHELL_STATIC]
    pages = [page for page in SHELL_PAGES if not page.endswith(".webmanifest")]
    source = render_template("web/sw.js", version=version, shell=shell, pages=pages)
    response = current_app.response_class(source, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.cache_control.no_cache = True
    return response


@bp.get("/api/v1/docs/assets/<path:filename>")
def api_docs_assets(filename):
    """Swagger UI's files, served from the installed package rather than a CDN."""
    return send_from_directory(_SWAGGER_ASSETS, filename, max_age=86400)
