"""Pages."""

from pathlib import Path

import swagger_ui_bundle
from flask import Blueprint, render_template, send_from_directory

bp = Blueprint("web", __name__)
_SWAGGER_ASSETS = Path(swagger_ui_bundle.swagger_ui_path)


@bp.get("/")
def index():
    """The start page."""
    return render_template("web/index.html")


@bp.get("/api/v1/docs/assets/<path:filename>")
def api_docs_assets(filename):
    """Swagger UI's files, served from the installed package rather than a CDN."""
    return send_from_directory(_SWAGGER_ASSETS, filename, max_age=86400)
