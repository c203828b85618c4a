"""E-mail addresses of accounts through the users API: set on creation, changed or cleared by PATCH, validated
(422 naming `email`), staff only, and never in what a user sees of themselves."""

import pytest

from tests.core.problems import assert_problem

USERS = "/api/v1/users"
PASSWORD = "a-long-enough-password"


def _body(**changes):
    return {"username": "nora", "password": PASSWORD, "role": "nurse", **changes}


def test_created_with_an_address_that_is_returned_and_stored(ward_setup, login, rows):
    admin = login(ward_setup.admin)
    response = admin.post(USERS, json=_body(email="nora@ward.example"))
    assert response.status_code == 201
    user = response.get_json()
    assert user["email"] == "nora@ward.example"
    [row] = rows("SELECT email FROM users WHERE id = :id", id=user["id"])
    assert row["email"] == "nora@ward.example"
    assert admin.get(f"{USERS}/{user['id']}").get_json()["email"] == "nora@ward.example"
    assert {"nora@ward.example"} <= {u["email"] for u in admin.get(USERS).get_json()["items"]}


def test_the_address_is_optional(ward_setup, login):
    for body in (_body(), _body(username="nils", email=None)):
        response = login(ward_setup.admin).post(USERS, json=body)
        assert response.status_code == 201 and response.get_json()["email"] is None


@pytest.mark.parametrize("address", ["nora", "nora@", "@ward.example", "nora ward@example.org", "", 42,
                                     "n" * 243 + "@ward.example"])
def test_not_an_address_is_422_naming_email(ward_setup, login, rows, address):
    admin = login(ward_setup.admin)
    assert_problem(admin.post(USERS, json=_body(email=address)), 422, "email")
    assert rows("SELECT id FROM users WHERE username = 'nora'") == []
    assert_problem(admin.patch(f"{USERS}/{ward_setup.nurse.id}", json={"email": address}), 422, "email")


def test_the_longest_address_the_column_holds_is_taken(ward_setup, login):
    address = "n" * 64 + "@" + ".".join(["w" * 63, "w" * 63, "w" * 53, "example"])
    assert len(address) == 254
    response = login(ward_setup.admin).post(USERS, json=_body(email=address))
    assert response.status_code == 201 and response.get_json()["email"] == address


def test_patch_changes_and_clears_the_address(ward_setup, login, rows):
    admin, nurse_id = login(ward_setup.admin), ward_setup.nurse.id
    changed = admin.patch(f"{USERS}/{nurse_id}", json={"email": "nina@ward.example"})
    assert changed.status_code == 200 and changed.get_json()["email"] == "nina@ward.example"
    untouched = admin.patch(f"{USERS}/{nurse_id}", json={"disabled": False})
    assert untouched.get_json()["email"] == "nina@ward.example"
    cleared = admin.patch(f"{USERS}/{nurse_id}", json={"email": None})
    assert cleared.status_code == 200 and cleared.get_json()["email"] is None
    assert rows("SELECT email FROM users WHERE id = :id", id=nurse_id)[0]["email"] is None


def test_only_staff_accounts_have_an_address(ward_setup, login, make):
    admin = login(ward_setup.admin)
    body = _body(username="pat", role="patient", patient_id=ward_setup.patient_a.id, email="pat@home.example")
    assert_problem(admin.post(USERS, json=body), 422, "email")
    patient = make.user("pia", "patient", patient=ward_setup.patient_b)
    assert_problem(admin.patch(f"{USERS}/{patient.id}", json={"email": "pia@home.example"}), 422, "email")


def test_only_admins_set_it_and_nobody_sees_it_about_themselves(ward_setup, login):
    nurse = login(ward_setup.nurse)
    assert_problem(nurse.patch(f"{USERS}/{ward_setup.nurse.id}", json={"email": "x@ward.example"}), 403)
    login(ward_setup.admin).patch(f"{USERS}/{ward_setup.nurse.id}", json={"email": "nina@ward.example"})
    assert "email" not in nurse.get("/api/v1/me").get_json()
