"""Recomputation: the queue fed by patient_changed, batched facts, flag sync, summaries, drain, sweep and the CLI."""

import contextlib
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.continuity.story import add_plan
from wardtrack.contacts.models import Contact
from wardtrack.continuity import facts, operations
from wardtrack.continuity.models import ContinuitySnapshot, Flag, PatientProfessional, RecomputeQueue
from wardtrack.core.time import utcnow
from wardtrack.extensions import db


@contextlib.contextmanager
def statements():
    """Collect the SQL statements run meanwhile."""
    seen: list[str] = []

    def listen(_conn, _cursor, statement, *_args):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listen)


def add_contacts(patient, *visits, kind="conversation"):
    """Insert contacts straight into the table, without signals: (professional, days ago[, kind]) tuples."""
    now = utcnow()
    db.session.execute(sa.insert(Contact), [
        {"client_id": uuid.uuid4(), "patient_id": patient.id, "professional_id": visit[0].id,
         "kind": visit[2] if len(visit) > 2 else kind, "occurred_at": now - timedelta(days=visit[1]),
         "received_at": now} for visit in visits])
    db.session.commit()


def queued() -> set[int]:
    db.session.expire_all()
    return set(db.session.scalars(sa.select(RecomputeQueue.patient_id)))


def flags_of(patient) -> list[Flag]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Flag).where(Flag.patient_id == patient.id).order_by(Flag.id)))


def in_care(world, count, with_history=True):
    patients = []
    doctor, nurse = world.professional("Dr Dahl"), world.nurse_professional
    for n in range(count):
        patient = world.patient(f"Patient {n}")
        world.make.episode(patient, world.ward_a, started=timedelta(days=20))
        if with_history:
            add_contacts(patient, (doctor, 500), (nurse, 10), (doctor, 3, "decision"))
        patients.append(patient)
    return patients


def test_a_contact_only_queues_the_patient_with_one_statement(world):
    patient = world.patient()
    world.admit(patient, started_days_ago=5)
    db.session.execute(sa.delete(RecomputeQueue))
    db.session.commit()
    with statements() as seen:
        world.contact(patient, world.nurse_professional, 1)
    assert len([s for s in seen if "flag_recompute_queue" in s]) == 1
    assert not [s for s in seen if " flags" in s]  # nothing recomputed inside the contact request
    world.contact(patient, world.nurse_professional, 0.5)  # already queued: ON CONFLICT DO NOTHING
    assert queued() == {patient.id} and flags_of(patient) == []


def test_a_batch_queues_each_patient_once(world):
    first, second = world.patient("One"), world.patient("Two")
    world.admit(first, 5)
    world.admit(second, 5)
    db.session.execute(sa.delete(RecomputeQueue))
    db.session.commit()
    world.contacts(first, [(world.nurse_professional, 1), (world.nurse_professional, 2)])
    world.contacts(second, [(world.nurse_professional, 1)])
    assert queued() == {first.id, second.id}


def test_recompute_runs_a_constant_number_of_statements(world):
    counts = []
    for size in (2, 7):
        ids = [p.id for p in in_care(world, size)]
        with statements() as seen:
            operations.recompute(ids)
        counts.append(len(seen))
        db.session.commit()
    assert counts[0] == counts[1], counts
    ids = [p.id for p in in_care(world, 5, with_history=False)]
    with statements() as seen:
        facts.load_facts(ids, utcnow())
    assert len(seen) == 8  # episodes, contacts, people met, safety persons, crisis-plan versions,
    # maintenance plans, check-ins, policies


