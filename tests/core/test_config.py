"""Settings from the WARDTRACK_* environment: each variable as its setting's type, text kept as written."""

import pytest

from tests.conftest import TEST_KEYS
from wardtrack import create_app
from wardtrack.config import ConfigError

KEYS = {"SECRET_KEY": "s", "CRYPTO_KEYS": TEST_KEYS, "CRYPTO_KEYS_FILE": None}
BASE = {**KEYS, "SQLALCHEMY_DATABASE_URI": "sqlite://"}


def _app(monkeypatch, mapping=BASE, **variables):
    for name, value in variables.items():
        monkeypatch.setenv(f"WARDTRACK_{name}", value)
    return create_app(mapping)


def test_text_settings_keep_the_text_even_when_it_looks_like_json(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    config = _app(monkeypatch, KEYS, DATABASE_URL=url, DATABASE_APP_ROLE="null", MAIL_FROM="123",
                  BASE_URL="https://ward.example/", FORWARDED_ALLOW_IPS="*", ENV="testing").config
    assert config["SQLALCHEMY_DATABASE_URI"] == url
    assert (config["DATABASE_APP_ROLE"], config["MAIL_FROM"]) == ("null", "123")
    assert (config["BASE_URL"], config["FORWARDED_ALLOW_IPS"]) == ("https://ward.example/", "*")
    assert config["WARDTRACK_ENV"] == "testing"


def test_a_secret_of_digits_stays_a_string(monkeypatch):
    mapping = {key: value for key, value in BASE.items() if key != "SECRET_KEY"}
    assert _app(monkeypatch, mapping, SECRET_KEY="0123456789").config["SECRET_KEY"] == "0123456789"


def test_an_empty_variable_sets_nothing(monkeypatch):
    config = _app(monkeypatch, SCHEDULER="", DIGEST_HOUR="").config
    assert (config["SCHEDULER"], config["DIGEST_HOUR"]) == ("off", 7)


def test_numbers_and_truth_values_take_their_defaults_type(monkeypatch):
    assert create_app(BASE).config["REMINDER_LEAD_DAYS"] == 21
    config = _app(monkeypatch, REMINDER_LEAD_DAYS="14", SESSION_COOKIE_SECURE="false").config
    assert (config["REMINDER_LEAD_DAYS"], config["SESSION_COOKIE_SECURE"]) == (14, False)
    with pytest.raises(ConfigError, match="WARDTRACK_LOGIN_MAX_FAILURES must be a whole number"):
        _app(monkeypatch, LOGIN_MAX_FAILURES="five")
    monkeypatch.delenv("WARDTRACK_LOGIN_MAX_FAILURES")
    with pytest.raises(ConfigError, match="WARDTRACK_SESSION_COOKIE_SECURE must be true or false"):
        _app(monkeypatch, SESSION_COOKIE_SECURE="no")


def test_the_lists_have_their_own_syntax(monkeypatch):
    config = _app(monkeypatch, EMERGENCY_NUMBERS="112=Emergency;116 117=Doctor",
                  PUSH_SERVICE_HOSTS="A.example").config
    assert config["EMERGENCY_NUMBERS"] == (("112", "Emergency"), ("116 117", "Doctor"))
    assert config["PUSH_SERVICE_HOSTS"] == ("a.example",)
    with pytest.raises(ConfigError, match="WARDTRACK_EMERGENCY_NUMBERS"):
        _app(monkeypatch, EMERGENCY_NUMBERS="112")


def test_the_test_mapping_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("WARDTRACK_DIGEST_HOUR", "6")
    assert create_app({**BASE, "DIGEST_HOUR": 9}).config["DIGEST_HOUR"] == 9
