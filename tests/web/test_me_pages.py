"""The patient page's shell as the server sends it: the site's emergency numbers, in the page's language."""

import pytest
from flask_babel import refresh

from tests.conftest import TEST_KEYS
from wardtrack import create_app
from wardtrack.config import ConfigError, _emergency_numbers
from wardtrack.web.views import SHELL_STATIC


def test_the_shell_holds_the_default_emergency_numbers_in_both_languages(client):
    html = client.get("/me").get_data(as_text=True)
    assert 'href="tel:113"' in html and "Medical emergency" in html
    assert 'href="tel:116117"' in html and "Call 116 117" in html and "Out-of-hours doctor" in html
    refresh()  # the test's app context would keep the first request's language
    html = client.get("/me", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert "Ring 113" in html and "Medisinsk nødhjelp" in html and "Legevakt" in html


def test_a_site_sets_its_own_numbers(tmp_path, monkeypatch):
    monkeypatch.setenv("WARDTRACK_EMERGENCY_NUMBERS", "112 = Fire and police ; +47 22 00 00 00=Crisis line")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                      "SECRET_KEY": "test", "CRYPTO_KEYS": TEST_KEYS, "CRYPTO_KEYS_FILE": None})
    assert app.config["EMERGENCY_NUMBERS"] == (("112", "Fire and police"), ("+47 22 00 00 00", "Crisis line"))
    html = app.test_client().get("/me").get_data(as_text=True)
    assert 'href="tel:112"' in html and 'href="tel:+4722000000"' in html and "Crisis line" in html
    assert 'href="tel:113"' not in html


@pytest.mark.parametrize("text", ["", ";", "113", "=Emergency", "113="])
def test_unusable_numbers_are_refused_at_start(text):
    with pytest.raises(ConfigError):
        _emergency_numbers(text)


def test_the_page_files_are_in_the_offline_shell():
    assert {"css/me.css", "js/me.js", "js/keep.js", "js/me_log.js", "js/me_suggest.js"} <= set(SHELL_STATIC)
