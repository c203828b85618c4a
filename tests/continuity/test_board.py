"""GET /api/v1/wards/{id}/board: contents, ordering, access, and a number of queries independent of the ward's size."""

import contextlib
import re
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from wardtrack.audit.models import AuditEvent
from wardtrack.auth.operations import issue_token
from wardtrack.continuity.models import ContinuitySnapshot, Flag, PatientProfessional, RecomputeQueue
from wardtrack.core.time import utcnow
from wardtrack.extensions import db


def add_flag(patient, code, severity, status="open", days_ago=1, detail=None, reasons=None):
    db.session.add(Flag(patient_id=patient.id, code=code, severity=severity, status=status,
                        detail=detail or f"{code} for {patient.display_name}", reasons=reasons,
                        opened_at=utcnow() - timedelta(days=days_ago)))


def met(patient, professional, last_days_ago, contacts=3):
    now = utcnow()
    db.session.add(PatientProfessional(patient_id=patient.id, professional_id=professional.id, contacts=contacts,
                                       first_contact_at=now - timedelta(days=200),
                                       last_contact_at=now - timedelta(days=last_days_ago)))


def snapshot(patient, window_days, contacts, upc=None):
    db.session.add(ContinuitySnapshot(patient_id=patient.id, window_days=window_days, contacts=contacts,
                                      distinct_professionals=2, new_professionals=1, upc=upc, coc=None, secon=None,
                                      kpc=None, computed_at=utcnow()))


def settle():
    """Commit the hand-made rows and empty the recompute queue, so that the board shows exactly them."""
    db.session.execute(sa.delete(RecomputeQueue))
    db.session.commit()


@pytest.fixture
def board_ward(ward_setup, make):
    """Ward A: Carl (no flags, key people, measures), Anna (high + acknowledged medium), Bert (low), Dina (medium);
    Eve was discharged from ward A, Patient B is on ward B."""
    ward_a, ward_b = ward_setup.ward_a, ward_setup.ward_b
    names = ("Anna", "Bert", "Carl", "Dina", "Eve")
    people = {name: make.patient(name, f"ID-{name}") for name in names}
    for name in ("Anna", "Bert", "Carl", "Dina"):
        make.episode(people[name], ward_a)
    make.episode(people["Carl"], ward_a, kind="outpatient", started=timedelta(days=40))  # listed once
    make.episode(people["Eve"], ward_a, started=timedelta(days=30), ended=timedelta(days=2))
    make.episode(people["Eve"], ward_b, started=timedelta(days=1))
    add_flag(people["Anna"], "crisis_plan_stale", "medium", status="acknowledged", days_ago=9)
    add_flag(people["Anna"], "no_safety_person", "high", days_ago=2,
             reasons=[{"key": "no_safety_person", "params": {}}, {"key": "extensive_stay", "params": {"days": 40}}])
    add_flag(people["Anna"], "high_turnover", "high", status="resolved")
    add_flag(people["Bert"], "no_crisis_plan", "low")
    add_flag(people["Dina"], "stranger_decision", "medium")
    add_flag(people["Eve"], "no_safety_person", "high")
    carl, doctor, nurse = people["Carl"], ward_setup.doctor, ward_setup.nurse_professional
    make.designation(carl, doctor, "safety_person")
    make.designation(carl, nurse, "primary_contact")
    met(carl, doctor, last_days_ago=3)
    met(carl, make.professional("Olav Other", "doctor"), last_days_ago=1)
    snapshot(carl, 30, 4, upc=0.5)
    snapshot(carl, 90, 12, upc=0.25)
    settle()
    return ward_setup.with_(**people)


def board(api, ward):
    return api.get(f"/api/v1/wards/{ward.id}/board")


def test_board_lists_active_patients_flagged_first_by_severity(board_ward):
    response = board(board_ward.login(board_ward.leader), board_ward.ward_a)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["ward_id"], body["ward_name"]) == (board_ward.ward_a.id, "Ward A")
    rows = body["patients"]
    # Patient A (from ward_setup) is on ward A too; unflagged patients follow by name.
    assert [row["patient"]["display_name"] for row in rows] == ["Anna", "Dina", "Bert", "Carl", "Patient A"]
    assert [row["highest_severity"] for row in rows] == ["high", "medium", "low", None, None]
    anna = rows[0]
    assert [(f["code"], f["severity"], f["status"]) for f in anna["flags"]] == [
        ("no_safety_person", "high", "open"), ("crisis_plan_stale", "medium", "acknowledged")]
    assert anna["flags"][0]["detail"] == "no_safety_person for Anna"
    assert anna["flags"][0]["reasons"] == [{"key": "no_safety_person", "params": {}},
                                           {"key": "extensive_stay", "params": {"days": 40}}]
    assert anna["flags"][1]["reasons"] is None  # stored before reasons existed: pages show the detail
    assert anna["flags"][0]["opened_at"].endswith("Z")
    assert anna["safety_person"] is None and anna["measures_30d"] is None and anna["days_since_last_contact"] is None


