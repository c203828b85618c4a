"""A break-the-glass grant only reads (issue 17, finding 9): every write needs ordinary reach.

Olga (nurse, ward B) and Lena (team leader, ward B) break the glass for patient A of ward A. They may read the
record and the crisis plan; a new crisis-plan version, key people, episodes, contacts and maintenance plans are
refused as for any patient out of reach (404), and nothing is stored.
"""

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.core.problems import assert_problem
from tests.crisisplans.conftest import PLAN
from wardtrack.access.reach import patient_reach
from wardtrack.core.time import utcnow
from wardtrack.crisisplans.models import CrisisPlanVersion
from wardtrack.extensions import db
from wardtrack.patients.models import Designation, Episode, Patient
from wardtrack.reminders.models import MaintenancePlan

REASON = "Patient arrived at our crisis team at night; need the crisis plan and key people."


@pytest.fixture
def glass(ward_setup, make, login):
    patient = ward_setup.patient_a
    assert login(ward_setup.nurse).put(f"/api/v1/patients/{patient.id}/crisis-plan", json=PLAN).status_code == 201
    olga, lena_user = login(ward_setup.other_nurse), make.user("lena", "team_leader", wards=[ward_setup.ward_b])
    w = ward_setup.with_(olga=olga, lena_user=lena_user, lena=login(lena_user))
    for api in (w.olga, w.lena):
        response = api.post(f"/api/v1/patients/{patient.id}/emergency-access", json={"reason": REASON})
        assert response.status_code == 201, response.get_json()
    return w


def count(model, **where) -> int:
    db.session.expire_all()
    query = sa.select(sa.func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def test_a_grant_reads_the_plan_but_writes_no_version(glass):
    url = f"/api/v1/patients/{glass.patient_a.id}/crisis-plan"
    read = glass.olga.get(url)
    assert read.status_code == 200
    etag = read.headers["ETag"]
    changed = {**PLAN, "note": "written under a grant"}
    assert_problem(glass.olga.put(url, json=changed, headers={"If-Match": etag}), 404)
    assert count(CrisisPlanVersion, patient_id=glass.patient_a.id) == 1
    assert glass.olga.get(url).headers["ETag"] == etag


def test_a_grant_changes_no_key_people_episodes_or_plans(glass):
    patient, lena = glass.patient_a, glass.lena
    base = f"/api/v1/patients/{patient.id}"
    assert lena.get(base).status_code == 200
    episode_id = lena.get(base).get_json()["active_episode"]["id"]
    designation = {"professional_id": glass.doctor.id, "chosen_by_patient": True}
    assert_problem(lena.put(f"{base}/safety-person", json=designation), 404)
    assert_problem(lena.delete(f"{base}/safety-person"), 404)
    assert_problem(lena.patch(f"/api/v1/episodes/{episode_id}", json={"ended_at": utcnow().isoformat()}), 404)
    assert_problem(lena.patch(f"/api/v1/episodes/{episode_id}", json={"location": "Room 1"}), 404)
    assert_problem(lena.post(f"{base}/maintenance-plans", json={"professional_id": glass.doctor.id}), 404)
    assert count(Designation, patient_id=patient.id) == 0
    assert count(MaintenancePlan, patient_id=patient.id) == 0
    episode = db.session.get(Episode, episode_id)
    assert episode.ended_at is None and episode.location is None


def test_a_grant_records_no_contact(glass):
    patient, olga = glass.patient_a, glass.olga
    contact = {"client_id": str(uuid.uuid4()), "patient_id": patient.id, "professional_id": glass.doctor.id,
               "occurred_at": (utcnow() - timedelta(minutes=5)).isoformat(), "kind": "conversation"}
    assert_problem(olga.post("/api/v1/contacts", json=contact), 404)
    batch = olga.post("/api/v1/contacts/batch", json={"contacts": [{**contact, "client_id": str(uuid.uuid4())}]})
    assert batch.status_code == 200 and batch.get_json()["results"][0]["status"] == 404
    assert olga.get(f"/api/v1/patients/{patient.id}/contacts").get_json()["items"] == []


def test_reach_for_writes_is_decided_in_one_place(glass, app):
    """The rule itself: in a writing request a grant counts for nothing; in a reading one it does."""
    user, patient = glass.other_nurse, glass.patient_a
    reached = sa.select(Patient.id).where(Patient.id == patient.id)
    for method, expected in (("GET", patient.id), ("HEAD", patient.id), ("POST", None), ("PUT", None),
                             ("PATCH", None), ("DELETE", None)):
        with app.test_request_context(method=method):
            assert db.session.scalar(reached.where(patient_reach(user, Patient.id))) == expected, method