def test_old_history_is_summarised_so_known_people_stay_known(world):
    patient = world.patient()
    world.make.episode(patient, world.ward_a, started=timedelta(days=10))
    old, new = world.professional("Dr Old"), world.professional("Dr New")
    add_contacts(patient, (old, 900), (old, 600), (old, 2, "decision"), (new, 1, "decision"))
    found = facts.load_facts([patient.id], utcnow())[patient.id]
    assert len(found.contacts) == 3  # the two decisions, and Dr Old's first contact, before the horizon
    operations.recompute([patient.id])
    (stranger,) = [f for f in flags_of(patient) if f.code == "stranger_decision"]
    assert "Dr New" in stranger.detail and "Dr Old" not in stranger.detail
    snapshot = db.session.get(ContinuitySnapshot, (patient.id, 30))
    assert (snapshot.contacts, snapshot.distinct_professionals, snapshot.new_professionals) == (2, 2, 1)
    assert snapshot.kpc == 0.5 and snapshot.upc == 0.5 and snapshot.secon == 0.0
    met = {row.professional_id: row for row in db.session.scalars(
        sa.select(PatientProfessional).where(PatientProfessional.patient_id == patient.id))}
    assert met[old.id].contacts == 3 and met[new.id].contacts == 1
    assert (utcnow() - met[old.id].first_contact_at).days == 900
    add_contacts(patient, (new, 0.5))
    operations.recompute([patient.id])
    db.session.expire_all()
    assert db.session.get(PatientProfessional, (patient.id, new.id)).contacts == 2


def test_no_crisis_plan_follows_the_stored_plans(world):
    (with_plan,) = in_care(world, 1)
    without = world.patient("No plan", with_plan=False)
    world.make.episode(without, world.ward_a, started=timedelta(days=20))
    stale = world.patient("Stale plan", with_plan=False)
    world.make.episode(stale, world.ward_a, started=timedelta(days=20))
    add_plan(stale, days_ago=200)
    operations.recompute([with_plan.id, without.id, stale.id])
    assert {f.code for f in flags_of(with_plan)} & {"no_crisis_plan", "crisis_plan_stale"} == set()
    assert "no_crisis_plan" in {f.code for f in flags_of(without)}
    assert {f.code for f in flags_of(stale)} & {"no_crisis_plan", "crisis_plan_stale"} == {"crisis_plan_stale"}


def test_refresh_recomputes_only_queued_patients(world):
    quiet, changed = world.patient("Quiet"), world.patient("Changed")
    world.make.episode(quiet, world.ward_a)
    world.admit(changed, 5)
    assert queued() == {changed.id}
    counts = operations.refresh([quiet.id, changed.id])
    assert counts["patients"] == 1 and counts["opened"] == 1
    assert queued() == set() and flags_of(quiet) == []
    assert operations.refresh([changed.id]) == {}


def test_drain_works_through_the_queue_oldest_first(world):
    patients = [world.patient(f"P{n}") for n in range(3)]
    for patient in patients:
        world.admit(patient, 5)
    assert operations.drain(limit=2)["patients"] == 2
    assert queued() == {patients[2].id}
    assert operations.drain()["patients"] == 1 and queued() == set()


def test_sweep_covers_patients_in_care_and_unresolved_flags(world):
    cared_for = in_care(world, 2, with_history=False)
    discharged = world.patient("Discharged")
    episode = world.make.episode(discharged, world.ward_a, started=timedelta(days=20))
    operations.recompute([discharged.id])
    assert [f.code for f in flags_of(discharged)] == ["no_safety_person"]
    episode.ended_at = utcnow() - timedelta(days=1)  # behind the application's back: nothing is queued
    db.session.commit()
    assert set(operations.sweep_candidates(utcnow())) == {p.id for p in [*cared_for, discharged]}
    counts = operations.sweep()
    assert (counts["opened"], counts["resolved"], counts["patients"]) == (2, 1, 3)
    assert flags_of(discharged)[0].status == "resolved" and flags_of(discharged)[0].resolved_by is None


def test_flags_sweep_command(world, runner):
    in_care(world, 3, with_history=False)
    result = runner.invoke(args=["flags", "sweep"])
    assert result.exit_code == 0, result.output
    assert "3 patients: 3 flags opened, 0 updated, 0 resolved." in result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Flag)) == 3
    again = runner.invoke(args=["flags", "sweep"])
    assert "3 patients: 0 flags opened, 0 updated, 0 resolved." in again.output


