"""`flask demo seed`: what it makes, that it is sound, and that it only ever fills an empty database."""

from collections import defaultdict
from datetime import timedelta

import pytest
import sqlalchemy as sa

from wardtrack.audit.models import AuditEvent
from wardtrack.auth.models import User
from wardtrack.checkins.models import CheckIn
from wardtrack.contacts.models import Contact
from wardtrack.continuity.models import Flag
from wardtrack.core.time import utcnow
from wardtrack.demo.catalogue import LEADER_PASSWORD
from wardtrack.extensions import db
from wardtrack.organisation.models import PROFESSIONS, Professional, Ward
from wardtrack.patients.models import Designation, Episode, Patient

PATIENTS = 8


@pytest.fixture
def seeded(runner):
    result = runner.invoke(args=["demo", "seed", "--patients", str(PATIENTS)])
    assert result.exit_code == 0, result.output
    return result


def printed_logins(output: str) -> list[tuple[str, str, str]]:
    """(username, password, role) rows of the printed login table."""
    lines = output.split("Demo logins", 1)[1].splitlines()[2:]
    return [tuple(line.split()[:3]) for line in lines if line.startswith("  ")]


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_seed_makes_a_demo_world(seeded):
    assert count(Patient) == PATIENTS
    settings = set(db.session.scalars(sa.select(Ward.setting)))
    assert {"acute_ward", "community_mental_health_centre", "assertive_outreach_team", "outpatient_clinic",
            "crisis_resolution_team"} <= settings
    assert set(db.session.scalars(sa.select(Professional.profession))) == set(PROFESSIONS) - {"other"}
    assert db.session.scalar(sa.select(sa.func.count()).where(Professional.work_phone.is_(None))) > 0  # locums
    span = sa.select(sa.func.min(Contact.occurred_at), sa.func.max(Contact.occurred_at))
    first, last = db.session.execute(span).one()
    now = utcnow()
    assert now - first > timedelta(days=540) and now - last < timedelta(days=1)
    assert count(Contact) > 100 * PATIENTS
    admitted = db.session.scalars(sa.select(Episode.patient_id).distinct().where(
        Episode.kind == "inpatient", Episode.ended_at.is_(None))).all()
    assert len(admitted) == PATIENTS // 2
    assert "Seeded in" in seeded.output and f"{PATIENTS} patients" in seeded.output


def test_contacts_are_in_the_past_with_aware_times(seeded):
    now = utcnow()
    rows = db.session.execute(sa.select(Contact.occurred_at, Contact.received_at, Contact.kind)).all()
    for occurred, received, _kind in rows:
        assert occurred.tzinfo is not None and received.tzinfo is not None
        assert occurred < received <= now
    kinds = {kind for *_, kind in rows}
    assert {"conversation", "group", "phone", "medication", "decision", "admission", "discharge"} <= kinds
    nurse_ids = set(db.session.scalars(sa.select(User.id).where(User.role.in_(("nurse", "team_leader")))))
    logged_by = set(db.session.scalars(sa.select(Contact.logged_by).distinct()))
    assert logged_by - {None} and logged_by - {None} <= nurse_ids


def test_inpatient_episodes_never_overlap(seeded):
    stays = defaultdict(list)
    for episode in db.session.scalars(sa.select(Episode)):
        assert episode.started_at < utcnow()
        assert episode.ended_at is None or episode.started_at < episode.ended_at <= utcnow()
        if episode.kind == "inpatient":
            stays[episode.patient_id].append(episode)
    for episodes in stays.values():
        episodes.sort(key=lambda e: e.started_at)
        for before, after in zip(episodes, episodes[1:], strict=False):
            assert before.ended_at is not None and before.ended_at <= after.started_at


def test_safety_persons(seeded):
    active = db.session.execute(sa.select(Designation.patient_id, sa.func.count()).where(
        Designation.kind == "safety_person", Designation.ended_at.is_(None)).group_by(Designation.patient_id)).all()
    assert all(n == 1 for _, n in active)
    assert 0 < len(active) < PATIENTS  # most, not all
    primaries = db.session.scalar(sa.select(sa.func.count()).where(
        Designation.kind == "primary_contact", Designation.ended_at.is_(None)))
    assert primaries == PATIENTS


