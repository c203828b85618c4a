"""The scripts' catalogue belongs to the app: each page's blueprint brings its strings when it is registered,
so that importing a module fills nothing and every app built by the factory has every page's strings."""

import re
from pathlib import Path

import pytest
from flask import Blueprint, Flask

from tests.conftest import _config
from wardtrack import create_app
from wardtrack.web import crisis_plan_page, i18n, patient_app, reminders_page, staff, views
from wardtrack.web.i18n import app_strings, js_strings

SCRIPTS = Path(__file__).resolve().parents[2] / "static" / "js"
PAGE_MODULES = (i18n, views, staff, patient_app, reminders_page, crisis_plan_page)


def _strings_of(*blueprints: Blueprint) -> dict:
    bare = Flask(__name__)
    for blueprint in blueprints:
        bare.register_blueprint(blueprint)
    with bare.app_context():
        return dict(app_strings())


def test_importing_the_page_modules_fills_no_catalogue():
    assert _strings_of() == {}


@pytest.mark.parametrize("module", PAGE_MODULES, ids=lambda module: module.__name__.rsplit(".", 1)[1])
def test_a_fresh_app_has_the_script_strings_of_every_page_module(app, module):
    page = _strings_of(module.bp)
    assert page  # each page module brings strings of its own
    fresh = create_app(_config(app.config["SQLALCHEMY_DATABASE_URI"]))
    with fresh.app_context():
        strings = app_strings()
    assert page.items() <= strings.items()


def test_every_key_a_script_asks_for_is_in_a_fresh_apps_catalogue(app):
    asked = {key for script in SCRIPTS.glob("*.js") for key in re.findall(r'\bt\(\s*"(\w+)"', script.read_text())}
    assert len(asked) > 100  # the pattern finds the scripts' keys
    with create_app(_config(app.config["SQLALCHEMY_DATABASE_URI"])).app_context():
        assert sorted(asked - set(app_strings())) == []


def test_a_key_two_pages_bring_is_refused_when_the_second_registers():
    first, second = Blueprint("first", __name__), Blueprint("second", __name__)
    js_strings(first, twice="one")
    js_strings(second, twice="other")
    with pytest.raises(ValueError, match="twice"):
        _strings_of(first, second)
