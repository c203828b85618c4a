"""Notification settings are checked at start: a bad SMTP URL or VAPID key is a clear error, not a
failure at the first send; whole-number settings come from the environment."""

import pytest

from tests.conftest import TEST_KEYS
from wardtrack import create_app
from wardtrack.config import ConfigError
from wardtrack.notifications import push

BASE = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "s", "CRYPTO_KEYS": TEST_KEYS, "CRYPTO_KEYS_FILE": None}


def test_a_bad_smtp_url_or_vapid_key_is_refused_at_start():
    with pytest.raises(ConfigError, match="WARDTRACK_SMTP_URL"):
        create_app({**BASE, "SMTP_URL": "http://mail.example"})
    with pytest.raises(ConfigError, match="WARDTRACK_VAPID_PRIVATE_KEY"):
        create_app({**BASE, "VAPID_PRIVATE_KEY": "not-a-key"})
    app = create_app({**BASE, "SMTP_URL": "smtp+starttls://u:p@mail.example:587",
                      "VAPID_PRIVATE_KEY": push.generate_vapid_key()})
    assert app.config["SCHEDULER"] == "off"


def test_intervals_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WARDTRACK_SCHEDULER_SWEEP_SECONDS", "5")
    monkeypatch.setenv("WARDTRACK_DIGEST_HOUR", "6")
    app = create_app(BASE)
    assert (app.config["SCHEDULER_SWEEP_SECONDS"], app.config["DIGEST_HOUR"]) == (5, 6)
    monkeypatch.setenv("WARDTRACK_SCHEDULER_SWEEP_SECONDS", "often")
    with pytest.raises(ConfigError, match="WARDTRACK_SCHEDULER_SWEEP_SECONDS"):
        create_app(BASE)


def test_production_without_a_vapid_key_starts_without_push(caplog):
    app = create_app({**BASE, "WARDTRACK_ENV": "production"})
    assert "web push is off" in caplog.text
    with app.app_context():
        assert push.enabled() is False and push.public_key() is None


def test_push_service_hosts_come_from_the_environment(monkeypatch):
    assert "fcm.googleapis.com" in create_app(BASE).config["PUSH_SERVICE_HOSTS"]
    monkeypatch.setenv("WARDTRACK_PUSH_SERVICE_HOSTS", " Push.Hospital.example, ,fcm.googleapis.com ")
    assert create_app(BASE).config["PUSH_SERVICE_HOSTS"] == ("push.hospital.example", "fcm.googleapis.com")