def test_the_continuity_flags_have_something_to_show(seeded):
    """High doctor turnover, decisions by strangers, readmissions and long stays are all in the demo."""
    now = utcnow()
    doctors = set(db.session.scalars(sa.select(Professional.id).where(
        Professional.profession.in_(("doctor", "psychiatrist")))))
    recent = db.session.execute(sa.select(Contact.patient_id, Contact.professional_id).where(
        Contact.occurred_at >= now - timedelta(days=30))).all()
    per_patient = defaultdict(set)
    for patient_id, professional_id in recent:
        if professional_id in doctors:
            per_patient[patient_id].add(professional_id)
    assert any(len(seen) >= 4 for seen in per_patient.values())
    assert sum(len(seen) >= 4 for seen in per_patient.values()) < PATIENTS / 2
    assert _stranger_decisions() > 0
    starts = defaultdict(list)
    long_stay = False
    for episode in db.session.scalars(sa.select(Episode).where(Episode.kind == "inpatient")):
        starts[episode.patient_id].append(episode.started_at)
        long_stay |= (episode.ended_at or now) - episode.started_at > timedelta(days=28)
    assert long_stay
    assert any(sum(s > now - timedelta(days=365) for s in dates) >= 3 for dates in starts.values())


def _stranger_decisions() -> int:
    """Decisions by someone with no earlier contact, more than a day into every current episode."""
    episodes = defaultdict(list)
    for episode in db.session.scalars(sa.select(Episode)):
        episodes[episode.patient_id].append(episode)
    met, found = defaultdict(set), 0
    for contact in db.session.scalars(sa.select(Contact).order_by(Contact.occurred_at, Contact.id)):
        if contact.kind == "decision" and contact.professional_id not in met[contact.patient_id]:
            at = contact.occurred_at
            starts = [e.started_at for e in episodes[contact.patient_id]
                      if e.started_at <= at and (e.ended_at is None or e.ended_at > at)]
            found += not starts or contact.occurred_at - max(starts) > timedelta(hours=24)
        met[contact.patient_id].add(contact.professional_id)
    return found


def test_a_printed_patient_login_works(seeded, client):
    patients = [row for row in printed_logins(seeded.output) if row[2] == "patient"]
    assert 2 <= len(patients) <= 3
    username, password, _ = patients[0]
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["user"]["patient_id"] is not None
    roles = {row[2] for row in printed_logins(seeded.output)}
    assert roles == {"admin", "team_leader", "nurse", "patient"}


def test_a_second_run_refuses(seeded, runner):
    contacts = count(Contact)
    result = runner.invoke(args=["demo", "seed", "--patients", "2"])
    assert result.exit_code == 1
    assert "already has wards" in result.output
    assert count(Contact) == contacts


def test_if_empty_on_a_seeded_database_prints_the_logins(seeded, runner):
    contacts = count(Contact)
    result = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "nothing seeded" in result.output
    assert printed_logins(result.output) == printed_logins(seeded.output)
    assert count(Contact) == contacts


def test_if_empty_on_an_empty_database_seeds(runner):
    result = runner.invoke(args=["demo", "seed", "--if-empty", "--patients", "3"])
    assert result.exit_code == 0, result.output
    assert count(Patient) == 3
    assert len([row for row in printed_logins(result.output) if row[2] == "patient"]) == 2


def test_the_audit_chain_holds_one_seeding_event(seeded, runner):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert actions.count("demo.seed") == 1
    assert len(actions) < 20  # one per account and one for the rest, never one per row


