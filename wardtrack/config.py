"""Settings: defaults, then the WARDTRACK_* environment, then the test mapping."""

import json
import logging
import secrets
from pathlib import Path

from flask import Config

from wardtrack.core.crypto import KeyringError, generate_key_line, load_keyring
from wardtrack.core.files import write_private

log = logging.getLogger(__name__)


class ConfigError(RuntimeError):
    """A setting needed to start is missing or unusable."""


DEFAULTS = {
    "WARDTRACK_ENV": "development",
    "SESSION_COOKIE_NAME": "wardtrack_session",
    "SESSION_COOKIE_SECURE": True,
    "SESSION_IDLE_MINUTES": 8 * 60,
    "SESSION_MAX_HOURS": 14,
    "CONTACT_CLOCK_SKEW_SECONDS": 300,
    "REACH_AFTER_DISCHARGE_DAYS": 30,
    "EMERGENCY_ACCESS_HOURS": 3,
    # The numbers every patient page shows, also offline: (number, label); a label of the defaults
    # is translated. WARDTRACK_EMERGENCY_NUMBERS="113=Medical emergency;116 117=Out-of-hours doctor"
    # sets others.
    "EMERGENCY_NUMBERS": (("113", "Medical emergency"), ("116 117", "Out-of-hours doctor")),
    # Login throttling (wardtrack.auth.throttle): attempts allowed before each further one waits a
    # growing delay (LOGIN_DELAY_SECONDS, doubling, at most LOGIN_MAX_DELAY_SECONDS), per account
    # from one address, per address and per account (not for addresses the account logged in from
    # lately); a counter is forgotten LOGIN_FORGET_SECONDS after its last attempt. Passwords hashed
    # at once per worker process.
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_ADDRESS_MAX_FAILURES": 20,
    "LOGIN_ACCOUNT_MAX_FAILURES": 50,
    "LOGIN_DELAY_SECONDS": 1,
    "LOGIN_MAX_DELAY_SECONDS": 900,
    "LOGIN_FORGET_SECONDS": 3600,
    "LOGIN_KNOWN_ADDRESS_DAYS": 30,
    "LOGIN_HASH_CONCURRENCY": 2,
    # Reverse proxies whose X-Forwarded-For gives the client's address (as gunicorn's
    # forwarded_allow_ips; comma-separated addresses, "*" for any).
    "FORWARDED_ALLOW_IPS": "127.0.0.1,::1",
    "REDIS_KEY_PREFIX": "wardtrack:",
    "API_TITLE": "wardtrack",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/api/v1/docs/assets/",
    "JSON_SORT_KEYS": False,
    # The largest request body (a 500-contact batch is about 110 KB); a larger one is refused with
    # 413 unread.
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    # A pooled PostgreSQL connection idle this long is pinged before use (core/db.py
    # ping_when_idle).
    "DATABASE_PING_IDLE_SECONDS": 10,
    # Scheduling and notifications (wardtrack.notifications.scheduler / delivery)
    "SCHEDULER": "off",  # off | inprocess (dev server only); production runs `flask scheduler run`
    "SCHEDULER_SWEEP_SECONDS": 900,
    "SCHEDULER_FLAGS_SECONDS": 3600,
    "SCHEDULER_DELIVERY_SECONDS": 60,
    "SCHEDULER_DIGEST_SECONDS": 300,
    "SCHEDULER_LOCK_CHECK_SECONDS": 30,
    # Signed checkpoints of the audit chain (wardtrack.audit.checkpoints; docs/audit.md): looked at
    # every minute, written when the chain moved on, and at least hourly when it did not.
    "SCHEDULER_CHECKPOINT_SECONDS": 60,
    "AUDIT_CHECKPOINT_IDLE_SECONDS": 3600,
    "DIGEST_HOUR": 7,
    "CRISIS_PLAN_REVIEW_DAYS": 182,
    # A maintenance reminder falls due this long before its plan's interval runs out (at most a
    # third of the interval; wardtrack.reminders.sweep.lead_time).
    "REMINDER_LEAD_DAYS": 21,
    # A key person or the life and care check-in is asked for again this long after the last one.
    "DELIVERY_MAX_ATTEMPTS": 6,
    "DELIVERY_BACKOFF_SECONDS": 60,
    "DELIVERY_BATCH": 50,
    "MAIL_FROM": "wardtrack <wardtrack@localhost>",
    "BASE_URL": "http://127.0.0.1:5000",
    "VAPID_SUBJECT": "mailto:wardtrack@localhost",
    # The push services browsers use (a host or any host under it). The server POSTs to subscription
    # endpoints that phones send it, so only these hosts, never an address inside the hospital's
    # network.
    "PUSH_SERVICE_HOSTS": ("fcm.googleapis.com", "push.services.mozilla.com", "push.apple.com",
                           "notify.windows.com"),
    # Tests only: the one "host:port" (e.g. a local push service on 127.0.0.1) that push may reach
    # although its address is loopback or private. Every other such address is refused in every
    # mode.
    "PUSH_ALLOW_HOST": None,
    # Client addresses /metrics answers (core/metrics.py), and only when not sent on by the proxy.
    "METRICS_ALLOW": ("127.0.0.1", "::1"),
}

