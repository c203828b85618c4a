"""What the flag rules need, loaded for many patients at once with a constant number of queries.

Only the recent contacts are loaded (HISTORY_DAYS); older history is summarised per (patient,
professional) by one GROUP BY, whose first and last contacts become ContactFact rows, so that "met
before" (kpc, stranger decisions, transitions) and "new in the window" stay right without reading
a patient's whole history.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

import sqlalchemy as sa

from wardtrack.checkins.models import DIALOG_ITEMS, RELATIONSHIP_ITEMS, CheckIn, CheckInItem
from wardtrack.checkins.queries import mean_score
from wardtrack.contacts.models import Contact, is_counted
from wardtrack.continuity.models import WardPolicy
from wardtrack.continuity.rules import (
    AttendingFact,
    ContactFact,
    DialogCheckInFact,
    EpisodeFact,
    MaintenanceFact,
    PatientFacts,
    Policy,
    RelationshipCheckInFact,
)
from wardtrack.core.time import utcnow
from wardtrack.crisisplans.models import CrisisPlanVersion
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional, Ward
from wardtrack.patients.models import Designation, Episode
from wardtrack.reminders import queries as maintenance
from wardtrack.reminders.models import MaintenancePlan

#: Contacts younger than this are loaded one by one. It covers every contact window a policy may set
#: (the policy schema caps those at 365 days) and the 90-day measures.
HISTORY_DAYS = 400

@dataclass(frozen=True)
class Met:
    """A (patient, professional) summary over all history: PatientProfessional in the making."""

    professional_id: int
    profession: str
    name: str
    first_contact_at: datetime
    last_contact_at: datetime
    contacts: int


@dataclass
class Batch:
    """Everything recomputation needs for a set of patients."""

    facts: dict[int, PatientFacts] = field(default_factory=dict)
    policies: dict[int, Policy] = field(default_factory=dict)
    met: dict[int, list[Met]] = field(default_factory=dict)


def _episodes(patient_ids: list[int]) -> dict[int, list[EpisodeFact]]:
    rows = db.session.execute(
        sa.select(Episode.patient_id, Episode.id, Episode.ward_id, Episode.kind, Episode.started_at,
                  Episode.ended_at, Ward.name)
        .join(Ward, Ward.id == Episode.ward_id)
        .where(Episode.patient_id.in_(patient_ids)).order_by(Episode.started_at, Episode.id))
    found: dict[int, list[EpisodeFact]] = defaultdict(list)
    for patient_id, *values in rows:
        found[patient_id].append(EpisodeFact(*values))
    return found


def _recent_contacts(patient_ids: list[int], since: datetime) -> dict[int, list[ContactFact]]:
    rows = db.session.execute(
        sa.select(Contact.patient_id, Contact.occurred_at, Contact.id, Contact.professional_id,
                  Professional.profession, Contact.kind, Professional.name)
        .join(Professional, Professional.id == Contact.professional_id)
        .where(Contact.patient_id.in_(patient_ids), is_counted(), Contact.occurred_at >= since))
    found: dict[int, list[ContactFact]] = defaultdict(list)
    for patient_id, *values in rows:
        found[patient_id].append(ContactFact(*values))
    return found


def _met(patient_ids: list[int]) -> dict[int, list[Met]]:
    """Per patient, everyone they have ever met, with first and last contact and how often."""
    rows = db.session.execute(
        sa.select(Contact.patient_id, Contact.professional_id, Professional.profession,
                  Professional.name, sa.func.min(Contact.occurred_at),
                  sa.func.max(Contact.occurred_at), sa.func.count())
        .join(Professional, Professional.id == Contact.professional_id)
        .where(Contact.patient_id.in_(patient_ids), is_counted())
        .group_by(
            Contact.patient_id, Contact.professional_id, Professional.profession, Professional.name
        )
    )
    found: dict[int, list[Met]] = defaultdict(list)
    for patient_id, *values in rows:
        found[patient_id].append(Met(*values))
    return found


def _summary_contacts(met: Iterable[Met], since: datetime) -> list[ContactFact]:
    """Older history as ContactFact rows: the first and last contact before `since` of each person
    met.

    Ids are negative so that they never clash with real contacts; their kind makes no decision.
    """
    rows = []
    for person in met:
        for n, at in enumerate({person.first_contact_at, person.last_contact_at}):
            if at < since:
                rows.append(
                    ContactFact(at, -(person.professional_id * 2 + n), person.professional_id,
                                person.profession, "conversation", person.name)
                )
    return rows


def _designations(patient_ids: list[int], since: datetime) -> tuple[
        dict[int, set[int]], dict[int, list[AttendingFact]]]:
    """Per patient, the professionals who are their safety person now, and their attending doctors
    since `since`; one query."""
    safe: dict[int, set[int]] = defaultdict(set)
    attending: dict[int, list[AttendingFact]] = defaultdict(list)
    for row in db.session.execute(
            sa.select(Designation.patient_id, Designation.professional_id, Designation.kind,
                      Designation.started_at, Designation.ended_at, Professional.name)
            .join(Professional, Professional.id == Designation.professional_id)
            .where(Designation.patient_id.in_(patient_ids), sa.or_(
                sa.and_(Designation.kind == "safety_person", Designation.ended_at.is_(None)),
                sa.and_(Designation.kind == "attending_doctor",
                        sa.or_(Designation.ended_at.is_(None), Designation.ended_at >= since))))):
        if row.kind == "safety_person":
            safe[row.patient_id].add(row.professional_id)
        else:
            attending[row.patient_id].append(
                AttendingFact(row.professional_id, row.name, row.started_at, row.ended_at))
    return safe, attending


@dataclass
class _Rated:
    patient_id: int
    kind: str
    professional_id: int | None
    rank: int
    name: str | None
    scores: dict[str, int] = field(default_factory=dict)
    more_help: set[str] = field(default_factory=set)


def _check_ins(patient_ids: list[int], safe: dict[int, set[int]]) -> tuple[
        dict[int, list[RelationshipCheckInFact]], dict[int, DialogCheckInFact]]:
    """Per patient, the latest check-in on each professional with the one before it, and the latest
    life-and-care check-in, with their item scores: one query for all patients."""
    rank = sa.func.row_number().over(
        partition_by=(CheckIn.patient_id, CheckIn.kind, CheckIn.professional_id),
        order_by=(CheckIn.created_at.desc(), CheckIn.id.desc()))
    recent = (sa.select(CheckIn.id, CheckIn.patient_id, CheckIn.kind, CheckIn.professional_id,
                        rank.label("rank"))
              .where(CheckIn.patient_id.in_(patient_ids)).subquery())
    rows = db.session.execute(
        sa.select(recent.c.id, recent.c.patient_id, recent.c.kind, recent.c.professional_id,
                  recent.c.rank, Professional.name, CheckInItem.item, CheckInItem.score,
                  CheckInItem.more_help)
        .join(CheckInItem, CheckInItem.check_in_id == recent.c.id)
        .outerjoin(Professional, Professional.id == recent.c.professional_id)
        .where(sa.or_(recent.c.rank == 1,
                      sa.and_(recent.c.kind == "relationship", recent.c.rank == 2))))
    rated: dict[int, _Rated] = {}
    for check_in_id, patient_id, kind, professional_id, n, name, item, score, help_ in rows:
        entry = rated.setdefault(check_in_id, _Rated(patient_id, kind, professional_id, n, name))
        entry.scores[item] = score
        if help_:
            entry.more_help.add(item)
    previous = {(r.patient_id, r.professional_id): mean_score(r.scores, RELATIONSHIP_ITEMS)
                for r in rated.values() if r.kind == "relationship" and r.rank == 2}
    relationships: dict[int, list[RelationshipCheckInFact]] = defaultdict(list)
    dialogs: dict[int, DialogCheckInFact] = {}
    for check_in_id, r in sorted(rated.items()):
        if r.rank != 1:
            continue
        if r.kind == "dialog":
            dialogs[r.patient_id] = DialogCheckInFact(
                check_in_id, tuple(item for item in DIALOG_ITEMS if item in r.more_help))
        else:
            relationships[r.patient_id].append(RelationshipCheckInFact(
                check_in_id, r.professional_id, r.name, mean_score(r.scores, RELATIONSHIP_ITEMS),
                previous.get((r.patient_id, r.professional_id)),
                r.professional_id in safe.get(r.patient_id, ())))
    return relationships, dialogs


def _crisis_plan_versions(patient_ids: list[int]) -> dict[int, list[datetime]]:
    """When each patient's crisis-plan versions were written, oldest first, in one query for all
    patients."""
    rows = db.session.execute(
        sa.select(CrisisPlanVersion.patient_id, CrisisPlanVersion.created_at)
        .where(CrisisPlanVersion.patient_id.in_(patient_ids))
        .order_by(CrisisPlanVersion.created_at)
    )
    found: dict[int, list[datetime]] = defaultdict(list)
    for patient_id, created_at in rows:
        found[patient_id].append(created_at)
    return found


def _maintenance(patient_ids: list[int], now: datetime) -> dict[int, list[MaintenanceFact]]:
    """Each active maintenance plan of these patients with its basis
    (reminders.queries.active_plans)."""
    found: dict[int, list[MaintenanceFact]] = defaultdict(list)
    for plan, name, contact_at in maintenance.active_plans(now, patient_ids):
        found[plan.patient_id].append(MaintenanceFact(
            plan.id, name, plan.interval_days, contact_at or plan.started_at,
            "any" if plan.any_contact_counts else "maintenance", plan.professional_id, contact_at))
    return found


def maintenance_plans(patient_ids: list[int], now: datetime) -> dict[int, list[MaintenanceFact]]:
    """The active maintenance plans of these patients with their basis, for the ward board. Contacts
    are read (one indexed MAX per plan) only when there is a plan at all."""
    ids, plan = sorted(set(patient_ids)), MaintenancePlan
    if (
        not ids
        or db.session.scalar(
            sa.select(plan.id)
            .where(plan.patient_id.in_(ids), plan.ended_at.is_(None), plan.started_at <= now)
            .limit(1)
        )
        is None
    ):
        return {}
    return _maintenance(ids, now)


def _current_ward(episodes: list[EpisodeFact], now: datetime) -> int | None:
    """The ward of the active episode, by the rule of patients.queries.current_first on facts
    already loaded."""
    active = [
        e for e in episodes if e.started_at <= now and (e.ended_at is None or e.ended_at > now)
    ]
    if not active:
        return None
    return min(active, key=lambda e: (e.kind, -e.started_at.timestamp(), -e.id)).ward_id


_KINDS = {f.name: f.type for f in fields(Policy)}


def policy_from(overrides: dict | None) -> Policy:
    """The defaults with a ward's stored overrides on top; names no longer known are ignored."""
    known = {name: value for name, value in (overrides or {}).items() if name in _KINDS}
    return Policy(**known)


