"""POST /contacts/{id}/retract: a contact entered in error stays in history but counts in no measure or flag;
who may retract; a resend of its client_id stays retracted. And the confirmation a contact far back in time
needs (confirm_backdated)."""

import uuid
from datetime import timedelta

import pytest

from tests.contacts.helpers import stored_contacts
from tests.continuity.story import Story, ago
from tests.patients.helpers import audit_count, parse_z, problem
from wardtrack.core.time import utcnow
from wardtrack.extensions import db


@pytest.fixture
def world(make, login):
    return Story(make, login)


@pytest.fixture
def admitted(world):
    """A patient admitted to ward A five days ago, with a safety person; a doctor nobody has met yet."""
    patient = world.patient("Geir Aas")
    world.admit(patient, started_days_ago=5)
    world.name_safety_person(patient)
    return patient, world.professional("Dr Stranger")


def body(patient, professional, days_ago, kind="conversation", **extra):
    return {"client_id": str(uuid.uuid4()), "patient_id": patient.id, "professional_id": professional.id,
            "occurred_at": ago(days_ago), "kind": kind, **extra}


def post(api, payload, status=201):
    response = api.post("/api/v1/contacts", json=payload)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def retract(api, contact_id, reason="wrong patient"):
    return api.post(f"/api/v1/contacts/{contact_id}/retract", json={"reason": reason})


def measures(world, patient):
    return world.leader.get(f"/api/v1/patients/{patient.id}/continuity?days=30").get_json()


def test_a_retracted_contact_leaves_the_measures_flags_and_relationships_but_stays_in_history(world, admitted):
    patient, stranger = admitted
    post(world.nurse, body(patient, world.nurse_professional, 2))
    wrong = post(world.nurse, body(patient, stranger, 1, kind="decision"))
    assert wrong["status"] == "recorded" and wrong["retracted_at"] is None
    assert measures(world, patient)["contacts"] == 2
    assert "stranger_decision" in world.open_flags(patient)

    response = retract(world.nurse, wrong["id"], "  Tapped the wrong patient  ")
    assert response.status_code == 200, response.get_json()
    retracted = response.get_json()
    assert retracted["status"] == "entered_in_error" and retracted["retraction_reason"] == "Tapped the wrong patient"
    assert retracted["retracted_by"] == world.nurse_user.id and retracted["id"] == wrong["id"]
    parse_z(retracted["retracted_at"])
    assert audit_count("contact.retract", patient.id) == 1

    after = measures(world, patient)
    assert (after["contacts"], after["distinct_professionals"], after["new_professionals"]) == (1, 1, 1)
    assert "stranger_decision" not in world.open_flags(patient)  # recomputed: the flag resolved itself
    seen = world.nurse.get(f"/api/v1/patients/{patient.id}/relationships").get_json()["professionals"]
    assert [row["professional"]["id"] for row in seen] == [world.nurse_professional.id]
    timeline = world.nurse.get(f"/api/v1/patients/{patient.id}/timeline").get_json()
    assert timeline["contacts"] == 1 and [row["professional_id"] for row in timeline["professionals"]] == [
        world.nurse_professional.id]
    listed = world.nurse.get(f"/api/v1/patients/{patient.id}/contacts").get_json()["items"]
    assert [(item["id"], item["status"]) for item in listed] == [(wrong["id"], "entered_in_error"),
                                                                 (listed[1]["id"], "recorded")]


def test_a_retracted_contact_resent_by_an_offline_phone_stays_retracted(world, admitted):
    patient, stranger = admitted
    sent = body(patient, stranger, 0.1)
    contact = post(world.nurse, sent)
    assert retract(world.nurse, contact["id"]).status_code == 200

    again = post(world.nurse, sent, status=200)
    assert (again["id"], again["status"]) == (contact["id"], "entered_in_error")
    batch = world.nurse.post("/api/v1/contacts/batch", json={"contacts": [sent]}).get_json()["results"]
    assert [(r["status"], r["contact"]["status"]) for r in batch] == [(200, "entered_in_error")]
    assert len(stored_contacts(patient_id=patient.id)) == 1
    assert measures(world, patient)["contacts"] == 0
    assert audit_count("contact.create", patient.id) == 1


def test_retracting_again_changes_nothing(world, admitted):
    patient, _stranger = admitted
    contact = post(world.nurse, body(patient, world.nurse_professional, 0.1))
    first = retract(world.nurse, contact["id"], "undone by the author").get_json()
    second = retract(world.leader, contact["id"], "another reason")
    assert second.status_code == 200
    assert second.get_json() == first
    assert audit_count("contact.retract", patient.id) == 1


def test_who_may_retract(world, admitted, client):
    patient, _stranger = admitted
    make, ward_a, ward_b = world.make, world.ward_a, world.ward_b
    colleague = world.login(make.user("cora", "nurse", wards=[ward_a]))
    outsiders = [world.login(make.user("olga", "nurse", wards=[ward_b])), world.login(world.leader_b_user)]
    patient_self = world.login(make.user("geir", "patient", patient=patient))
    contacts = [post(world.nurse, body(patient, world.nurse_professional, 0.1)) for _ in range(2)]
    target = contacts[0]["id"]

    problem(client.post(f"/api/v1/contacts/{target}/retract", json={"reason": "x"}), 401)
    problem(retract(patient_self, target), 403)
    for outsider in outsiders:
        problem(retract(outsider, target), 404)  # out of reach: as if it did not exist
    problem(retract(colleague, target), 403)  # same ward, not the author, not a team leader
    problem(retract(world.admin, target), 403)
    problem(retract(world.nurse, 999999), 404)
    problem(world.nurse.post(f"/api/v1/contacts/{target}/retract", json={}), 422, "reason")
    problem(retract(world.nurse, target, "   "), 422, "reason")
    problem(retract(world.nurse, target, "x" * 501), 422, "reason")
    assert audit_count("contact.retract") == 0

    assert retract(world.nurse, target).status_code == 200  # the author
    assert retract(world.leader, contacts[1]["id"]).status_code == 200  # a team leader of the contact's ward
    assert {c.status for c in stored_contacts(patient_id=patient.id)} == {"entered_in_error"}
    assert audit_count("contact.retract", patient.id) == 2