def test_board_shows_key_people_last_contacts_and_measures(board_ward):
    rows = board(board_ward.login(board_ward.leader), board_ward.ward_a).get_json()["patients"]
    carl = next(row for row in rows if row["patient"]["display_name"] == "Carl")
    assert carl["episode"]["kind"] == "inpatient"  # the admission, not the older enrolment
    assert carl["flags"] == []
    safety, primary = carl["safety_person"], carl["primary_contact"]
    assert (safety["name"], safety["profession"], safety["days_since_last_contact"]) == (
        "Dora Doctor", "psychiatrist", 3)
    assert (primary["name"], primary["profession"], primary["days_since_last_contact"]) == (
        "Nina Nurse", "nurse", None)  # named, never met
    assert carl["days_since_last_contact"] == 1  # Olav, the last anyone saw Carl
    assert {key: carl["measures_30d"][key] for key in ("window_days", "contacts", "upc", "coc")} == {
        "window_days": 30, "contacts": 4, "upc": 0.5, "coc": None}
    assert (carl["measures_90d"]["window_days"], carl["measures_90d"]["contacts"]) == (90, 12)


def test_board_read_is_audited_once_for_the_ward(board_ward):
    board(board_ward.login(board_ward.nurse), board_ward.ward_a)
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "ward.board.read")).all()
    assert [(e.object_type, e.object_id) for e in events] == [("ward", str(board_ward.ward_a.id))]


def test_an_empty_ward_has_an_empty_board(ward_setup, make):
    empty = make.ward("Ward C")
    response = board(ward_setup.login(ward_setup.admin), empty)
    assert (response.status_code, response.get_json()["patients"]) == (200, [])


def test_access(board_ward, make, client):
    login, ward_a = board_ward.login, board_ward.ward_a
    for user in ("leader", "nurse", "admin"):  # staff of the ward, like its patient and flag lists
        assert board(login(getattr(board_ward, user)), ward_a).status_code == 200
    assert board(login(board_ward.other_nurse), ward_a).status_code == 403
    patient_user = make.user("anna", "patient", patient=board_ward.Anna)
    assert board(login(patient_user), ward_a).status_code == 403
    assert login(board_ward.admin).get("/api/v1/wards/999999/board").status_code == 404
    assert client.get(f"/api/v1/wards/{ward_a.id}/board").status_code == 401


def test_board_recomputes_queued_patients_first(ward_setup):
    """A contact recorded through the API queues the patient; the next board shows its effect."""
    nurse = ward_setup.login(ward_setup.nurse)
    patient, doctor = ward_setup.patient_a, ward_setup.doctor
    occurred = (utcnow() - timedelta(days=2, hours=1)).isoformat()
    response = nurse.post("/api/v1/contacts", json={
        "client_id": str(uuid.uuid4()), "patient_id": patient.id, "professional_id": doctor.id,
        "occurred_at": occurred, "kind": "conversation"})
    assert response.status_code == 201
    row = board(nurse, ward_setup.ward_a).get_json()["patients"][0]
    assert row["patient"]["id"] == patient.id
    assert "no_safety_person" in [flag["code"] for flag in row["flags"]]
    assert row["days_since_last_contact"] == 2
    assert (row["measures_30d"]["contacts"], row["measures_90d"]["new_professionals"]) == (1, 1)


def populate(ward, count, make, tag):
    """`count` patients on the ward, each with a flag, a safety person, a contact summary and both snapshots."""
    doctor = make.professional(f"Doctor {tag}", "psychiatrist", [ward])
    for number in range(count):
        patient = make.patient(f"{tag} patient {number:02}", f"{tag}-{number}")
        make.episode(patient, ward)
        make.designation(patient, doctor, "safety_person")
        add_flag(patient, "no_crisis_plan", ("low", "medium", "high")[number % 3])
        met(patient, doctor, last_days_ago=number % 7)
        snapshot(patient, 30, 3)
        snapshot(patient, 90, 9)
    settle()


@contextlib.contextmanager
def counting():
    """Count the SQL statements sent to the database inside the block."""
    statements = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)


def test_number_of_queries_does_not_grow_with_the_ward(client, make):
    small, large = make.ward("Small"), make.ward("Large")
    populate(small, 3, make, "S")
    populate(large, 30, make, "L")
    leader = make.user("lea", "team_leader", wards=[small, large])
    # A bearer token: no session bookkeeping that could write on one request and not the other.
    headers = {"Authorization": f"Bearer {issue_token(leader)}"}
    db.session.commit()
    counts = {}
    for ward, size in ((small, 3), (large, 30)):
        assert len(client.get(f"/api/v1/wards/{ward.id}/board", headers=headers).get_json()["patients"]) == size
        with counting() as statements:  # the first call drained the recompute queue
            response = client.get(f"/api/v1/wards/{ward.id}/board", headers=headers)
        assert len(response.get_json()["patients"]) == size
        assert not [s for s in statements if re.search(r"\b(FROM|JOIN) contacts\b", s)]  # no history scan
        counts[size] = len(statements)
    assert counts[3] == counts[30], counts
    assert counts[30] <= 15, counts
