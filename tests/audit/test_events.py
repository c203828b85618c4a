"""Every write leaves an audit event: who, in which role, what, which patient, which request; nothing clinical."""

from datetime import timedelta

from tests.core.problems import assert_problem
from tests.support import Factories
from wardtrack.core.errors import Conflict
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.organisation import operations


def _last(events):
    return events()[-1]


def _check(response, events, action, user, patient_id=None):
    assert response.status_code < 300, response.get_data(as_text=True)
    event = _last(events)
    assert event["action"] == action
    assert (event["actor_user_id"], event["actor_role"]) == (user.id, user.role)
    assert event["patient_id"] == patient_id
    assert event["request_id"] == response.headers["X-Request-ID"]
    assert len(event["hash"]) == 64
    return event


def test_each_write_is_recorded(ward_setup, login, events):
    admin, leader = login(ward_setup.admin), login(ward_setup.leader)
    assert _last(events)["action"] == "auth.login"
    ward = admin.post("/api/v1/wards", json={"name": "Ward C", "setting": "forensic_unit"})
    _check(ward, events, "ward.create", ward_setup.admin)
    assert _last(events)["object_id"] == str(ward.get_json()["id"])
    body = {"name": "Lena Locum", "profession": "doctor", "ward_ids": [ward_setup.ward_a.id]}
    _check(leader.post("/api/v1/professionals", json=body), events, "professional.create", ward_setup.leader)
    user = admin.post("/api/v1/users", json={"username": "nora", "password": "a-long-password", "role": "nurse"})
    _check(user, events, "user.create", ward_setup.admin)
    update = admin.patch(f"/api/v1/users/{user.get_json()['id']}", json={"role": "team_leader"})
    _check(update, events, "user.update", ward_setup.admin)
    patient = leader.post("/api/v1/patients", json={"display_name": "Ingrid Example", "identifier": "IE-77"})
    patient_id = patient.get_json()["id"]
    _check(patient, events, "patient.create", ward_setup.leader, patient_id)
    episode = leader.post(f"/api/v1/patients/{patient_id}/episodes", json={
        "ward_id": ward_setup.ward_a.id, "kind": "inpatient", "legal_status": "voluntary",
        "started_at": (utcnow() - timedelta(hours=1)).isoformat()})
    _check(episode, events, "episode.create", ward_setup.leader, patient_id)
    _check(leader.post("/api/v1/auth/logout"), events, "auth.logout", ward_setup.leader)


def test_login_is_recorded_as_the_user_who_logged_in(ward_setup, client, events):
    response = client.post("/api/v1/auth/login", json={"username": "nina", "password": Factories.PASSWORD})
    _check(response, events, "auth.login", ward_setup.nurse)


def test_reading_a_patient_is_recorded(ward_setup, login, events):
    nurse = login(ward_setup.nurse)
    patient_id = ward_setup.patient_a.id
    _check(nurse.get(f"/api/v1/patients/{patient_id}"), events, "patient.read", ward_setup.nurse, patient_id)


def test_events_hold_no_clinical_or_secret_content(ward_setup, login, events):
    leader = login(ward_setup.leader)
    secrets = ["Ingrid Example", "IE-77", "Lena Locum", "+47 99 88 77 66", Factories.PASSWORD, leader.csrf_token]
    patient = leader.post("/api/v1/patients", json={"display_name": secrets[0], "identifier": secrets[1]})
    leader.get(f"/api/v1/patients/{patient.get_json()['id']}")
    leader.post("/api/v1/professionals", json={"name": secrets[2], "profession": "doctor",
                                               "ward_ids": [ward_setup.ward_a.id], "work_phone": secrets[3]})
    stored = " ".join(str(value) for event in events() for value in event.values())
    for secret in secrets:
        assert secret not in stored


def test_a_request_id_sent_by_the_client_is_used_and_echoed(ward_setup, login, events):
    admin = login(ward_setup.admin)
    body = {"name": "Ward C", "setting": "acute_ward"}
    response = admin.post("/api/v1/wards", json=body, headers={"X-Request-ID": "proxy-1234abcd"})
    assert response.headers["X-Request-ID"] == "proxy-1234abcd"
    assert _last(events)["request_id"] == "proxy-1234abcd"
    body["name"] = "Ward D"
    response = admin.post("/api/v1/wards", json=body, headers={"X-Request-ID": "bad id; DROP TABLE"})
    assert response.headers["X-Request-ID"] != "bad id; DROP TABLE"
    assert _last(events)["request_id"] == response.headers["X-Request-ID"]


def test_reads_of_organisation_data_are_not_events(ward_setup, login, events):
    nurse = login(ward_setup.nurse)
    before = len(events())
    nurse.get("/api/v1/wards")
    nurse.get("/api/v1/professionals")
    nurse.get("/api/v1/me")
    assert len(events()) == before


def _register_ward_route(app):
    def make_ward():
        from flask import request

        operations.create_ward("Ward Q", "acute_ward", "Europe/Oslo")
        if request.args.get("fail") == "conflict":
            raise Conflict("Changed my mind.")
        if request.args.get("fail") == "crash":
            raise RuntimeError("boom")
        db.session.commit()
        return {"ok": True}, 201

    app.add_url_rule("/api/v1/test/ward", "test_ward", make_ward, methods=["POST"])


def test_a_change_and_its_event_land_together_or_not_at_all(app, client, events):
    _register_ward_route(app)
    assert_problem(client.post("/api/v1/test/ward?fail=conflict"), 409)
    assert_problem(client.post("/api/v1/test/ward?fail=crash"), 500)
    assert events() == []
    assert client.get("/healthz").status_code == 200
    assert client.post("/api/v1/test/ward").status_code == 201
    [event] = events()
    assert (event["action"], event["actor_role"], event["actor_user_id"]) == ("ward.create", "system", None)


def test_failed_requests_leave_no_event(ward_setup, make, login, client, events):
    other = make.professional("Otto Other", "nurse", [ward_setup.ward_a])
    make.user("otto", "nurse", professional=other)
    admin = login(ward_setup.admin)
    before = events()
    assert_problem(admin.patch(f"/api/v1/users/{ward_setup.leader.id}",
                               json={"role": "admin", "professional_id": other.id}), 409)
    assert_problem(admin.post("/api/v1/wards", json={"name": "Ward A", "setting": "acute_ward"}), 409)
    assert_problem(client.post("/api/v1/auth/login", json={"username": "nina", "password": "wrong-one!"}), 401)
    assert events() == before
