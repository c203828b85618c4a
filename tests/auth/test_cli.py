"""`flask users create` and `flask users token`, and how tokens are stored."""

import hashlib

from tests.support import ApiClient

PASSWORD = "cli-password-123"


def _create(runner, *args, password=PASSWORD):
    return runner.invoke(args=["users", "create", *args, "--password-stdin"], input=password + "\n")


def test_create_reads_the_password_from_stdin(ward_setup, runner, client, rows):
    ward_id = ward_setup.ward_a.id
    result = _create(runner, "nils", "--role", "nurse", "--ward-id", str(ward_id))
    assert result.exit_code == 0, result.output
    assert "created nurse nils" in result.output
    [row] = rows("SELECT id, role, password_hash FROM users WHERE username = 'nils'")
    assert row["role"] == "nurse" and row["password_hash"].startswith("$argon2id$")
    assert [r["ward_id"] for r in rows("SELECT ward_id FROM user_wards WHERE user_id = :id", id=row["id"])] == [ward_id]
    response = client.post("/api/v1/auth/login", json={"username": "nils", "password": PASSWORD})
    assert response.get_json()["user"]["ward_ids"] == [ward_id]


def test_create_a_patient_account(ward_setup, runner, rows):
    result = _create(runner, "pia", "--role", "patient", "--patient-id", str(ward_setup.patient_a.id))
    assert result.exit_code == 0, result.output
    assert rows("SELECT patient_id FROM users WHERE username = 'pia'")[0]["patient_id"] == ward_setup.patient_a.id


def test_create_refuses_bad_input_and_changes_nothing(ward_setup, runner, rows):
    cases = [
        (("nils", "--role", "nurse", "--ward-id", "9999"), PASSWORD, "ward_ids"),
        (("nils", "--role", "nurse"), "short", "password"),
        (("Nils Nurse", "--role", "nurse"), PASSWORD, "username"),
        (("nils", "--role", "patient"), PASSWORD, "patient_id"),
        (("nina", "--role", "nurse"), PASSWORD, "taken"),
    ]
    for args, password, expected in cases:
        result = _create(runner, *args, password=password)
        assert result.exit_code == 1, (args, result.output)
        assert expected in result.output
    assert _create(runner, "nils", "--role", "chief").exit_code == 2  # click refuses an unknown role
    assert rows("SELECT count(*) AS n FROM users")[0]["n"] == 4


def test_token_works_as_bearer_and_is_stored_only_as_its_digest(ward_setup, runner, app, rows):
    result = runner.invoke(args=["users", "token", "tom"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("wt_") and len(token) > 40
    api = ApiClient(app.test_client(), bearer=token)
    assert api.get("/api/v1/me").get_json()["username"] == "tom"
    stored = rows("SELECT * FROM api_tokens")
    assert [row["token_hash"] for row in stored] == [hashlib.sha256(token.encode()).hexdigest()]
    assert not any(token in str(value) for row in stored for value in row.values())


def test_token_for_unknown_or_disabled_user_fails(ward_setup, runner, login):
    assert runner.invoke(args=["users", "token", "nobody"]).exit_code == 1
    login(ward_setup.admin).patch(f"/api/v1/users/{ward_setup.leader.id}", json={"disabled": True})
    result = runner.invoke(args=["users", "token", "tom"])
    assert result.exit_code == 1 and "no active user" in result.output


def test_session_tokens_are_stored_only_as_digests(ward_setup, app, rows):
    client = app.test_client()
    client.post("/api/v1/auth/login", json={"username": "nina", "password": "correct-horse-battery"})
    cookie = client.get_cookie("wardtrack_session").value
    [row] = rows("SELECT token_hash FROM user_sessions")
    assert row["token_hash"] == hashlib.sha256(cookie.encode()).hexdigest()
