"""Pages: the PWA shell (login, nurse's log, offline page), its manifest and service worker."""

import functools
import hashlib
from pathlib import Path

import swagger_ui_bundle
from flask import Blueprint, current_app, jsonify, render_template, send_from_directory, url_for

bp = Blueprint("web", __name__)
_SWAGGER_ASSETS = Path(swagger_ui_bundle.swagger_ui_path)
THEME_COLOUR = "#0b5f6b"
# What the service worker precaches: every page's HTML shell and the files it needs offline.
SHELL_PAGES = ("/", "/login", "/log", "/offline", "/manifest.webmanifest")
SHELL_STATIC = ("css/app.css", "js/api.js", "js/i18n.js", "js/outbox.js", "js/login.js", "js/log.js",
                "js/shell.js", "icons/icon-192.png", "icons/icon-512.png")


@bp.get("/")
def index():
    """The start page."""
    return render_template("web/index.html")


@bp.get("/login")
def login_page():
    """The login form; the API decides who may log in."""
    return render_template("web/login.html")


@bp.get("/log")
def log_page():
    """The nurse's contact log: a shell that loads its data from the API (which enforces access)."""
    return render_template("web/log.html")


@bp.get("/offline")
def offline_page():
    """What the service worker shows when a page is neither reachable nor cached."""
    return render_template("web/offline.html")


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest, so that browsers can install the app."""
    icons = [{"src": url_for("static", filename=f"icons/icon-{size}.png"), "sizes": f"{size}x{size}",
              "type": "image/png", "purpose": "any"} for size in (192, 512)]
    body = {"name": "wardtrack", "short_name": "wardtrack", "description": "Log contacts, keep continuity of care.",
            "start_url": "/log", "scope": "/", "display": "standalone", "background_color": "#ffffff",
            "theme_color": THEME_COLOUR, "icons": icons}
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    response.cache_control.no_cache = True
    return response


@functools.cache
def _shell_version(static_folder: str, template_folder: str) -> str:
    """A digest of the shell's files: a changed file gives a new service worker and a fresh cache."""
    digest = hashlib.sha256()
    files = [Path(static_folder, name) for name in SHELL_STATIC] + sorted(Path(template_folder).rglob("*.html"))
    files.append(Path(static_folder, "js", "sw.js"))
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@bp.get("/sw.js")
def service_worker():
    """The service worker, served from the root so that its scope covers every page."""
    static, templates = current_app.static_folder, current_app.template_folder
    version = "dev" if current_app.debug else _shell_version(static, templates)
    shell = list(SHELL_PAGES) + [url_for("static", filename=name) for name in SHELL_STATIC]
    source = Path(static, "js", "sw.js").read_text(encoding="utf-8")
    source = (source.replace('"__VERSION__"', f'"{version}"').replace('["__SHELL__"]', _js_list(shell))
              .replace('["__PAGES__"]', _js_list([page for page in SHELL_PAGES if not page.endswith(".webmanifest")])))
    response = current_app.response_class(source, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.cache_control.no_cache = True
    return response


def _js_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


@bp.get("/api/v1/docs/assets/<path:filename>")
def api_docs_assets(filename):
    """Swagger UI's files, served from the installed package rather than a CDN."""
    return send_from_directory(_SWAGGER_ASSETS, filename, max_age=86400)