def test_a_retracted_maintenance_contact_no_longer_satisfies_the_plan(world, admitted):
    patient, stranger = admitted
    plan = world.leader.post(f"/api/v1/patients/{patient.id}/maintenance-plans",
                             json={"professional_id": stranger.id, "interval_days": 7})
    assert plan.status_code == 201, plan.get_json()
    contact = post(world.nurse, body(patient, stranger, 30, kind="maintenance"))
    assert "maintenance_overdue" in world.open_flags(patient)
    recent = post(world.nurse, body(patient, stranger, 1, kind="maintenance"))
    assert "maintenance_overdue" not in world.open_flags(patient)
    assert retract(world.nurse, recent["id"]).status_code == 200
    assert "maintenance_overdue" in world.open_flags(patient)
    assert contact["status"] == "recorded"


# Confirming a time far back: the test client confirms every contact unless told otherwise (tests/support.py).


def test_a_contact_further_back_than_the_ward_allows_needs_a_confirmation(world, admitted):
    patient, _stranger = admitted
    me = world.nurse_professional
    refused = problem(world.nurse.post("/api/v1/contacts", json=body(patient, me, 3.5, confirm_backdated=False)),
                      422, "occurred_at")
    assert "confirm_backdated" in refused["errors"]["occurred_at"][0]
    assert stored_contacts(patient_id=patient.id) == []
    post(world.nurse, body(patient, me, 3.5, confirm_backdated=True))
    post(world.nurse, body(patient, me, 2.9, confirm_backdated=False))  # within 72 hours: no question

    world.ward_a.contact_backdate_hours = 24  # a ward setting
    db.session.commit()
    post(world.nurse, body(patient, me, 0.9, confirm_backdated=False))
    for ward_id in (None, world.ward_a.id):  # the ward of the patient's episode then, or the one named
        problem(world.nurse.post("/api/v1/contacts", json=body(patient, me, 1.5, confirm_backdated=False,
                                                                     ward_id=ward_id)), 422, "occurred_at")
    ward = world.nurse.get(f"/api/v1/wards/{world.ward_a.id}").get_json()
    assert ward["contact_backdate_hours"] == 24  # the page reads the setting here


def test_a_contact_before_the_current_episode_needs_a_confirmation(world):
    patient = world.patient("Kari Solheim")
    world.admit(patient, started_days_ago=1)
    me = world.nurse_professional
    problem(world.nurse.post("/api/v1/contacts", json=body(patient, me, 1.5, confirm_backdated=False)),
            422, "occurred_at")
    post(world.nurse, body(patient, me, 0.5, confirm_backdated=False))
    post(world.nurse, body(patient, me, 1.5, confirm_backdated=True))
    assert len(stored_contacts(patient_id=patient.id)) == 2


def test_a_batch_refuses_a_backdated_item_alone_and_a_stored_one_resent_late_is_still_200(world, admitted):
    patient, _stranger = admitted
    me = world.nurse_professional
    old = body(patient, me, 10, confirm_backdated=True)
    post(world.nurse, old)
    items = [body(patient, me, 0.1), body(patient, me, 2000, confirm_backdated=False),
             {**old, "confirm_backdated": False}]
    response = world.nurse.post("/api/v1/contacts/batch", json={"contacts": items})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == [201, 422, 200]
    assert "occurred_at" in results[1]["errors"]
    assert len(stored_contacts(patient_id=patient.id)) == 2


def test_the_ward_setting_is_checked_when_a_ward_is_made(world):
    response = world.admin.post("/api/v1/wards", json={"name": "Ward C", "setting": "acute_ward",
                                                       "contact_backdate_hours": 0})
    problem(response, 422, "contact_backdate_hours")
    made = world.admin.post("/api/v1/wards", json={"name": "Ward C", "setting": "acute_ward",
                                                   "contact_backdate_hours": 12})
    assert made.status_code == 201 and made.get_json()["contact_backdate_hours"] == 12
    assert world.admin.post("/api/v1/wards", json={"name": "Ward D", "setting": "acute_ward"}).get_json()[
        "contact_backdate_hours"] == 72


def test_a_contact_that_waited_offline_is_measured_from_when_the_phone_recorded_it(world, admitted):
    patient, _stranger = admitted
    me = world.nurse_professional
    waited = body(patient, me, 4, confirm_backdated=False)  # logged at the time, sent four days later
    recorded_at = (utcnow() - timedelta(days=4) + timedelta(minutes=1)).isoformat()
    assert world.nurse.post("/api/v1/contacts", json={**waited, "recorded_at": recorded_at}).status_code == 201
    backdated = {**body(patient, me, 4, confirm_backdated=False), "recorded_at": utcnow().isoformat()}
    problem(world.nurse.post("/api/v1/contacts", json=backdated), 422, "occurred_at")  # four days back, then
    future_record = {**body(patient, me, 4, confirm_backdated=False),
                     "recorded_at": (utcnow() + timedelta(days=9)).isoformat()}
    problem(world.nurse.post("/api/v1/contacts", json=future_record), 422, "occurred_at")  # never after now
    assert len(stored_contacts(patient_id=patient.id)) == 1
