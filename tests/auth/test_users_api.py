"""Account administration: POST/GET/PATCH /api/v1/users."""

import pytest

from tests.core.problems import assert_problem

USERS = "/api/v1/users"
PASSWORD = "a-long-enough-password"


def _body(**changes):
    return {"username": "nora", "password": PASSWORD, "role": "nurse", **changes}


def test_admin_creates_a_nurse_who_can_then_log_in(ward_setup, login, client, rows):
    admin = login(ward_setup.admin)
    response = admin.post(USERS, json=_body(ward_ids=[ward_setup.ward_a.id]))
    assert response.status_code == 201
    user = response.get_json()
    assert user["username"] == "nora" and user["role"] == "nurse" and user["disabled"] is False
    assert user["ward_ids"] == [ward_setup.ward_a.id]
    assert "password" not in user and "password_hash" not in user
    [row] = rows("SELECT password_hash FROM users WHERE id = :id", id=user["id"])
    assert row["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in row["password_hash"]
    logged_in = client.post("/api/v1/auth/login", json={"username": "nora", "password": PASSWORD})
    assert logged_in.get_json()["user"]["id"] == user["id"]


def test_admin_creates_a_patient_account(ward_setup, login):
    admin = login(ward_setup.admin)
    response = admin.post(USERS, json=_body(username="pat", role="patient", patient_id=ward_setup.patient_a.id))
    assert response.status_code == 201
    assert response.get_json()["patient_id"] == ward_setup.patient_a.id


@pytest.mark.parametrize("who", ["nurse", "leader"])
def test_only_admins_manage_accounts(ward_setup, login, who):
    api = login(getattr(ward_setup, who))
    assert_problem(api.post(USERS, json=_body()), 403)
    assert_problem(api.get(USERS), 403)
    assert_problem(api.get(f"{USERS}/{ward_setup.nurse.id}"), 403)
    assert_problem(api.patch(f"{USERS}/{ward_setup.nurse.id}", json={"role": "admin"}), 403)


def test_anonymous_is_401_before_any_validation(client):
    assert_problem(client.post(USERS, json={"nonsense": True}), 401)
    assert_problem(client.get(USERS), 401)
    assert_problem(client.patch(f"{USERS}/1", json={}), 401)


@pytest.mark.parametrize(("changes", "field"), [
    ({"username": "Nora Nurse"}, "username"),
    ({"username": "NORA"}, "username"),
    ({"username": "no"}, "username"),
    ({"password": "short"}, "password"),
    ({"role": "superuser"}, "role"),
    ({"role": "patient"}, "patient_id"),
    ({"ward_ids": [9999]}, "ward_ids"),
    ({"ward_ids": ["1"]}, "ward_ids"),
    ({"professional_id": 9999}, "professional_id"),
    ({"nickname": "n"}, "nickname"),
])
def test_create_validation_names_the_field(ward_setup, login, changes, field):
    assert_problem(login(ward_setup.admin).post(USERS, json=_body(**changes)), 422, field)


def test_patient_account_may_not_have_wards(ward_setup, login):
    body = _body(role="patient", patient_id=ward_setup.patient_a.id, ward_ids=[ward_setup.ward_a.id])
    assert_problem(login(ward_setup.admin).post(USERS, json=body), 422, "ward_ids")


def test_duplicates_are_409(ward_setup, login):
    admin = login(ward_setup.admin)
    assert_problem(admin.post(USERS, json=_body(username="nina")), 409)
    assert_problem(admin.post(USERS, json=_body(professional_id=ward_setup.nurse_professional.id)), 409)
    assert admin.post(USERS, json=_body(username="pat", role="patient", patient_id=ward_setup.patient_a.id)
                      ).status_code == 201
    assert_problem(admin.post(USERS, json=_body(username="pat2", role="patient",
                                                patient_id=ward_setup.patient_a.id)), 409)


def test_list_and_get_users(ward_setup, login):
    admin = login(ward_setup.admin)
    seen, cursor = [], None
    while True:
        page = admin.get(USERS, query_string={"limit": 1, **({"cursor": cursor} if cursor else {})}).get_json()
        assert len(page["items"]) <= 1
        seen += [user["username"] for user in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == ["nina", "tom", "olga", "ada"]
    one = admin.get(f"{USERS}/{ward_setup.leader.id}")
    assert one.status_code == 200 and one.get_json()["role"] == "team_leader"
    assert_problem(admin.get(f"{USERS}/9999"), 404)
    assert_problem(admin.patch(f"{USERS}/9999", json={"disabled": True}), 404)


def test_disabling_revokes_sessions_and_bearer_tokens(ward_setup, login, bearer):
    session, token = login(ward_setup.nurse), bearer(ward_setup.nurse)
    assert session.get("/api/v1/me").status_code == 200 and token.get("/api/v1/me").status_code == 200
    response = login(ward_setup.admin).patch(f"{USERS}/{ward_setup.nurse.id}", json={"disabled": True})
    assert response.status_code == 200 and response.get_json()["disabled"] is True
    assert_problem(session.get("/api/v1/me"), 401)
    assert_problem(token.get("/api/v1/me"), 401)


def test_reenabled_user_logs_in_afresh_but_old_sessions_stay_dead(ward_setup, login):
    old = login(ward_setup.nurse)
    admin = login(ward_setup.admin)
    admin.patch(f"{USERS}/{ward_setup.nurse.id}", json={"disabled": True})
    assert admin.patch(f"{USERS}/{ward_setup.nurse.id}", json={"disabled": False}).get_json()["disabled"] is False
    assert_problem(old.get("/api/v1/me"), 401)
    assert login(ward_setup.nurse).get("/api/v1/me").status_code == 200


def test_password_change_revokes_sessions(ward_setup, login, client):
    session = login(ward_setup.nurse)
    admin = login(ward_setup.admin)
    assert admin.patch(f"{USERS}/{ward_setup.nurse.id}", json={"password": PASSWORD}).status_code == 200
    assert_problem(session.get("/api/v1/me"), 401)
    assert client.post("/api/v1/auth/login", json={"username": "nina", "password": PASSWORD}).status_code == 200


@pytest.mark.parametrize("credential", ["login", "bearer"])
def test_role_change_takes_effect_on_the_next_request(ward_setup, request, credential, login):
    nurse = request.getfixturevalue(credential)(ward_setup.nurse)
    patient = {"display_name": "New Patient", "identifier": "NP-1"}
    assert_problem(nurse.post("/api/v1/patients", json=patient), 403)
    response = login(ward_setup.admin).patch(f"{USERS}/{ward_setup.nurse.id}", json={"role": "team_leader"})
    assert response.get_json()["role"] == "team_leader"
    assert nurse.get("/api/v1/me").get_json()["role"] == "team_leader"
    assert nurse.post("/api/v1/patients", json=patient).status_code == 201


def test_ward_change_moves_reach(ward_setup, login):
    nurse = login(ward_setup.nurse)
    patient_b = f"/api/v1/patients/{ward_setup.patient_b.id}"
    assert_problem(nurse.get(patient_b), 404)
    admin = login(ward_setup.admin)
    assert admin.patch(f"{USERS}/{ward_setup.nurse.id}", json={"ward_ids": [ward_setup.ward_b.id]}
                       ).get_json()["ward_ids"] == [ward_setup.ward_b.id]
    assert nurse.get(patient_b).status_code == 200
    assert_problem(nurse.get(f"/api/v1/patients/{ward_setup.patient_a.id}"), 404)


@pytest.mark.parametrize(("changes", "field"), [
    ({"role": "patient"}, "patient_id"),
    ({"patient_id": 1}, "patient_id"),
    ({"ward_ids": [9999]}, "ward_ids"),
    ({"role": "chief"}, "role"),
    ({"disabled": "maybe"}, "disabled"),
    ({"password": "short"}, "password"),
    ({"username": "renamed"}, "username"),
])
def test_update_validation_names_the_field(ward_setup, login, changes, field):
    response = login(ward_setup.admin).patch(f"{USERS}/{ward_setup.nurse.id}", json=changes)
    assert_problem(response, 422, field)


def test_conflicting_update_changes_nothing(ward_setup, login, make):
    other = make.professional("Otto Other", "nurse", [ward_setup.ward_a])
    make.user("otto", "nurse", wards=[ward_setup.ward_a], professional=other)
    admin = login(ward_setup.admin)
    url = f"{USERS}/{ward_setup.leader.id}"
    assert_problem(admin.patch(url, json={"role": "admin", "professional_id": other.id}), 409)
    assert admin.get(url).get_json()["role"] == "team_leader"
