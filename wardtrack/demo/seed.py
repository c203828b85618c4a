"""The demo world: wards, staff, accounts, patients with two years of episodes, contacts and key
people.

Everything is flushed inside one transaction; the command commits. Contacts and episodes go in with
bulk inserts, and the seeding is one audit event ("demo.seed"), not one per row.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from wardtrack.audit.operations import record
from wardtrack.auth.models import User
from wardtrack.contacts.models import Contact
from wardtrack.core.time import utcnow
from wardtrack.crisisplans import envelope
from wardtrack.demo.catalogue import ALL_LOGINS, PATIENT_LOGINS, PROFILES, Login, Profile
from wardtrack.demo.checkins import check_ins, cycle_days
from wardtrack.demo.contacts import PatientContacts
from wardtrack.demo.names import Names, synthetic_identifier
from wardtrack.demo.plans import crisis_plan, maintenance_plan
from wardtrack.demo.staff import (
    LEADER_WARD,
    Roster,
    create_accounts,
    create_staff,
    create_wards,
)
from wardtrack.demo.timeline import Clock, EpisodePlan, plan_episodes
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional, Ward
from wardtrack.patients.models import Designation, Episode, Patient

DEFAULT_SEED = 424
#: The showcase patient's own check-in on a strained relationship was this long ago, on a safety
#: person named at least SAFETY_PERSON_SINCE before now (so that earlier check-ins show the trend).
STRAINED_AGO, SAFETY_PERSON_SINCE = timedelta(days=2), timedelta(days=60)
_CHUNK = 5000  # contacts per bulk insert, so that memory stays flat for large demos


def is_empty() -> bool:
    """True when the database has no wards yet: the only state the demo seeds."""
    return db.session.scalar(sa.select(Ward.id).limit(1)) is None


def present_logins() -> list[Login]:
    """The demo logins whose accounts exist in this database."""
    names = set(
        db.session.scalars(
            sa.select(User.username).where(User.username.in_([x.username for x in ALL_LOGINS]))
        )
    )
    return [login for login in ALL_LOGINS if login.username in names]


def _patients(rng: random.Random, names: Names, count: int) -> list[tuple[Patient, Profile]]:
    identifiers: set[str] = set()
    people = [
        (
            Patient(
                display_name=names.full_name(), identifier=synthetic_identifier(rng, identifiers)
            ),
            PROFILES[number % len(PROFILES)],
        )
        for number in range(count)
    ]
    db.session.add_all(patient for patient, _ in people)
    db.session.flush()
    return people


def _patient_logins(people: list[tuple[Patient, Profile]]) -> list[tuple[Login, int]]:
    """Each patient login goes to the first patient with its story."""
    found = []
    for login, profile in PATIENT_LOGINS:
        patient = next((p for p, story in people if story is profile), None)
        if patient is not None:
            found.append((login, patient.id))
    return found


@dataclass
class Demo:
    """The demo's fixed parts, made before the patients' histories are generated."""

    rng: random.Random
    clock: Clock
    roster: Roster
    people: list[tuple[Patient, Profile]]
    accounts: dict[str, int]
    seed_value: int


def prepare(patients: int = 40, seed_value: int = DEFAULT_SEED) -> Demo:
    """Wards, staff, patients and the demo accounts, flushed."""
    rng = random.Random(seed_value)  # noqa: S311  (made-up demo data, nothing secret)
    clock = Clock(utcnow().replace(second=0, microsecond=0))
    names = Names(rng)
    wards = create_wards()
    roster = create_staff(rng, names, wards, clock.today())
    people = _patients(rng, names, patients)
    accounts = create_accounts(roster, wards, _patient_logins(people))
    return Demo(rng, clock, roster, people, accounts, seed_value)


def populate(demo: Demo, progress: Callable[[int], None] = lambda _n: None) -> dict[str, int]:
    """Every patient's episodes, contacts and key people, flushed, and the one audit event of the
    seeding; progress(1) after each patient. The caller commits. Returns what was made, by kind."""
    counts = {"episodes": 0, "contacts": 0, "designations": 0, "admitted": 0, "crisis_plans": 0,
              "maintenance_plans": 0, "check_ins": 0}
    buffer: list[dict] = []
    ring, author = envelope.keyring(), _author(demo)
    # check-ins draw from a generator of their own, so that the rest of the demo stays as it was
    asking = random.Random(f"{demo.seed_value} check-ins")  # noqa: S311  (made-up demo data)
    days, strained = cycle_days(asking, demo.clock), True
    for patient, profile in demo.people:
        plans = plan_episodes(demo.rng, demo.clock, profile)
        maker = PatientContacts(demo.rng, demo.clock, demo.roster, patient.id, profile)
        buffer.extend(maker.generate(plans))
        db.session.execute(
            sa.insert(Episode), [_episode_row(patient.id, demo.roster, plan) for plan in plans]
        )
        designations = _designations(
            demo.rng, demo.clock, maker, profile, patient.id, demo.accounts["leader"]
        )
        db.session.add_all(designations)
        showcase = strained and _on_leader_ward(plans, designations, demo.clock.now)
        made = check_ins(asking, days, patient.id, plans, demo.roster.ward_ids, designations,
                         demo.clock.now - STRAINED_AGO if showcase else None)
        db.session.add_all(made)
        strained = strained and not showcase
        counts["check_ins"] += len(made)
        written = [
            crisis_plan(ring, demo.clock, profile, patient.id, author),
            maintenance_plan(demo.clock, maker, profile, patient.id, demo.accounts["leader"]),
        ]
        db.session.add_all(row for row in written if row is not None)
        counts["crisis_plans"] += written[0] is not None
        counts["maintenance_plans"] += written[1] is not None
        counts["episodes"] += len(plans)
        counts["designations"] += len(designations)
        counts["admitted"] += any(p.kind == "inpatient" and p.ended_at is None for p in plans)
        if len(buffer) >= _CHUNK:
            counts["contacts"] += _insert_contacts(buffer)
        progress(1)
    counts["contacts"] += _insert_contacts(buffer)
    db.session.flush()
    record("demo.seed", object_type="demo",
           object_id=f"seed {demo.seed_value}, {len(demo.people)} patients")
    professionals = db.session.scalar(sa.select(sa.func.count(Professional.id)))
    return {
        "wards": len(demo.roster.ward_ids),
        "professionals": professionals,
        "accounts": len(demo.accounts),
        "patients": len(demo.people),
        **counts,
    }


def _on_leader_ward(plans: list[EpisodePlan], designations: list[Designation],
                    now: datetime) -> bool:
    """Whether the patient has been in the team leader's ward since before STRAINED_AGO, with a
    safety person named at least SAFETY_PERSON_SINCE ago."""
    at = now - STRAINED_AGO
    return (any(p.ward == LEADER_WARD and p.ended_at is None and p.covers(at) for p in plans)
            and any(d.kind == "safety_person" and d.ended_at is None
                    and d.started_at <= now - SAFETY_PERSON_SINCE for d in designations))


def _author(demo: Demo) -> tuple[int, str]:
    """The demo team leader, who wrote the demo's crisis plans with the patients."""
    user = db.session.get(User, demo.accounts["leader"])
    professional = (
        db.session.get(Professional, user.professional_id) if user.professional_id else None
    )
    return user.id, professional.name if professional else user.username


