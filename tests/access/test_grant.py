"""Break-the-glass: asking with a reason, what the grant opens, and its end."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.access.conftest import REASON, break_glass, expire
from tests.conftest import new_client_id
from tests.core.problems import assert_problem
from wardtrack.access.models import EmergencyAccess
from wardtrack.access.reach import patient_reach
from wardtrack.audit.models import AuditEvent
from wardtrack.extensions import db
from wardtrack.patients.models import Patient


def _reached(user) -> set[int]:
    return set(db.session.scalars(sa.select(Patient.id).where(patient_reach(user, Patient.id))))


@pytest.mark.parametrize("body", [
    {}, {"reason": None}, {"reason": ""}, {"reason": "too short"}, {"reason": "          x          "},
    {"reason": "x" * 501}, {"reason": "needs the plan\nnow, please"}, {"reason": "tab\tin the reason"},
    {"reason": 12345678901}, {"reason": REASON, "hours": 48},
])
def test_without_a_proper_reason_it_is_refused(glass, body):
    response = glass.stranger.post(f"/api/v1/patients/{glass.patient_a.id}/emergency-access", json=body)
    assert_problem(response, 422)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EmergencyAccess)) == 0
    assert_problem(glass.stranger.get(f"/api/v1/patients/{glass.patient_a.id}"), 404)


def test_with_a_reason_the_record_opens_for_a_bounded_time(glass):
    patient = glass.patient_a
    assert_problem(glass.stranger.get(f"/api/v1/patients/{patient.id}"), 404)
    response = break_glass(glass.stranger, patient, "  " + REASON + "  ")
    assert response.status_code == 201, response.get_json()
    grant = response.get_json()
    assert grant["patient_id"] == patient.id and grant["reason"] == REASON and grant["active"] is True
    assert grant["who"] == "Olga Outreach" and grant["reviewed_at"] is None
    hours = datetime.fromisoformat(grant["expires_at"]) - datetime.fromisoformat(grant["granted_at"])
    assert hours == timedelta(hours=3)
    assert datetime.fromisoformat(grant["expires_at"]) > datetime.now(UTC)
    for path in ("", "/contacts", "/relationships", "/flags", "/continuity"):
        assert glass.stranger.get(f"/api/v1/patients/{patient.id}{path}").status_code == 200, path
    assert _reached(glass.other_nurse) == {patient.id, glass.patient_b.id}
    # The grant opens one patient, not the ward.
    assert_problem(glass.stranger.get(f"/api/v1/wards/{glass.ward_a.id}/patients"), 403)


def test_an_expired_grant_stops_working(glass):
    patient = glass.patient_a
    grant = break_glass(glass.stranger, patient).get_json()
    assert glass.stranger.get(f"/api/v1/patients/{patient.id}").status_code == 200
    expire(grant["id"])
    assert_problem(glass.stranger.get(f"/api/v1/patients/{patient.id}"), 404)
    assert _reached(glass.other_nurse) == {glass.patient_b.id}


def test_the_duration_follows_the_setting(glass, app):
    app.config["EMERGENCY_ACCESS_HOURS"] = 1
    grant = break_glass(glass.stranger, glass.patient_a).get_json()
    assert (datetime.fromisoformat(grant["expires_at"]) - datetime.fromisoformat(grant["granted_at"])
            == timedelta(hours=1))


def test_the_grant_is_audited_pointing_at_its_row_and_the_reason_stays_out_of_the_audit(glass):
    grant = break_glass(glass.stranger, glass.patient_a).get_json()
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "emergency_access.grant"))
    assert (event.actor_user_id, event.actor_role) == (glass.other_nurse.id, "nurse")
    assert (event.patient_id, event.object_type, event.object_id) == (
        glass.patient_a.id, "emergency_access", str(grant["id"]))
    stored = db.session.get(EmergencyAccess, grant["id"])
    assert stored.reason == REASON and stored.user_id == glass.other_nurse.id
    for row in db.session.execute(sa.select(AuditEvent.__table__)).mappings():
        assert not any(isinstance(value, str) and "crisis" in value for value in row.values())


def test_unknown_patient_404_and_patient_in_reach_409(glass, login):
    assert_problem(break_glass(glass.stranger, Patient(id=99999)), 404)
    assert_problem(break_glass(login(glass.nurse), glass.patient_a), 409)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EmergencyAccess)) == 0


def test_a_live_grant_may_be_renewed_with_a_new_reason(glass):
    first = break_glass(glass.stranger, glass.patient_a).get_json()
    second = break_glass(glass.stranger, glass.patient_a, "Still in crisis; plan needed again.")
    assert second.status_code == 201 and second.get_json()["id"] != first["id"]


@pytest.mark.parametrize("who", ["admin", "pat_a"])
def test_only_nurses_and_team_leaders_break_the_glass(glass, login, who):
    assert_problem(break_glass(login(getattr(glass, who)), glass.patient_b), 403)


def test_a_team_leader_may_break_the_glass_too(glass, login):
    api = login(glass.leader_b)
    assert break_glass(api, glass.patient_a).status_code == 201
    assert api.get(f"/api/v1/patients/{glass.patient_a.id}").status_code == 200


def _contact(glass, patient):
    return {"client_id": new_client_id(), "patient_id": patient.id, "professional_id": glass.doctor.id,
            "occurred_at": (datetime.now(UTC) - timedelta(minutes=5)).isoformat(), "kind": "conversation"}


def test_a_grant_reads_but_the_contact_hot_path_needs_ordinary_reach(glass):
    api, patient = glass.stranger, glass.patient_a
    assert_problem(api.post("/api/v1/contacts", json=_contact(glass, patient)), 404)
    break_glass(api, patient)
    assert api.get(f"/api/v1/patients/{patient.id}/contacts").status_code == 200
    assert_problem(api.post("/api/v1/contacts", json=_contact(glass, patient)), 404)
    batch = api.post("/api/v1/contacts/batch", json={"contacts": [_contact(glass, patient)]})
    assert batch.get_json()["results"][0]["status"] == 404
    assert api.get(f"/api/v1/patients/{patient.id}/contacts").get_json()["items"] == []


def test_someone_elses_grant_opens_nothing_for_me(glass, make, login):
    break_glass(glass.stranger, glass.patient_a)
    colleague = make.user("oskar", "nurse", wards=[glass.ward_b])
    assert_problem(login(colleague).get(f"/api/v1/patients/{glass.patient_a.id}"), 404)
