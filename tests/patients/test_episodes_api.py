"""POST /patients/{id}/episodes and PATCH /episodes/{id}."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.patients.helpers import audit_count, iso, parse_z, problem
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.patients.models import Episode


def episodes_of(patient) -> list[Episode]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Episode).where(Episode.patient_id == patient.id).order_by(Episode.id)))


def body(ward, **overrides) -> dict:
    values = {"ward_id": ward.id, "kind": "outpatient", "started_at": iso(utcnow() - timedelta(days=1)),
              "legal_status": "voluntary"}
    return {**values, **overrides}


def test_admit_a_new_patient(ward_setup, make):
    patient, ward_a = make.patient("New", "N-1"), ward_setup.ward_a
    api = ward_setup.login(ward_setup.leader)
    started = "2026-01-05T10:15:00+01:00"
    response = api.post(f"/api/v1/patients/{patient.id}/episodes",
                        json=body(ward_a, kind="inpatient", started_at=started, legal_status="involuntary"))
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["started_at"] == "2026-01-05T09:15:00Z"
    assert (created["patient_id"], created["ward_id"], created["kind"], created["legal_status"]) == (
        patient.id, ward_a.id, "inpatient", "involuntary")
    assert created["ended_at"] is None
    [stored] = episodes_of(patient)
    assert stored.id == created["id"] and stored.started_at == parse_z(created["started_at"])
    assert audit_count("episode.create", patient.id) == 1
    # admitting brings the patient within the ward's reach
    assert ward_setup.login(ward_setup.nurse).get(f"/api/v1/patients/{patient.id}").status_code == 200


def test_a_closed_episode_in_the_past(ward_setup, make):
    patient = make.patient("New", "N-1")
    api = ward_setup.login(ward_setup.admin)
    response = api.post(f"/api/v1/patients/{patient.id}/episodes", json=body(
        ward_setup.ward_b, started_at=iso(utcnow() - timedelta(days=20)),
        ended_at=iso(utcnow() - timedelta(days=5))))
    assert response.status_code == 201
    parse_z(response.get_json()["ended_at"])


@pytest.mark.parametrize("field, value", [
    ("started_at", "2026-01-05T10:15:00"),
    ("started_at", "2026-02-30T10:00:00+01:00"),
    ("started_at", "yesterday"),
    ("started_at", "1999-12-31T10:00:00Z"),
    ("kind", "daycare"),
    ("legal_status", "unknown"),
    ("ward_id", "1"),
    ("ward_id", 0),
    ("ended_at", "2026-01-05T10:15:00"),
])
def test_invalid_episode_fields_are_422(ward_setup, field, value):
    api = ward_setup.login(ward_setup.leader)
    patient = ward_setup.patient_a
    problem(api.post(f"/api/v1/patients/{patient.id}/episodes", json=body(ward_setup.ward_a, **{field: value})),
            422, field)
    assert len(episodes_of(patient)) == 1


def test_episode_rules_are_422(ward_setup):
    api, ward_a = ward_setup.login(ward_setup.leader), ward_setup.ward_a
    url = f"/api/v1/patients/{ward_setup.patient_a.id}/episodes"
    now = utcnow()
    problem(api.post(url, json=body(ward_a, started_at=iso(now - timedelta(days=2)),
                                    ended_at=iso(now - timedelta(days=3)))), 422, "ended_at")
    problem(api.post(url, json=body(ward_a, started_at=iso(now - timedelta(days=2)),
                                    ended_at=iso(now - timedelta(days=2)))), 422, "ended_at")
    problem(api.post(url, json=body(ward_a, started_at=iso(now + timedelta(hours=1)))), 422, "started_at")
    problem(api.post(url, json=body(ward_a, ended_at=iso(now + timedelta(days=1)))), 422, "ended_at")
    problem(api.post(url, json=body(ward_a, ward_id=999999)), 422, "ward_id")
    problem(api.post(url, json=body(ward_a, note="x")), 422, "note")
    problem(api.post(url, json={"ward_id": ward_a.id}), 422, "started_at")
    assert len(episodes_of(ward_setup.patient_a)) == 1


def test_overlapping_inpatient_episodes_are_409(ward_setup, make):
    patient, ward_a = make.patient("New", "N-1"), ward_setup.ward_a
    make.episode(patient, ward_a, started=timedelta(days=30), ended=timedelta(days=20))
    api = ward_setup.login(ward_setup.leader)
    url = f"/api/v1/patients/{patient.id}/episodes"
    now = utcnow()
    problem(api.post(url, json=body(ward_a, kind="inpatient", started_at=iso(now - timedelta(days=25)))), 409)
    problem(api.post(url, json=body(ward_a, kind="inpatient", started_at=iso(now - timedelta(days=40)),
                                    ended_at=iso(now - timedelta(days=29)))), 409)
    # touching the previous stay, and an enrolment during it, are fine
    assert api.post(url, json=body(ward_a, kind="outpatient", started_at=iso(now - timedelta(days=25)))
                    ).status_code == 201
    assert api.post(url, json=body(ward_a, kind="inpatient", started_at=iso(now - timedelta(days=20)))
                    ).status_code == 201
    problem(api.post(url, json=body(ward_a, kind="inpatient", started_at=iso(now - timedelta(days=1)))), 409)
    assert len(episodes_of(patient)) == 3


def test_episode_access(ward_setup, make):
    login, patient = ward_setup.login, ward_setup.patient_b
    url = f"/api/v1/patients/{patient.id}/episodes"
    problem(login(ward_setup.nurse).post(url, json=body(ward_setup.ward_a)), 403)
    # patient B is outside the leader's reach: only onto their own ward, and with a reason (as for an unknown id)
    leader = login(ward_setup.leader)
    problem(leader.post(url, json=body(ward_setup.ward_b)), 403)
    problem(leader.post(url, json=body(ward_setup.ward_a)), 422, "reason")
    problem(leader.post("/api/v1/patients/999999/episodes", json=body(ward_setup.ward_a)), 422, "reason")
    problem(leader.post("/api/v1/patients/999999/episodes",
                        json=body(ward_setup.ward_a, reason="Transferred to us tonight.")), 404)
    own = make.user("pat", "patient", patient=patient)
    problem(login(own).post(url, json=body(ward_setup.ward_b)), 403)
    assert len(episodes_of(patient)) == 1


def test_discharge(ward_setup):
    patient = ward_setup.patient_a
    [episode] = episodes_of(patient)
    api = ward_setup.login(ward_setup.leader)
    response = api.patch(f"/api/v1/episodes/{episode.id}", json={"ended_at": "2099-01-01T00:00:00+00:00"})
    problem(response, 422, "ended_at")
    ended = utcnow().replace(microsecond=0) - timedelta(hours=2)
    response = api.patch(f"/api/v1/episodes/{episode.id}", json={"ended_at": iso(ended)})
    assert response.status_code == 200, response.get_json()
    assert parse_z(response.get_json()["ended_at"]) == ended
    assert episodes_of(patient)[0].ended_at == ended
    assert audit_count("episode.end", patient.id) == 1
    listed = api.get(f"/api/v1/wards/{ward_setup.ward_a.id}/patients").get_json()["items"]
    assert listed == []


def test_discharge_errors(ward_setup, make):
    login = ward_setup.login
    [episode_a] = episodes_of(ward_setup.patient_a)
    [episode_b] = episodes_of(ward_setup.patient_b)
    leader = login(ward_setup.leader)
    before = iso(episode_a.started_at - timedelta(minutes=1))
    problem(leader.patch(f"/api/v1/episodes/{episode_a.id}", json={"ended_at": before}), 422, "ended_at")
    problem(leader.patch(f"/api/v1/episodes/{episode_a.id}", json={"ended_at": iso(episode_a.started_at)}), 422,
            "ended_at")
    problem(leader.patch(f"/api/v1/episodes/{episode_a.id}", json={"ended_at": "2026-01-01T00:00:00"}), 422,
            "ended_at")
    problem(leader.patch(f"/api/v1/episodes/{episode_a.id}", json={}), 422, "ended_at")
    problem(leader.patch(f"/api/v1/episodes/{episode_b.id}", json={"ended_at": iso(utcnow())}), 404)
    problem(leader.patch("/api/v1/episodes/999999", json={"ended_at": iso(utcnow())}), 404)
    problem(login(ward_setup.nurse).patch(f"/api/v1/episodes/{episode_a.id}", json={"ended_at": iso(utcnow())}),
            403)
    assert episodes_of(ward_setup.patient_a)[0].ended_at is None


def test_moving_an_end_into_a_later_stay_is_409(ward_setup, make):
    patient, ward_a = make.patient("New", "N-1"), ward_setup.ward_a
    first = make.episode(patient, ward_a, started=timedelta(days=30), ended=timedelta(days=20))
    make.episode(patient, ward_a, started=timedelta(days=10))
    api = ward_setup.login(ward_setup.leader)
    problem(api.patch(f"/api/v1/episodes/{first.id}", json={"ended_at": iso(utcnow() - timedelta(days=5))}), 409)
    assert api.patch(f"/api/v1/episodes/{first.id}", json={"ended_at": iso(utcnow() - timedelta(days=15))}
                     ).status_code == 200


def test_timestamp_beyond_the_calendar_is_422(ward_setup):
    api = ward_setup.login(ward_setup.leader)
    url = f"/api/v1/patients/{ward_setup.patient_a.id}/episodes"
    problem(api.post(url, json=body(ward_setup.ward_a, started_at="0001-01-01T00:00:00+14:00")), 422,
            "started_at")
