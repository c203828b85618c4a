"""Keeping flags, the people-met summary and the continuity snapshots up to date; the flag
lifecycle.

A change to a patient only enqueues them (one cheap INSERT in the request that made the change);
reads refresh the queued patients they show, `flask flags sweep` recomputes everyone in care for
time-based conditions. Recomputation is batched: a constant number of statements per batch.
"""

import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa

from wardtrack.audit.operations import assert_chain_locked, audited_write, lock_chain, record
from wardtrack.continuity.facts import Batch, load_batch
from wardtrack.continuity.measures import measure
from wardtrack.continuity.models import (
    WINDOWS,
    ContinuitySnapshot,
    Flag,
    PatientProfessional,
    RecomputeQueue,
    WardPolicy,
)
from wardtrack.continuity.rules import Finding, Policy, evaluate
from wardtrack.core.db import conflict_insert
from wardtrack.core.errors import Conflict
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.patients.models import Episode

_QUEUE = RecomputeQueue.__table__
BATCH_SIZE = 200
Key = tuple[int, str, str]  # (patient_id, code, subject)


def _insert(table):
    return conflict_insert(db.session.get_bind().dialect.name, table)


@functools.cache
def _enqueue_statement(dialect: str):
    return (conflict_insert(dialect, _QUEUE).values(patient_id=sa.bindparam("patient_id"),
                                                     queued_at=sa.bindparam("queued_at"))
            .on_conflict_do_nothing(index_elements=["patient_id"]))


def enqueue(patient_id: int) -> None:
    """Queue a patient for recomputation: one INSERT … ON CONFLICT DO NOTHING."""
    connection = db.session.connection()
    connection.execute(_enqueue_statement(connection.dialect.name),
                       {"patient_id": patient_id, "queued_at": utcnow()})


def on_patient_changed(_sender, patient_id: int, **_extra) -> None:
    # Never recompute inside the request that made the change: recording a contact must stay cheap.
    assert_chain_locked("Queueing a changed patient")
    enqueue(patient_id)


def enqueue_ward(ward_id: int) -> None:
    """Queue every patient with an active episode on a ward (one INSERT … SELECT); the chain's lock
    first."""
    assert_chain_locked("Queueing a ward's patients")
    patients = (sa.select(Episode.patient_id, sa.literal(utcnow(), type_=_QUEUE.c.queued_at.type))
                .where(Episode.ward_id == ward_id, Episode.ended_at.is_(None)).distinct())
    db.session.execute(_insert(_QUEUE).from_select(["patient_id", "queued_at"], patients)
                       .on_conflict_do_nothing(index_elements=["patient_id"]))


def _holding(batch: Batch, now: datetime) -> dict[Key, Finding]:
    return {(pid, f.code, f.subject): f for pid, facts in batch.facts.items()
            for f in evaluate(facts, batch.policies[pid], now)}


def _stored_flags(ids: list[int]) -> tuple[dict[Key, Flag], dict[Key, list[Flag]]]:
    """Unresolved flags by key, and resolved flags still suppressed by key."""
    unresolved: dict[Key, Flag] = {}
    suppressed: dict[Key, list[Flag]] = defaultdict(list)
    for flag in db.session.scalars(
        sa.select(Flag).where(
            Flag.patient_id.in_(ids), sa.or_(Flag.status != "resolved", Flag.suppressed.is_(True))
        )
    ):
        key = (flag.patient_id, flag.code, flag.subject)
        if flag.status != "resolved":
            unresolved[key] = flag
        else:
            suppressed[key].append(flag)
    return unresolved, suppressed


def _open_flags(rows: list[dict]) -> int:
    """Insert new flags; one that another worker opened meanwhile is left as it is."""
    if not rows:
        return 0
    statement = (
        _insert(Flag.__table__)
        .on_conflict_do_nothing(index_elements=["patient_id", "code", "subject"],
                                index_where=sa.text("status <> 'resolved'"))
        .returning(Flag.__table__.c.id)
    )
    return len(db.session.execute(statement, rows).all())


def _new_flag(key: Key, finding: Finding, now: datetime) -> dict:
    return {
        "patient_id": key[0],
        "code": key[1],
        "subject": key[2][:60],
        "severity": finding.severity,
        "status": "open",
        "detail": finding.detail[:1000],
        "reasons": _reasons(finding),
        "opened_at": now,
        "updated_at": now,
        "suppressed": False,
    }


