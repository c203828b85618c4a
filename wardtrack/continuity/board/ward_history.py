"""The ward picture of continuity over time: per week, the share of the ward's patients with a
safety person and the median known-provider continuity (kpc) of their contacts that week.

Computed on request from episodes, designations and contacts of the patients in care on the ward
during the window (snapshots hold only the latest measures), in four statements whatever the number
of weeks or patients.
"""

from collections import defaultdict
from datetime import datetime, timedelta
from statistics import median

import sqlalchemy as sa

from wardtrack.contacts.models import Contact, is_counted
from wardtrack.continuity.measures import ContactPoint, measure
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.patients.models import Designation, Episode

Interval = tuple[datetime, datetime | None]


def _active(intervals: list[Interval], at: datetime) -> bool:
    return any(start <= at and (end is None or end > at) for start, end in intervals)


def weekly_picture(
    bounds: list[tuple[datetime, datetime]],
    episodes: dict[int, list[Interval]],
    safety: dict[int, list[Interval]],
    history: dict[int, list[ContactPoint]],
) -> list[dict]:
    """Pure: one item per (start, end) week.

    A patient counts for a week when one of their episodes on the ward is active at the week's end;
    they have a safety person when a safety-person designation is active then. kpc is each such
    patient's own over the week's contacts (earlier contacts decide who is known); the median is
    over patients with at least one contact that week, null when none had one.
    """
    items = []
    for start, end in bounds:
        in_care = [patient for patient, spans in episodes.items() if _active(spans, end)]
        with_safety = sum(_active(safety.get(patient, []), end) for patient in in_care)
        kpcs, contacts = [], 0
        for patient in in_care:
            # The week is half-open [start, end): measure()'s end is inclusive, so stop just before
            # it.
            result = measure(history.get(patient, []), start, end - timedelta(microseconds=1))
            contacts += result.contacts
            if result.kpc is not None:
                kpcs.append(result.kpc)
        items.append(
            {
                "week_start": start,
                "week_end": end,
                "patients": len(in_care),
                "with_safety_person": with_safety,
                "safety_person_share": with_safety / len(in_care) if in_care else None,
                "contacts": contacts,
                "patients_with_contacts": len(kpcs),
                "median_kpc": median(kpcs) if kpcs else None,
            }
        )
    return items


def week_bounds(weeks: int, now: datetime) -> list[tuple[datetime, datetime]]:
    """`weeks` consecutive seven-day weeks ending now, oldest first."""
    return [
        (now - timedelta(days=7 * (weeks - k)), now - timedelta(days=7 * (weeks - k - 1)))
        for k in range(weeks)
    ]


def ward_history(ward_id: int, weeks: int, now: datetime | None = None) -> dict:
    """The ward's weekly picture over the last `weeks` weeks, ending now."""
    now = now or utcnow()
    bounds = week_bounds(weeks, now)
    window_start = bounds[0][0]
    episodes: dict[int, list[Interval]] = defaultdict(list)
    for patient_id, started, ended in db.session.execute(
            sa.select(Episode.patient_id, Episode.started_at, Episode.ended_at)
            .where(Episode.ward_id == ward_id, Episode.started_at <= now,
                   sa.or_(Episode.ended_at.is_(None), Episode.ended_at > window_start))):
        episodes[patient_id].append((started, ended))
    ids = sorted(episodes)
    safety: dict[int, list[Interval]] = defaultdict(list)
    history: dict[int, list[ContactPoint]] = defaultdict(list)
    if ids:
        for patient_id, started, ended in db.session.execute(
            sa.select(Designation.patient_id, Designation.started_at, Designation.ended_at).where(
                Designation.patient_id.in_(ids),
                Designation.kind == "safety_person",
                Designation.started_at <= now,
                sa.or_(Designation.ended_at.is_(None), Designation.ended_at > window_start),
            )
        ):
            safety[patient_id].append((started, ended))
        _load_history(ids, window_start, now, history)
    return {"ward_id": ward_id, "weeks": weeks, "generated_at": now,
            "items": weekly_picture(bounds, episodes, safety, history)}


def _load_history(ids: list[int], window_start: datetime, now: datetime, history: dict) -> None:
    """The window's contacts of these patients, plus each professional's first contact before the
    window."""
    window = db.session.execute(
        sa.select(Contact.patient_id, Contact.occurred_at, Contact.id, Contact.professional_id)
        .where(Contact.patient_id.in_(ids), is_counted(), Contact.occurred_at >= window_start,
               Contact.occurred_at <= now))
    before = db.session.execute(
        sa.select(Contact.patient_id, sa.func.min(Contact.occurred_at), Contact.professional_id)
        .where(Contact.patient_id.in_(ids), is_counted(), Contact.occurred_at < window_start)
        .group_by(Contact.patient_id, Contact.professional_id))
    for patient_id, at, contact_id, professional_id in window:
        history[patient_id].append(ContactPoint(at, contact_id, professional_id, ""))
    for patient_id, at, professional_id in before:
        history[patient_id].append(ContactPoint(at, 0, professional_id, ""))