def test_a_changed_detail_updates_the_open_flag(world):
    patient = world.patient()
    world.admit(patient, 300, 290)
    world.admit(patient, 200, 190)
    world.admit(patient, 20)
    before = world.open_flags(patient)["readmission_tipping_point"]
    world.admit(patient, 100, 95)
    after = world.open_flags(patient)["readmission_tipping_point"]
    assert after["id"] == before["id"] and after["detail"] == "4 admissions in 365 days."
    assert after["updated_at"] > before["updated_at"] and after["opened_at"] == before["opened_at"]


def test_reasons_follow_the_findings_and_fill_rows_stored_without_them(world):
    patient = world.patient()
    world.admit(patient, 300, 290)
    world.admit(patient, 200, 190)
    world.admit(patient, 20)
    flag = world.open_flags(patient)["readmission_tipping_point"]
    assert flag["reasons"] == [{"key": "readmissions", "params": {"count": 3, "days": 365}}]
    db.session.execute(sa.update(Flag).where(Flag.id == flag["id"]).values(reasons=None))  # as before the column
    db.session.commit()
    operations.recompute([patient.id])
    db.session.commit()
    again = world.open_flags(patient)["readmission_tipping_point"]
    assert again["reasons"] == flag["reasons"] and again["updated_at"] == flag["updated_at"]
    world.admit(patient, 100, 95)
    assert world.open_flags(patient)["readmission_tipping_point"]["reasons"] == [
        {"key": "readmissions", "params": {"count": 4, "days": 365}}]


@pytest.mark.parametrize("status", ["open", "acknowledged"])
def test_an_acknowledged_flag_resolves_by_itself_too(world, status):
    patient = world.patient()
    world.admit(patient, 5)
    flag = world.open_flags(patient)["no_safety_person"]
    if status == "acknowledged":
        assert world.leader.post(f"/api/v1/flags/{flag['id']}/acknowledge", json={"note": "Seen"}).status_code == 200
    world.name_safety_person(patient)
    assert world.open_flags(patient) == {}
    (stored,) = flags_of(patient)
    assert stored.status == "resolved" and stored.resolved_by is None


def test_the_sweep_raises_severity_as_time_passes(world):
    patient, known = world.patient(), world.professional("Dr Known")
    world.admit(patient, 60, 5)
    world.contact(patient, known, 30)
    world.admit(patient, 3, ward=world.ward_b)
    world.contact(patient, world.professional("Bob B", "nurse", world.ward_b), 1)
    assert world.open_flags(patient)["transition_without_known_professional"]["severity"] == "low"
    counts = operations.sweep(utcnow() + timedelta(days=5))
    db.session.commit()
    (flag,) = [f for f in flags_of(patient) if f.code == "transition_without_known_professional"]
    assert counts["updated"] >= 1 and flag.severity == "high" and "8 days ago" in flag.detail  # severity table


def test_maintenance_facts_come_from_active_plans_with_the_last_qualifying_contact(world):
    from wardtrack.reminders.models import MaintenancePlan

    patient, other = world.patient(), world.patient("Other")
    peter = world.professional("Peter", "psychologist")
    start = utcnow() - timedelta(days=100)
    plans = [MaintenancePlan(patient_id=patient.id, professional_id=peter.id, interval_days=30, started_at=start),
             MaintenancePlan(patient_id=other.id, professional_id=peter.id, interval_days=60, started_at=start,
                             any_contact_counts=True),
             MaintenancePlan(patient_id=other.id, professional_id=peter.id, started_at=start, ended_at=start)]
    db.session.add_all(plans)
    db.session.commit()
    add_contacts(patient, (peter, 50, "maintenance"), (peter, 10, "conversation"), (peter, 200, "maintenance"))
    add_contacts(other, (peter, 20, "phone"))
    found = facts.load_facts([patient.id, other.id], utcnow())
    [mine] = found[patient.id].maintenance
    assert (mine.plan_id, mine.professional_name, mine.interval_days) == (plans[0].id, "Peter", 30)
    assert abs((utcnow() - mine.since).days - 50) <= 1
    [theirs] = found[other.id].maintenance
    assert theirs.plan_id == plans[1].id and abs((utcnow() - theirs.since).days - 20) <= 1