def _reasons(finding: Finding) -> list[dict]:
    return [reason.as_dict() for reason in finding.reasons]


def _clear(
    unresolved: dict[Key, Flag], suppressed: dict[Key, list[Flag]], holding, now: datetime
) -> int:
    """Resolve (by nobody) the flags whose condition cleared, and lift suppression where it cleared
    once."""
    resolved = 0
    for key, flag in unresolved.items():
        if key not in holding:
            flag.status, flag.resolved_at, flag.updated_at = "resolved", now, now
            resolved += 1
    for key, flags in suppressed.items():
        if key not in holding:  # a returning condition opens a new flag again
            for flag in flags:
                flag.suppressed = False
    return resolved


def _sync_flags(ids: list[int], holding: dict[Key, Finding], now: datetime) -> Counter:
    """Open, update and resolve flags so that the unresolved ones match the findings that hold
    now."""
    unresolved, suppressed = _stored_flags(ids)
    counts, new = Counter(), []
    for key, finding in holding.items():
        flag = unresolved.get(key)
        if (
            flag is not None
            and (flag.severity, flag.detail) != (finding.severity, finding.detail[:1000])
        ):
            flag.severity, flag.detail, flag.updated_at = (finding.severity, finding.detail[:1000],
                                                           now)
            counts["updated"] += 1
        if flag is not None and flag.reasons != _reasons(finding):
            # also fills rows stored before reasons existed, without "updated"
            flag.reasons = _reasons(finding)
        elif flag is None and key not in suppressed:
            new.append(_new_flag(key, finding, now))
    counts["resolved"] = _clear(unresolved, suppressed, holding, now)
    db.session.flush()
    counts["opened"] = _open_flags(new)
    return counts


def _upsert(model, rows: list[dict], keys: list[str]) -> None:
    if not rows:
        return
    statement = _insert(model.__table__)
    changed = {name: statement.excluded[name] for name in rows[0] if name not in keys}
    db.session.execute(statement.on_conflict_do_update(index_elements=keys, set_=changed), rows)


def _store_summaries(batch: Batch, now: datetime) -> None:
    """Who each patient has met, and the 30- and 90-day measures, for reads that must not scan
    history."""
    met = [
        {
            "patient_id": pid,
            "professional_id": m.professional_id,
            "first_contact_at": m.first_contact_at,
            "last_contact_at": m.last_contact_at,
            "contacts": m.contacts,
        }
        for pid, people in batch.met.items()
        for m in people
    ]
    _upsert(PatientProfessional, met, ["patient_id", "professional_id"])
    snapshots = [{"patient_id": pid, "window_days": days, "computed_at": now,
                  **measure(facts.contacts, now - timedelta(days=days), now).as_dict()}
                 for pid, facts in batch.facts.items() for days in WINDOWS]
    _upsert(ContinuitySnapshot, snapshots, ["patient_id", "window_days"])


def _recompute(ids: list[int], now: datetime) -> tuple[Counter, dict[Key, Finding]]:
    batch = load_batch(ids, now)
    holding = _holding(batch, now)
    counts = _sync_flags(ids, holding, now)
    _store_summaries(batch, now)
    counts["patients"] += len(ids)
    return counts, holding


def _dequeue(ids: list[int]) -> list[int]:
    """Remove patients from the queue; the ones that were queued. On PostgreSQL a second worker
    waits on the row locks and then finds nothing to claim, so two reads do not recompute one
    patient at once."""
    statement = _QUEUE.delete().where(_QUEUE.c.patient_id.in_(ids)).returning(_QUEUE.c.patient_id)
    return list(db.session.scalars(statement))


def recompute(patient_ids: Iterable[int], now: datetime | None = None) -> Counter:
    """Recompute flags, people met and snapshots of these patients and take them off the queue.

    Returns counts of flags opened, updated and resolved (and of patients).
    """
    ids = sorted(set(patient_ids))
    if not ids:
        return Counter()
    _dequeue(ids)
    return _recompute(ids, now or utcnow())[0]