def seed(patients: int = 40, seed_value: int = DEFAULT_SEED) -> dict[str, int]:
    """The whole demo in one call, flushed; the caller commits."""
    return populate(prepare(patients, seed_value))


def _insert_contacts(buffer: list[dict]) -> int:
    count = len(buffer)
    if buffer:
        db.session.execute(sa.insert(Contact), buffer)
        buffer.clear()
    return count


def _episode_row(patient_id: int, roster: Roster, plan: EpisodePlan) -> dict:
    # A room for every stay (from the patient's id, so the seed's random draws stay as they were):
    # the log page shows it to tell patients of one name apart.
    location = f"Room {patient_id % 18 + 1}" if plan.kind == "inpatient" else None
    return {
        "patient_id": patient_id,
        "ward_id": roster.ward_ids[plan.ward],
        "kind": plan.kind,
        "legal_status": plan.legal_status,
        "started_at": plan.started_at,
        "ended_at": plan.ended_at,
        "location": location,
    }


def _named_after(rng: random.Random, clock: Clock, maker: PatientContacts, professional_id: int,
                 days: tuple[int, int]) -> datetime:
    """When a key person was named: some days after the patient first met them, and in the past."""
    first = maker.first_met(professional_id) or clock.now - timedelta(days=days[1])
    return min(first + timedelta(days=rng.randint(*days)), clock.now - timedelta(hours=2))


def _designations(rng: random.Random, clock: Clock, maker: PatientContacts, profile: Profile,
                  patient_id: int, leader_id: int) -> list[Designation]:
    """Safety person (most patients; some changed theirs once), primary contact and therapist."""
    homes = [e.ward for e in maker.episodes if e.kind == "outpatient" and e.ward != "crisis"]
    seen = maker.most_seen(homes[-1:])
    made = _safety_persons(rng, clock, maker, profile, seen) if profile.safety_person else []
    current = [s for s in maker.stays if s.ended_at is None]
    if current and maker.cores.get((current[-1].ward, "nurse")):
        since = min(current[-1].started_at + timedelta(days=1), clock.now - timedelta(hours=1))
        made.append(
            ("primary_contact", maker.cores[(current[-1].ward, "nurse")][0], since, None, False)
        )
    elif seen:
        made.append(
            ("primary_contact", seen[0], _named_after(rng, clock, maker, seen[0], (10, 30)), None,
             False)
        )
    therapist = (
        (maker.cores.get(("clinic", "psychologist")) or [None])[0]
        if homes[-1:] == ["clinic"]
        else None
    )
    if therapist is not None:
        made.append(
            ("therapist", therapist, _named_after(rng, clock, maker, therapist, (10, 30)), None,
             False)
        )
    return [
        Designation(patient_id=patient_id, kind=kind, professional_id=professional_id,
                    started_at=since, ended_at=ended, chosen_by_patient=chosen,
                    created_by=leader_id)
        for kind, professional_id, since, ended, chosen in made
    ]


def _safety_persons(rng: random.Random, clock: Clock, maker: PatientContacts, profile: Profile,
                    seen: list[int]) -> list[tuple]:
    """The one they see most (or their maintenance nurse); now and then an earlier one, ended."""
    safety = maker.first_primary if profile.maintenance else next(iter(seen), None)
    if safety is None:
        return []
    since = _named_after(rng, clock, maker, safety, (7, 60))
    made = []
    earlier = next((p for p in seen if p != safety), None)
    if earlier is not None and rng.random() < 0.3:
        before = _named_after(rng, clock, maker, earlier, (7, 30))
        if before < since:
            made.append(("safety_person", earlier, before, since, True))
    made.append(("safety_person", safety, since, None, rng.random() < 0.85))
    return made