def _policies(
    episodes: dict[int, list[EpisodeFact]], patient_ids: list[int], now: datetime
) -> dict[int, Policy]:
    wards = {pid: _current_ward(episodes.get(pid, []), now) for pid in patient_ids}
    wanted = {ward for ward in wards.values() if ward is not None}
    rows = db.session.execute(sa.select(WardPolicy.ward_id, WardPolicy.thresholds)
                              .where(WardPolicy.ward_id.in_(wanted))).all() if wanted else []
    overrides = {ward_id: thresholds for ward_id, thresholds in rows}
    return {pid: policy_from(overrides.get(ward)) for pid, ward in wards.items()}


def load_batch(patient_ids: Iterable[int], now: datetime) -> Batch:
    """Facts, policies and the people met, for all these patients, in a constant number of
    queries."""
    ids = sorted(set(patient_ids))
    if not ids:
        return Batch()
    since = now - timedelta(days=HISTORY_DAYS)
    episodes, recent, met = _episodes(ids), _recent_contacts(ids, since), _met(ids)
    (safe, attending), plans, maintenance = (_designations(ids, since), _crisis_plan_versions(ids),
                                             _maintenance(ids, now))
    relationships, dialogs = _check_ins(ids, safe)
    batch = Batch(
        policies=_policies(episodes, ids, now), met={pid: met.get(pid, []) for pid in ids}
    )
    for pid in ids:
        contacts = recent.get(pid, []) + _summary_contacts(met.get(pid, []), since)
        batch.facts[pid] = PatientFacts(
            episodes=episodes.get(pid, []), contacts=contacts, has_safety_person=bool(safe.get(pid)),
            crisis_plan_versions=plans.get(pid, ()), maintenance=maintenance.get(pid, ()),
            relationship_check_ins=relationships.get(pid, ()), dialog_check_in=dialogs.get(pid),
            attending_doctors=attending.get(pid, ()))
    return batch


def load_facts(patient_ids: Iterable[int], now: datetime) -> dict[int, PatientFacts]:
    """PatientFacts for each patient, in a constant number of queries whatever their number."""
    return load_batch(patient_ids, now).facts


def policies_for(patient_ids: Iterable[int], now: datetime | None = None) -> dict[int, Policy]:
    """Each patient's policy: the ward of their active episode's overrides on the defaults (two
    queries)."""
    ids = sorted(set(patient_ids))
    if not ids:
        return {}
    now = now or utcnow()
    active = db.session.execute(
        sa.select(Episode.patient_id, Episode.id, Episode.ward_id, Episode.kind, Episode.started_at,
                  Episode.ended_at).where(
            Episode.patient_id.in_(ids), sa.or_(Episode.ended_at.is_(None), Episode.ended_at > now)
        )
    )
    episodes: dict[int, list[EpisodeFact]] = defaultdict(list)
    for patient_id, *values in active:
        episodes[patient_id].append(EpisodeFact(*values))
    return _policies(episodes, ids, now)