def refresh(patient_ids: Iterable[int], now: datetime | None = None) -> Counter:
    """Recompute those of these patients that are queued; reads call it before showing flags or
    measures.

    Reads record an audit event afterwards, while writers record theirs before queueing the patient:
    the audit chain's lock comes first here too, or the two would wait for each other.
    """
    ids = sorted(set(patient_ids))
    if ids:
        lock_chain()
    claimed = sorted(_dequeue(ids)) if ids else []
    return _recompute(claimed, now or utcnow())[0] if claimed else Counter()


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def drain(limit: int = 1000, now: datetime | None = None) -> Counter:
    """Recompute up to `limit` queued patients, oldest first, in batches."""
    ids = list(
        db.session.scalars(
            sa.select(_QUEUE.c.patient_id)
            .order_by(_QUEUE.c.queued_at, _QUEUE.c.patient_id)
            .limit(limit)
        )
    )
    totals = Counter()
    for chunk in _chunks(ids, BATCH_SIZE):
        totals += recompute(chunk, now)
    return totals


def sweep_candidates(now: datetime) -> list[int]:
    """Patients whose flags may change with time alone: in care, or with an unresolved or suppressed
    flag."""
    in_care = sa.select(Episode.patient_id).where(
        sa.or_(Episode.ended_at.is_(None), Episode.ended_at > now)
    )
    flagged = sa.select(Flag.patient_id).where(
        sa.or_(Flag.status != "resolved", Flag.suppressed.is_(True))
    )
    return sorted(db.session.scalars(sa.union(in_care, flagged)))


def sweep(now: datetime | None = None, patient_ids: list[int] | None = None,
          on_batch: Callable[[int], object] | None = None) -> Counter:
    """Recompute every sweep candidate (or the given patients) in batches; `on_batch(n)` reports
    progress."""
    now = now or utcnow()
    ids = sweep_candidates(now) if patient_ids is None else patient_ids
    totals = Counter()
    for chunk in _chunks(ids, BATCH_SIZE):
        totals += recompute(chunk, now)
        if on_batch is not None:
            on_batch(len(chunk))
    return totals


def _unsettled(flag: Flag) -> None:
    if flag.status == "resolved":
        raise Conflict(f"Flag {flag.id} is already resolved.")


@audited_write("flag")
def acknowledge(actor, flag: Flag, note: str) -> Flag:
    """A team leader has seen the flag: open → acknowledged, with a note; 409 unless open."""
    refresh([flag.patient_id])
    _unsettled(flag)
    if flag.status == "acknowledged":
        raise Conflict(f"Flag {flag.id} is already acknowledged.")
    now = utcnow()
    flag.status, flag.acknowledged_at, flag.acknowledged_by, flag.acknowledge_note = (
        "acknowledged",
        now,
        actor.id,
        note,
    )
    flag.updated_at = now
    db.session.flush()
    record("flag.acknowledge", patient_id=flag.patient_id, object_type="flag", object_id=flag.id)
    return flag


@audited_write("flag")
def resolve(actor, flag: Flag, note: str) -> Flag:
    """A team leader resolves the flag with a note; 409 when already resolved.

    While its condition still holds the flag is kept suppressed: no new flag opens for it until the
    condition has cleared once.
    """
    now = utcnow()
    _dequeue([flag.patient_id])
    _counts, holding = _recompute([flag.patient_id], now)
    _unsettled(flag)
    flag.status, flag.resolved_at, flag.resolved_by, flag.resolve_note = (
        "resolved",
        now,
        actor.id,
        note,
    )
    flag.updated_at = now
    flag.suppressed = (flag.patient_id, flag.code, flag.subject) in holding
    db.session.flush()
    record("flag.resolve", patient_id=flag.patient_id, object_type="flag", object_id=flag.id)
    return flag


@audited_write  # before queueing the ward's patients: writers queue a patient after taking it
def set_policy(actor, ward_id: int, thresholds: dict) -> WardPolicy:
    """Replace a ward's thresholds: names left out take the default; only values that differ are
    stored.

    The ward's patients are queued, so that their flags follow the new thresholds.
    """
    defaults = Policy()
    overrides = {
        name: value for name, value in thresholds.items() if value != getattr(defaults, name)
    }
    policy = db.session.get(WardPolicy, ward_id)
    if policy is None:
        policy = WardPolicy(ward_id=ward_id)
        db.session.add(policy)
    policy.thresholds, policy.updated_at, policy.updated_by = overrides, utcnow(), actor.id
    db.session.flush()
    enqueue_ward(ward_id)
    record("ward.policy.update", object_type="ward", object_id=ward_id)
    return policy
