"""wardtrack: who each psychiatric patient really has a relationship with, and flags when it breaks."""

import os
from pathlib import Path

from flask import Flask

__all__ = ["create_app"]
ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, error handlers and commands."""
    # The instance folder (database, development keys) may live elsewhere: WARDTRACK_INSTANCE_PATH.
    instance = os.environ.get("WARDTRACK_INSTANCE_PATH")
    app = Flask(__name__, instance_path=os.path.abspath(instance) if instance else None,
                instance_relative_config=True, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"))
    from wardtrack import config

    config.load(app, test_config)
    _init_extensions(app)
    _register(app)
    return app


def _init_extensions(app: Flask) -> None:
    from wardtrack.core.db import ping_when_idle
    from wardtrack.extensions import api, babel, db, migrate
    from wardtrack.web.i18n import select_locale

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name != "sqlite":  # a server may restart under us; a file cannot go away like that
            ping_when_idle(db.engine, app.config["DATABASE_PING_IDLE_SECONDS"])
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True,
                     compare_type=True)
    api.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))


def _register(app: Flask) -> None:
    from wardtrack import models  # noqa: F401  (every table known to the metadata)
    from wardtrack.access.api import blp as patients_api
    from wardtrack.access.api import emergency_blp as emergency_api
    from wardtrack.adt.api import blp as adt_api
    from wardtrack.adt.cli import adt_cli
    from wardtrack.audit.cli import audit_cli
    from wardtrack.auth.access import NoCookieSession, load_caller
    from wardtrack.auth.api import blp as auth_api
    from wardtrack.auth.cli import users_cli
    from wardtrack.backup.cli import register as register_backup
    from wardtrack.checkins import init_app as init_checkins
    from wardtrack.checkins.api import blp as checkins_api
    from wardtrack.contacts.api import blp as contacts_api
    from wardtrack.continuity import init_app as init_continuity
    from wardtrack.continuity.api import blp as continuity_api
    from wardtrack.continuity.board.api import blp as board_api
    from wardtrack.continuity.cli import flags_cli
    from wardtrack.core import body, errors, headers, health, metrics, transaction
    from wardtrack.crisisplans import init_app as init_crisisplans
    from wardtrack.crisisplans.api import blp as crisisplans_api
    from wardtrack.crisisplans.cli import crypto_cli
    from wardtrack.crisisplans.suggestions_api import blp as suggestions_api
    from wardtrack.demo.cli import demo_cli
    from wardtrack.extensions import api
    from wardtrack.fhir import init_app as init_fhir
    from wardtrack.notifications import scheduler
    from wardtrack.notifications.api import blp as push_api
    from wardtrack.notifications.api import digests_blp
    from wardtrack.notifications.cli import scheduler_cli
    from wardtrack.organisation.api import blp as organisation_api
    from wardtrack.reminders import init_app as init_reminders
    from wardtrack.reminders.api import blp as reminders_api
    from wardtrack.reminders.cli import reminders_cli
    from wardtrack.web import i18n
    from wardtrack.web.crisis_plan_page import bp as crisis_plan_page
    from wardtrack.web.patient_app import bp as patient_app
    from wardtrack.web.reminders_page import bp as reminders_page
    from wardtrack.web.staff import bp as staff_pages
    from wardtrack.web.views import bp as web

    for blueprint in (health.bp, auth_api, organisation_api, patients_api, contacts_api, continuity_api, board_api):
        api.register_blueprint(blueprint)
    api.register_blueprint(emergency_api)
    api.register_blueprint(crisisplans_api)
    api.register_blueprint(suggestions_api)
    api.register_blueprint(reminders_api)
    api.register_blueprint(checkins_api)
    api.register_blueprint(push_api)
    api.register_blueprint(digests_blp)
    api.register_blueprint(adt_api)
    app.register_blueprint(web)
    app.register_blueprint(staff_pages)
    app.register_blueprint(crisis_plan_page)
    app.register_blueprint(patient_app)
    app.register_blueprint(reminders_page)
    app.register_blueprint(i18n.bp)
    app.context_processor(i18n.template_globals)
    metrics.init_app(app)  # first: its clock starts before any other hook can answer
    errors.init_app(app)
    headers.init_app(app)
    body.init_app(app)
    app.session_interface = NoCookieSession()
    transaction.init_app(app, before_writing=[load_caller])
    for group in (users_cli, audit_cli, demo_cli, flags_cli):
        app.cli.add_command(group)
    app.cli.add_command(crypto_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(scheduler_cli)
    register_backup(app)  # `flask db backup`, in Flask-Migrate's group
    app.cli.add_command(adt_cli)
    scheduler.init_app(app)
    init_crisisplans(app)
    init_checkins(app)
    init_continuity(app)
    init_reminders(app)
    init_fhir(app)