#: Settings without a default that are text whatever they look like: JSON would make a number of a
#: secret of digits, or None of a role named "null".
TEXT = frozenset({
    "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "CRYPTO_KEYS", "CRYPTO_KEYS_FILE", "SMTP_URL",
    "VAPID_PRIVATE_KEY", "AUDIT_SIGNING_KEY", "AUDIT_SIGNING_KEY_FILE", "AUDIT_PUBLIC_KEY",
    "AUDIT_CHECKPOINT_FILE", "AUDIT_SYSLOG", "DATABASE_APP_ROLE", "REDIS_URL", "LOG_FORMAT",
})

#: WARDTRACK_<NAME> sets NAME, but for these two: the environment keeps its prefix, the URL is
#: Flask-SQLAlchemy's.
RENAMED = {"ENV": "WARDTRACK_ENV", "DATABASE_URL": "SQLALCHEMY_DATABASE_URI"}


def load(app, test_config=None):
    """Fill app.config in order: defaults, environment, test mapping; then settle keys."""
    app.config.from_mapping(DEFAULTS)
    _from_environment(app.config)
    if test_config:
        app.config.from_mapping(test_config)
    instance = Path(app.instance_path)
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", f"sqlite:///{instance / 'wardtrack.sqlite3'}")
    app.config.setdefault("AUDIT_CHECKPOINT_FILE", str(instance / "audit-checkpoints.jsonl"))
    # Statement parameters carry patient data: keep them out of database error messages and
    # tracebacks.
    engine = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    engine.setdefault("hide_parameters", True)
    production = app.config["WARDTRACK_ENV"] == "production"
    # JSON lines in production, plain text in development (core/logs.py)
    app.config.setdefault("LOG_FORMAT", "json" if production else "text")
    if app.config["LOG_FORMAT"] not in ("json", "text"):
        raise ConfigError("WARDTRACK_LOG_FORMAT must be json or text")
    if not app.config.get("SECRET_KEY"):
        if production:
            raise ConfigError("WARDTRACK_SECRET_KEY is required in production")
        app.config["SECRET_KEY"] = _development_secret(instance / "secret_key", "secret key")
    if not app.config.get("CRYPTO_KEYS") and not app.config.get("CRYPTO_KEYS_FILE"):
        if production:
            raise ConfigError(
                "WARDTRACK_CRYPTO_KEYS or WARDTRACK_CRYPTO_KEYS_FILE is required in production"
            )
        path = instance / "crypto_keys"
        if not path.exists():
            write_private(path, generate_key_line() + "\n")
            log.warning("development crypto key created at %s; never use it in production", path)
        app.config["CRYPTO_KEYS_FILE"] = str(path)
    _check_keys(app.config, production)
    _check_notifications(app.config, production)


