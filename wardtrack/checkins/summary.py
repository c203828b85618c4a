"""The ward's anonymous check-in figures by ISO week (UTC): every sharing choice counts, no
check-in is shown, and a week with fewer than MIN_PATIENTS distinct patients shows no means."""

from collections import defaultdict
from datetime import datetime, timedelta
from statistics import fmean

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from wardtrack.checkins.models import CheckIn
from wardtrack.checkins.queries import MIN_PATIENTS, SUMMARY_WEEKS, means
from wardtrack.core.time import utcnow
from wardtrack.extensions import db


def _week(at: datetime) -> str:
    year, week, _ = at.isocalendar()
    return f"{year}-W{week:02d}"


def _start(now: datetime) -> datetime:
    """Monday 00:00 UTC of the first of the last SUMMARY_WEEKS ISO weeks (this week included)."""
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0,
                                                           microsecond=0)
    return monday - timedelta(weeks=SUMMARY_WEEKS - 1)


def _figures(rows: list[CheckIn]) -> dict:
    patients = len({row.patient_id for row in rows})
    if patients < MIN_PATIENTS:
        return {"suppressed": True, "patients": None, "relationship_mean": None,
                "life_mean": None, "treatment_mean": None}
    scored = [means(row) for row in rows]

    def mean(name):
        values = [item[name] for item in scored if item[name] is not None]
        return round(fmean(values), 2) if values else None

    return {"suppressed": False, "patients": patients, "relationship_mean": mean("score"),
            "life_mean": mean("life_mean"), "treatment_mean": mean("treatment_mean")}


def ward_summary(ward_id: int) -> dict:
    """The weeks with check-ins made on the ward, oldest first, each with its figures."""
    rows = db.session.scalars(
        sa.select(CheckIn).options(selectinload(CheckIn.items))
        .where(CheckIn.ward_id == ward_id, CheckIn.created_at >= _start(utcnow()))).all()
    weeks = defaultdict(list)
    for row in rows:
        weeks[_week(row.created_at)].append(row)
    return {"ward_id": ward_id, "min_patients": MIN_PATIENTS,
            "weeks": [{"week": week, **_figures(weeks[week])} for week in sorted(weeks)]}
