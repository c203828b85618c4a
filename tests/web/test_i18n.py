"""Languages: English and Norwegian bokmål on every page; the catalogue is complete and compiled."""

import json
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask_babel import gettext, refresh

from wardtrack.organisation.models import PROFESSIONS as PROFESSION_CODES
from wardtrack.web.i18n import JS_STRINGS
from wardtrack.web.labels import PROFESSIONS

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "wardtrack" / "translations" / "nb" / "LC_MESSAGES" / "messages.po"
METHODS = [("wardtrack/**.py", "python"), ("templates/**.html", "jinja2")]
PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)s")


def _catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle)


def _extracted() -> set[str]:
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "N_": None}
    messages = extract_from_dir(str(ROOT), METHODS, keywords=keywords)
    return {message if isinstance(message, str) else message[0] for _file, _line, message, *_rest in messages}


def test_every_message_in_code_and_templates_has_a_bokmal_translation():
    catalogue = _catalogue()
    untranslated = sorted(m for m in _extracted() if not (catalogue.get(m) and catalogue.get(m).string))
    assert untranslated == [], "run `make translations` and translate these"
    fuzzy = [message.id for message in catalogue if message.id and message.fuzzy]
    assert fuzzy == []


def test_translations_keep_their_placeholders():
    for message in _catalogue():
        if message.id:
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(PLACEHOLDER.findall(message.string)), message.id


def test_the_compiled_catalogue_is_the_current_one(app):
    """A stale .mo would show old or English text: every entry must come back as the .po says."""
    with app.test_request_context(headers={"Accept-Language": "nb"}):
        refresh()
        for message in _catalogue():
            if message.id and isinstance(message.id, str):
                assert gettext(message.id) == message.string.replace("%%", "%"), message.id


@pytest.mark.parametrize(("header", "lang", "text"), [
    ("nb-NO,nb;q=0.9,en;q=0.5", "nb", "Registrer en kontakt"),
    ("no", "nb", "Registrer en kontakt"),
    ("nn-NO", "nb", "Registrer en kontakt"),
    ("en-GB,en;q=0.8", "en", "Log a contact"),
    ("de-DE", "en", "Log a contact"),
    ("", "en", "Log a contact"),
])
def test_the_browser_language_is_the_default(client, header, lang, text):
    html = client.get("/log", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert text in html


def test_a_chosen_language_is_remembered_over_the_browser_one(client):
    # The app fixture holds one app context for the whole test, and Flask-Babel keeps the locale on `g`:
    # refresh() forgets it between requests, as a new request's own context would in production.
    response = client.get("/language?lang=nb&next=/log")
    assert response.status_code == 303 and response.headers["Location"] == "/log"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=nb") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    html = client.get("/log", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="nb">' in html and "Lagre" in html
    client.get("/language?lang=en&next=/")
    refresh()
    assert '<html lang="en">' in client.get("/log", headers={"Accept-Language": "nb"}).get_data(as_text=True)


@pytest.mark.parametrize("target", ["//example.org/x", "https://example.org/", "javascript:alert(1)"])
def test_choosing_a_language_never_leaves_the_site(client, target):
    response = client.get("/language", query_string={"lang": "nb", "next": target})
    assert response.headers["Location"] == "/"


def test_an_unknown_language_is_ignored(client):
    response = client.get("/language?lang=xx&next=/log")
    assert response.status_code == 303 and "Set-Cookie" not in response.headers


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_every_page_embeds_the_script_catalogue_in_its_language(client, lang):
    html = client.get("/log", headers={"Accept-Language": lang}).get_data(as_text=True)
    raw = re.search(r'<script id="i18n" type="application/json">(.*?)</script>', html, re.S).group(1)
    strings = json.loads(raw)
    assert set(strings) == set(JS_STRINGS)
    assert strings["saved"] == ("Lagret." if lang == "nb" else "Saved.")
    assert "{reason}" in strings["not_sent_yet"]


def test_the_language_switch_is_on_every_page(client):
    html = client.get("/offline").get_data(as_text=True)
    assert 'href="/language?lang=nb&amp;next=/offline"' in html and 'lang="nb"' in html


def test_every_profession_has_words():
    assert tuple(PROFESSIONS) == PROFESSION_CODES


@pytest.mark.parametrize(("lang", "text"), [("en", "This page does not exist"), ("nb", "Denne siden finnes ikke")])
def test_error_pages_speak_the_language_too(client, lang, text):
    response = client.get("/no-such-page", headers={"Accept-Language": lang, "Accept": "text/html"})
    assert response.status_code == 404 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html and text in html
