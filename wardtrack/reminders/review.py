"""Crisis-plan review reminders: a plan whose newest version is older than CRISIS_PLAN_REVIEW_DAYS
(default 182) gets one reminder for its patient's ward, due that many days after the version less
the reminder lead time. Plan versions carry no review date, so the version's date is the basis.

Only metadata columns of crisis_plan_versions are read here; nothing is decrypted. A reminder is
unique per plan version (INSERT … ON CONFLICT DO NOTHING), and a newer version closes the pending
one: the plan was reviewed.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from wardtrack.core.db import conflict_insert
from wardtrack.crisisplans.models import CrisisPlanVersion
from wardtrack.extensions import db
from wardtrack.reminders.models import PENDING, Reminder
from wardtrack.reminders.sweep import lead_time
from wardtrack.reminders.timezones import local_date, plan_wards, ward_zones


def review_interval() -> timedelta:
    """How long a crisis-plan version stands before it is due for review (config
    CRISIS_PLAN_REVIEW_DAYS)."""
    return timedelta(days=current_app.config["CRISIS_PLAN_REVIEW_DAYS"])


def _due_versions(now: datetime):
    """(version id, patient id, created_at) of each patient's newest version that has come due."""
    newest = (
        sa.select(
            CrisisPlanVersion.patient_id, sa.func.max(CrisisPlanVersion.version).label("version")
        )
        .group_by(CrisisPlanVersion.patient_id)
        .subquery()
    )
    return db.session.execute(
        sa.select(CrisisPlanVersion.id, CrisisPlanVersion.patient_id, CrisisPlanVersion.created_at)
        .join(newest, sa.and_(newest.c.patient_id == CrisisPlanVersion.patient_id,
                              newest.c.version == CrisisPlanVersion.version))
        .where(CrisisPlanVersion.created_at <= now - review_interval() + lead_time())
        .order_by(CrisisPlanVersion.id)).all()


def close_reviewed(now: datetime) -> int:
    """Close pending review reminders whose patient has a newer plan version than their basis."""
    newer = (
        sa.select(CrisisPlanVersion.id)
        .where(CrisisPlanVersion.patient_id == Reminder.patient_id,
               CrisisPlanVersion.created_at > Reminder.basis_at)
        .exists()
    )
    result = db.session.execute(
        sa.update(Reminder)
        .where(Reminder.kind == "crisis_plan_review", Reminder.status.in_(PENDING), newer)
        .values(status="closed", closed_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def sweep_reviews(now: datetime) -> int:
    """Create the review reminders that have come due for patients in care; flush only. How many
    were new."""
    close_reviewed(now)
    versions = _due_versions(now)
    wards = plan_wards([(row.patient_id, None) for row in versions], now)
    zones = ward_zones(wards.values())
    created = 0
    session = db.session()
    dialect = session.get_bind().dialect.name
    for version_id, patient_id, written_at in versions:
        ward_id = wards[(patient_id, None)]
        if ward_id is None:  # not in care: no ward to remind
            continue
        due_at = written_at + review_interval() - lead_time()
        statement = (
            conflict_insert(dialect, Reminder.__table__)
            .values(patient_id=patient_id, kind="crisis_plan_review",
                    crisis_plan_version_id=version_id, due_on=local_date(due_at, ward_id, zones),
                    due_at=due_at, basis_at=written_at, ward_id=ward_id, status="open",
                    created_at=now)
            .on_conflict_do_nothing(index_elements=["crisis_plan_version_id"])
            .returning(Reminder.id)
        )
        created += session.execute(statement).scalar() is not None
    return created
