"""An episode's room or bed (`location`): set on admission or later, shown wherever the current episode is."""

from datetime import timedelta

import pytest

from tests.patients.helpers import audit_count, iso, problem
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.patients.models import Episode


def admission(ward, **extra) -> dict:
    return {"ward_id": ward.id, "kind": "inpatient", "started_at": iso(utcnow() - timedelta(hours=3)),
            "legal_status": "voluntary", **extra}


def test_the_room_is_kept_and_shown_with_the_current_episode(ward_setup, make):
    leader = ward_setup.login(ward_setup.leader)
    patient = make.patient("Geir Solheim", "GS-1")
    response = leader.post(f"/api/v1/patients/{patient.id}/episodes",
                           json=admission(ward_setup.ward_a, location="  Room 12 bed 2 "))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["location"] == "Room 12 bed 2"
    assert db.session.get(Episode, response.get_json()["id"]).location == "Room 12 bed 2"
    shown = leader.get(f"/api/v1/patients/{patient.id}").get_json()
    assert shown["active_episode"]["location"] == "Room 12 bed 2"
    listed = leader.get(f"/api/v1/wards/{ward_setup.ward_a.id}/patients").get_json()["items"]
    assert {row["display_name"]: row["active_episode"]["location"] for row in listed} == {
        "Geir Solheim": "Room 12 bed 2", "Patient A": None}


def test_the_room_changes_and_clears_by_patch(ward_setup):
    leader = ward_setup.login(ward_setup.leader)
    patient = ward_setup.patient_a
    episode_id = leader.get(f"/api/v1/patients/{patient.id}").get_json()["active_episode"]["id"]
    url = f"/api/v1/episodes/{episode_id}"
    moved = leader.patch(url, json={"location": "Room 3"})
    assert moved.status_code == 200 and moved.get_json()["location"] == "Room 3"
    assert moved.get_json()["ended_at"] is None
    assert audit_count("episode.location.set", patient.id) == 1
    assert leader.patch(url, json={"location": "Room 3"}).status_code == 200  # the same again: nothing new
    assert audit_count("episode.location.set", patient.id) == 1
    assert leader.get(f"/api/v1/patients/{patient.id}").get_json()["active_episode"]["location"] == "Room 3"
    ended = iso(utcnow() - timedelta(minutes=5))
    both = leader.patch(url, json={"location": None, "ended_at": ended})
    assert both.status_code == 200 and both.get_json()["location"] is None and both.get_json()["ended_at"]
    assert audit_count("episode.end", patient.id) == 1
    problem(ward_setup.login(ward_setup.nurse).patch(url, json={"location": "Room 4"}), 403)


@pytest.mark.parametrize("value", ["", "   ", "x" * 41, "Room\n12", "Room\x0012", 12, ["Room 1"]])
def test_a_bad_location_is_422(ward_setup, value):
    leader = ward_setup.login(ward_setup.leader)
    patient = ward_setup.patient_a
    problem(leader.post(f"/api/v1/patients/{patient.id}/episodes",
                        json=admission(ward_setup.ward_a, kind="outpatient", location=value)), 422, "location")
    episode_id = leader.get(f"/api/v1/patients/{patient.id}").get_json()["active_episode"]["id"]
    problem(leader.patch(f"/api/v1/episodes/{episode_id}", json={"location": value}), 422, "location")
    db.session.expire_all()
    assert [e.location for e in db.session.query(Episode).filter_by(patient_id=patient.id)] == [None]


def test_forty_characters_fit(ward_setup):
    leader = ward_setup.login(ward_setup.leader)
    patient = ward_setup.patient_a
    episode_id = leader.get(f"/api/v1/patients/{patient.id}").get_json()["active_episode"]["id"]
    response = leader.patch(f"/api/v1/episodes/{episode_id}", json={"location": "R" * 40})
    assert response.status_code == 200 and response.get_json()["location"] == "R" * 40
