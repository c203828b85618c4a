"""/healthz and /readyz: a missing or broken key or database is a 503, never a 500."""

import base64

import pytest

from wardtrack import create_app
from wardtrack.config import ConfigError
from wardtrack.extensions import db
from wardtrack.notifications import jobs, scheduler


@pytest.fixture
def other_app(app):
    """other_app(**settings) -> a second app on the test database with some settings changed."""
    made = []

    def _make(**changes):
        settings = {key: app.config[key] for key in
                    ("TESTING", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "CRYPTO_KEYS", "CRYPTO_KEYS_FILE")}
        made.append(create_app({**settings, **changes}))
        return made[-1]

    yield _make
    for other in made:
        with other.app_context():
            db.engine.dispose()


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_when_all_is_well(app, client):
    for name in scheduler.INTERVALS:  # the scheduler has run every job lately
        jobs.run(app, name)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {
        "database": "ok", "crypto_keys": "ok", "crisis_plan_keys": "ok", "scheduler": "ok"}}


def _readyz(app):
    response = app.test_client().get("/readyz")
    assert response.status_code == 503, response.get_data(as_text=True)
    return response.get_json()["checks"]


KEY = base64.b64encode(bytes(32)).decode()


@pytest.mark.parametrize("keys", [
    "garbage", "k1:not-base64!", f"k1:{KEY[:20]}", f"k1:{KEY},k1:{KEY}", "# only a comment", KEY,
], ids=["garbage", "not-base64", "short", "repeated", "comment", "no-id"])
def test_readyz_is_503_when_the_crypto_keys_are_broken(other_app, keys, caplog):
    assert _readyz(other_app(CRYPTO_KEYS=keys)) == {"database": "ok", "crypto_keys": "unusable"}
    assert KEY not in caplog.text  # a key pasted without its id is not written to the log


@pytest.mark.parametrize("content", [None, b"", b"\xff\xfe\x00binary", b"k1:AAAA\n"],
                         ids=["missing", "empty", "binary", "short"])
def test_readyz_is_503_when_the_keys_file_is_missing_or_broken(other_app, tmp_path, content):
    path = tmp_path / "keys"
    if content is not None:
        path.write_bytes(content)
    assert _readyz(other_app(CRYPTO_KEYS=None, CRYPTO_KEYS_FILE=str(path)))["crypto_keys"] == "unusable"


def test_keys_file_is_read(other_app, tmp_path):
    path = tmp_path / "keys"
    path.write_text(f"# newest first\nk2:{KEY}\n")
    assert other_app(CRYPTO_KEYS=None, CRYPTO_KEYS_FILE=str(path)).test_client().get("/readyz").status_code == 200


@pytest.mark.parametrize("url", ["postgresql+psycopg://postgres@127.0.0.1:1/none",
                                 "sqlite:////nonexistent-directory/wardtrack.sqlite3"])
def test_readyz_is_503_when_the_database_is_unreachable(other_app, url):
    assert _readyz(other_app(SQLALCHEMY_DATABASE_URI=url)) == {"database": "unavailable", "crypto_keys": "ok"}


def test_production_refuses_to_start_without_keys(app):
    settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "WARDTRACK_ENV": "production",
                "SECRET_KEY": "s", "CRYPTO_KEYS": None, "CRYPTO_KEYS_FILE": None}
    with pytest.raises(ConfigError, match="CRYPTO_KEYS"):
        create_app(settings)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({**settings, "SECRET_KEY": None, "CRYPTO_KEYS": "k1:x"})


def test_unusable_keys_are_logged_at_start_and_refused_in_production(caplog):
    broken = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "CRYPTO_KEYS": "k1:bm90LWEta2V5"}
    create_app(broken)
    assert "crypto keys unusable" in caplog.text
    with pytest.raises(ConfigError, match="crypto keys unusable"):
        create_app({**broken, "WARDTRACK_ENV": "production"})