def test_same_seed_same_demo(app, runner, monkeypatch):
    now = utcnow()
    monkeypatch.setattr("wardtrack.demo.seed.utcnow", lambda: now)

    def seed_and_read():
        result = runner.invoke(args=["demo", "seed", "--patients", "3", "--seed", "7"])
        assert result.exit_code == 0, result.output
        return (db.session.execute(sa.select(Patient.display_name, Patient.identifier).order_by(Patient.id)).all(),
                db.session.execute(sa.select(Contact.kind, Contact.occurred_at, Contact.client_id)
                                   .order_by(Contact.id)).all(),
                [(row.kind, row.created_at, row.share, row.scores)
                 for row in db.session.scalars(sa.select(CheckIn).order_by(CheckIn.id))])

    first = seed_and_read()
    for table in ("check_in_items", "check_in_texts", "check_ins", "maintenance_plans", "crisis_plan_versions",
                  "flags", "continuity_snapshots", "patient_professionals", "flag_recompute_queue", "designations",
                  "contacts", "episodes", "user_wards", "users", "patients", "ward_memberships",
                  "professionals", "wards"):  # the audit trail stays: it is append-only
        db.session.execute(sa.text(f"DELETE FROM {table}"))  # noqa: S608  (fixed table names)
    db.session.commit()
    assert seed_and_read() == first


def test_refuses_in_production(app, runner):
    app.config["WARDTRACK_ENV"] = "production"
    result = runner.invoke(args=["demo", "seed", "--patients", "2"])
    assert result.exit_code == 1
    assert "production" in result.output
    assert count(Ward) == 0


def test_the_seeded_demo_has_continuity_flags(runner):
    result = runner.invoke(args=["demo", "seed", "--patients", "10"])
    assert result.exit_code == 0, result.output
    codes = set(db.session.scalars(sa.select(Flag.code).where(Flag.status == "open")))
    assert codes and "open flags" in result.output


def test_a_year_of_check_ins_made_in_care_on_the_people_of_the_moment(seeded):
    now = utcnow()
    rows = db.session.scalars(sa.select(CheckIn)).all()
    assert len(rows) > 10 * PATIENTS
    assert now - min(row.created_at for row in rows) > timedelta(days=300)
    assert max(row.created_at for row in rows) < now
    for row in rows:
        during = sa.select(Episode.id).where(
            Episode.patient_id == row.patient_id, Episode.ward_id == row.ward_id,
            Episode.started_at <= row.created_at,
            sa.or_(Episode.ended_at.is_(None), Episode.ended_at > row.created_at))
        assert db.session.scalar(during.limit(1)) is not None, row.id
        if row.kind == "relationship":
            named = sa.select(Designation.id).where(
                Designation.patient_id == row.patient_id,
                Designation.professional_id == row.professional_id,
                Designation.started_at <= row.created_at,
                sa.or_(Designation.ended_at.is_(None), Designation.ended_at > row.created_at))
            assert db.session.scalar(named.limit(1)) is not None, row.id
    days = [(row.patient_id, row.kind, row.professional_id, row.created_at.date()) for row in rows]
    assert len(days) == len(set(days))  # one check-in a person a day
    assert {row.share for row in rows} == {"ward", "team_leader", "team_leader_and_person"}


def test_the_team_leader_sees_a_strained_safety_person_and_a_request_for_help(seeded, client):
    leader_ward = db.session.scalar(sa.select(Ward.id).where(Ward.name == "Akuttpost 1"))
    asked = db.session.scalars(sa.select(CheckIn).where(CheckIn.kind == "dialog",
                                                        CheckIn.ward_id == leader_ward)).all()
    patient_id = next(row.patient_id for row in asked if row.more_help == ["accommodation"])
    response = client.post("/api/v1/auth/login",
                           json={"username": "leader", "password": LEADER_PASSWORD})
    assert response.status_code == 200, response.get_json()
    seen = client.get(f"/api/v1/patients/{patient_id}/check-ins?limit=100").get_json()["items"]
    latest = next(item for item in seen if item["kind"] == "relationship")
    earlier = next(item for item in seen if item["kind"] == "relationship"
                   and item["professional_id"] == latest["professional_id"]
                   and item["id"] != latest["id"])
    assert latest["score"] < 1.5 and earlier["score"] - latest["score"] >= 1.0
    assert latest["ward_id"] == leader_ward and latest["share"] == "team_leader"
    safety_person = sa.select(Designation.professional_id).where(
        Designation.patient_id == patient_id, Designation.kind == "safety_person",
        Designation.ended_at.is_(None))
    assert db.session.scalar(safety_person) == latest["professional_id"]
    assert next(item for item in seen if item["kind"] == "dialog")["more_help"] == ["accommodation"]
