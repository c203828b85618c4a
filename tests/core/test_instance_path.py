"""The instance folder (database, development keys) is a setting."""

from wardtrack import create_app


def test_the_instance_folder_follows_the_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("WARDTRACK_INSTANCE_PATH", str(tmp_path / "elsewhere"))
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret"})
    assert app.instance_path == str(tmp_path / "elsewhere")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'elsewhere' / 'wardtrack.sqlite3'}"
    assert (tmp_path / "elsewhere" / "crypto_keys").exists()