def _from_environment(config: Config) -> None:
    """Every WARDTRACK_* variable, read by Flask's from_prefixed_env, as the type of its setting's
    default (_parse); an empty variable sets nothing."""
    found = Config(config.root_path)
    found.from_prefixed_env("WARDTRACK", loads=_text)
    for name, value in found.items():
        if value != "":
            key = RENAMED.get(name, name)
            config[key] = _parse(f"WARDTRACK_{name}", value, key, config.get(key))


def _text(value: str) -> str:
    # from_prefixed_env would parse JSON; _parse decides per setting instead, from the variable's
    # own text.
    return value


def _parse(env_name: str, value, key: str, default):
    """A variable's text as its setting wants it: the lists by their own syntax, text as it is (a
    string default, or TEXT), a whole number or true/false for a setting whose default is one, and
    anything else as from_prefixed_env would (JSON, else text). Nested names (A__B) keep their
    text."""
    if not isinstance(value, str) or key in TEXT or isinstance(default, str):
        return value
    if key in _LISTS:
        return _LISTS[key](value)
    if isinstance(default, bool):
        if value not in ("true", "false"):
            raise ConfigError(f"{env_name} must be true or false")
        return value == "true"
    if isinstance(default, int):
        try:
            return int(value)
        except ValueError:
            raise ConfigError(f"{env_name} must be a whole number") from None
    try:
        return json.loads(value)
    except ValueError:
        return value


def _push_service_hosts(text: str) -> tuple[str, ...]:
    """ " Push.Example, ,fcm.googleapis.com" → ("push.example", "fcm.googleapis.com")."""
    return tuple(host.strip().lower() for host in text.split(",") if host.strip())


def _emergency_numbers(text: str) -> tuple[tuple[str, str], ...]:
    """ "113=Emergency;116 117=Out-of-hours doctor" →
    (("113", "Emergency"), ("116 117", "Out-of-hours doctor"))."""
    numbers = tuple(
        tuple(part.strip() for part in item.split("=", 1))
        for item in text.split(";")
        if item.strip()
    )
    if not numbers or any(len(pair) != 2 or not all(pair) for pair in numbers):
        raise ConfigError("WARDTRACK_EMERGENCY_NUMBERS must be NUMBER=LABEL pairs separated by ';'")
    return numbers


_LISTS = {"PUSH_SERVICE_HOSTS": _push_service_hosts, "EMERGENCY_NUMBERS": _emergency_numbers}


def _check_keys(config, production: bool) -> None:
    """Unusable keys are a clear error at start: fatal in production, logged (and /readyz 503)
    otherwise."""
    try:
        load_keyring(config).self_test()
    except KeyringError as error:
        if production:
            raise ConfigError(f"crypto keys unusable: {error}") from None
        log.error("crypto keys unusable: %s; /readyz answers 503 until they are fixed", error)


def _check_notifications(config, production: bool) -> None:
    """An SMTP URL of an unknown kind or an unreadable VAPID key is refused at start, not at the
    first send."""
    from urllib.parse import urlsplit

    from py_vapid import Vapid02

    if (
        config.get("SMTP_URL")
        and urlsplit(config["SMTP_URL"]).scheme not in ("smtp", "smtps", "smtp+starttls")
    ):
        raise ConfigError(
            "WARDTRACK_SMTP_URL must start with smtp://, smtps:// or smtp+starttls://"
        )
    if config.get("VAPID_PRIVATE_KEY"):
        try:
            Vapid02.from_string(config["VAPID_PRIVATE_KEY"])
        except Exception:  # noqa: BLE001 — py_vapid raises several kinds for a bad key
            raise ConfigError(
                "WARDTRACK_VAPID_PRIVATE_KEY is not a usable VAPID private key"
            ) from None
    elif production:
        log.warning("WARDTRACK_VAPID_PRIVATE_KEY is not set: web push is off")


def _development_secret(path: Path, what: str) -> str:
    if not path.exists():
        write_private(path, secrets.token_urlsafe(48))
        log.warning(
            "development %s created at %s; set WARDTRACK_SECRET_KEY in production", what, path
        )
    return path.read_text().strip()

