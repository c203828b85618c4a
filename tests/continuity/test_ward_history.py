"""GET /api/v1/wards/{id}/continuity-history: the weekly ward picture, its computation and its access."""

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.patients.helpers import parse_z, problem
from wardtrack.audit.models import AuditEvent
from wardtrack.contacts.models import Contact
from wardtrack.continuity.board.ward_history import week_bounds, weekly_picture
from wardtrack.continuity.measures import ContactPoint
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.patients.models import Designation


def contact(patient, professional, days_ago, ward=None):
    now = utcnow()
    db.session.add(Contact(client_id=uuid.uuid4(), patient_id=patient.id, professional_id=professional.id,
                           ward_id=ward.id if ward else None, kind="conversation",
                           occurred_at=now - timedelta(days=days_ago), received_at=now))


def test_weekly_picture_is_pure_and_counts_what_it_says():
    now = utcnow()
    bounds = week_bounds(2, now)
    assert bounds[0][1] == bounds[1][0] and bounds[1][1] == now
    old, mid = now - timedelta(days=30), now - timedelta(days=10)
    episodes = {1: [(old, None)], 2: [(mid, None)], 3: [(old, now - timedelta(days=8))]}
    safety = {1: [(old, None)], 2: [(now - timedelta(days=1), None)]}
    history = {
        1: [ContactPoint(now - timedelta(days=40), 0, 7, ""),  # met 7 before the window
            ContactPoint(now - timedelta(days=3), 1, 7, ""), ContactPoint(now - timedelta(days=2), 2, 8, "")],
        2: [ContactPoint(now - timedelta(days=9), 3, 9, ""), ContactPoint(now - timedelta(days=1), 4, 9, "")],
    }
    first, last = weekly_picture(bounds, episodes, safety, history)
    # Week 1 ends 7 days ago: patients 1 and 2 in care (3 left the day before), only 1 has a safety person.
    assert (first["patients"], first["with_safety_person"], first["safety_person_share"]) == (2, 1, 0.5)
    assert (first["contacts"], first["patients_with_contacts"], first["median_kpc"]) == (1, 1, 0.0)
    assert (last["patients"], last["with_safety_person"], last["safety_person_share"]) == (2, 2, 1.0)
    assert last["contacts"] == 3 and last["median_kpc"] == pytest.approx((0.5 + 1.0) / 2)
    empty = weekly_picture(bounds, {}, {}, {})
    assert [(w["patients"], w["safety_person_share"], w["median_kpc"]) for w in empty] == [(0, None, None)] * 2


def test_the_ward_picture_over_twelve_weeks(ward_setup, make):
    ward, patient, nurse = ward_setup.ward_a, ward_setup.patient_a, ward_setup.nurse_professional
    other = make.patient("Carl", "ID-C")
    make.episode(other, ward, started=timedelta(days=100))
    db.session.add(Designation(patient_id=other.id, professional_id=nurse.id, kind="safety_person",
                               started_at=utcnow() - timedelta(days=20)))
    for days in (60, 5, 3):
        contact(other, nurse, days)
    contact(patient, ward_setup.doctor, 2)
    contact(ward_setup.patient_b, nurse, 2)  # another ward's patient: not counted
    db.session.commit()

    response = ward_setup.login(ward_setup.leader).get(f"/api/v1/wards/{ward.id}/continuity-history")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["ward_id"] == ward.id and body["weeks"] == 12 and len(body["items"]) == 12
    starts = [parse_z(item["week_start"]) for item in body["items"]]
    assert starts == sorted(starts)
    last = body["items"][-1]
    assert (last["patients"], last["with_safety_person"], last["safety_person_share"]) == (2, 1, 0.5)
    # Carl met the nurse before (kpc 1.0 over two contacts); Patient A met the doctor for the first time (0.0).
    assert (last["contacts"], last["patients_with_contacts"], last["median_kpc"]) == (3, 2, 0.5)
    assert body["items"][0]["patients"] == 1  # 12 weeks ago only Carl was in care (Patient A came 10 days ago)
    assert body["items"][-4]["with_safety_person"] == 0
    events = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_id == str(ward.id))).all()
    assert "ward.continuity_history.read" in events


def test_weeks_parameter(ward_setup):
    api = ward_setup.login(ward_setup.nurse)
    url = f"/api/v1/wards/{ward_setup.ward_a.id}/continuity-history"
    assert len(api.get(f"{url}?weeks=4").get_json()["items"]) == 4
    for weeks in ("0", "53", "x"):
        problem(api.get(f"{url}?weeks={weeks}"), 422, "weeks")


def test_access(ward_setup, make, login, client):
    ward_a, ward_b = ward_setup.ward_a, ward_setup.ward_b
    url = f"/api/v1/wards/{ward_a.id}/continuity-history"
    assert ward_setup.login(ward_setup.nurse).get(url).status_code == 200  # staff of the ward read it
    assert ward_setup.login(ward_setup.admin).get(url).status_code == 200
    problem(ward_setup.login(ward_setup.other_nurse).get(url), 403)
    problem(ward_setup.login(ward_setup.leader).get(f"/api/v1/wards/{ward_b.id}/continuity-history"), 403)
    problem(ward_setup.login(ward_setup.leader).get("/api/v1/wards/99999/continuity-history"), 404)
    patient_user = login(make.user("pat", "patient", patient=ward_setup.patient_a))
    problem(patient_user.get(url), 403)
    problem(client.get(url), 401)
