"""The reminder sweep: every active plan that has come due gets exactly one reminder per local due
date.

due_at = (last qualifying contact at any time before, or else the plan's start) + interval − lead,
the lead being REMINDER_LEAD_DAYS but at most a third of the interval; due_on is that instant's date
in the ward's time zone. Rows go in with INSERT … ON CONFLICT (plan_id, due_on) DO NOTHING, so that
two sweeps racing (two processes, two hosts) still make one reminder.
"""

from collections import Counter
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from wardtrack.core.db import conflict_insert
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.reminders import queries
from wardtrack.reminders.models import PENDING, MaintenancePlan, Reminder
from wardtrack.reminders.timezones import local_date, plan_wards, ward_zones

DEFAULT_LEAD_DAYS = 21


def lead_time(interval_days: int | None = None) -> timedelta:
    """How long before an interval runs out its reminder is due: config REMINDER_LEAD_DAYS, capped
    at a third of a maintenance plan's interval (a 14-day plan made today is not due at once)."""
    lead = timedelta(days=current_app.config.get("REMINDER_LEAD_DAYS", DEFAULT_LEAD_DAYS))
    return lead if interval_days is None else min(lead, timedelta(days=interval_days) / 3)


def active_plans(now: datetime) -> list[tuple[MaintenancePlan, datetime]]:
    """Every active plan with its basis: the last qualifying contact at any time up to now, else the
    plan's start; the same basis as the maintenance_overdue flag
    (reminders.queries.active_plans)."""
    return [
        (plan, contact_at or plan.started_at)
        for plan, _name, contact_at in queries.active_plans(now)
    ]


def active_plan_count(now: datetime) -> int:
    """How many plans the sweep will look at."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(MaintenancePlan).where(
        MaintenancePlan.ended_at.is_(None), MaintenancePlan.started_at <= now))


def _insert(values: dict) -> bool:
    session = db.session()
    statement = (
        conflict_insert(session.get_bind().dialect.name, Reminder.__table__)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["plan_id", "due_on"])
        .returning(Reminder.id)
    )
    return session.execute(statement).scalar() is not None


def wake_snoozed(now: datetime) -> int:
    """Snoozed reminders whose snoozed_until has come (in their ward's time zone) are open again."""
    rows = db.session.execute(
        sa.select(Reminder.id, Reminder.ward_id, Reminder.snoozed_until).where(
            Reminder.status == "snoozed", Reminder.snoozed_until <= now.date() + timedelta(days=1)
        )
    ).all()
    zones = ward_zones(r.ward_id for r in rows)
    woken = [r.id for r in rows if r.snoozed_until <= local_date(now, r.ward_id, zones)]
    if woken:
        db.session.execute(
            sa.update(Reminder)
            .where(Reminder.id.in_(woken), Reminder.status == "snoozed")
            .values(status="open", snoozed_until=None)
        )
    return len(woken)


def _close_superseded(
    plans: list[tuple[MaintenancePlan, datetime]], now: datetime
) -> tuple[int, set[int]]:
    """Close pending reminders computed from an older basis than the plan's current one (a
    qualifying contact arrived by a path that sent no signal). Returns how many, and the plans still
    with a pending reminder: they get no second one (a contact entered late, from before the basis,
    moves the due date back but the reminder already stands)."""
    basis = {plan.id: at for plan, at in plans}
    pending = db.session.execute(
        sa.select(Reminder.id, Reminder.plan_id, Reminder.basis_at)
        .where(Reminder.status.in_(PENDING), Reminder.plan_id.in_(basis))).all() if basis else []
    stale = [r.id for r in pending if r.basis_at < basis[r.plan_id]]
    if stale:
        db.session.execute(sa.update(Reminder).where(Reminder.id.in_(stale))
                           .values(status="closed", closed_at=now))
    return len(stale), {r.plan_id for r in pending if r.basis_at >= basis[r.plan_id]}


def sweep_reminders(now: datetime | None = None, on_plan=None) -> Counter:
    """Create the reminders that have come due; flush only (the caller commits).

    Returns counts: plans, due, created, closed (superseded), woken (snoozed ones that reappear).
    `on_plan(n)` reports progress.
    """
    now = now or utcnow()
    counts = Counter(woken=wake_snoozed(now), due=0, created=0)
    plans = active_plans(now)
    counts["closed"], standing = _close_superseded(plans, now)
    counts["plans"] = len(plans)
    wards = plan_wards([(p.patient_id, p.professional_id) for p, _ in plans], now)
    zones = ward_zones(wards.values())
    for plan, basis in plans:
        due_at = basis + timedelta(days=plan.interval_days) - lead_time(plan.interval_days)
        if due_at <= now:
            counts["due"] += 1
        if due_at <= now and plan.id not in standing:
            ward_id = wards[(plan.patient_id, plan.professional_id)]
            counts["created"] += _insert(
                {
                    "plan_id": plan.id,
                    "patient_id": plan.patient_id,
                    "kind": "maintenance_due",
                    "due_on": local_date(due_at, ward_id, zones),
                    "due_at": due_at,
                    "basis_at": basis,
                    "professional_id": plan.professional_id,
                    "ward_id": ward_id,
                    "status": "open",
                    "created_at": now,
                }
            )
        if on_plan is not None:
            on_plan(1)
    return counts
