"""Which ward a plan's reminders belong to, and that ward's time zone (due dates are local
dates)."""

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa

from wardtrack.extensions import db
from wardtrack.organisation.models import Membership, Ward
from wardtrack.patients.models import Episode
from wardtrack.patients.queries import current_first

DEFAULT_TIMEZONE = "Europe/Oslo"


def zone(name: str | None) -> ZoneInfo:
    """The named zone; the default for a missing or unknown name."""
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def plan_wards(plans: list[tuple[int, int]], now: datetime) -> dict[tuple[int, int], int | None]:
    """For (patient_id, professional_id) pairs: the ward of the patient's active episode (an
    admission before an enrolment, the latest first), else the professional's first ward today, else
    None. Two queries whatever the number of plans."""
    patients = {p for p, _ in plans}
    professionals = {r for _, r in plans}
    episode_ward: dict[int, int] = {}
    if patients:
        rows = db.session.execute(
            sa.select(Episode.patient_id, Episode.ward_id)
            .where(Episode.patient_id.in_(patients), Episode.started_at <= now,
                   sa.or_(Episode.ended_at.is_(None), Episode.ended_at > now))
            .order_by(Episode.patient_id, *current_first()))
        for patient_id, ward_id in rows:  # the first row per patient is the current episode
            episode_ward.setdefault(patient_id, ward_id)
    member_wards: dict[int, list[int]] = defaultdict(list)
    if professionals:
        today = now.date()
        rows = db.session.execute(
            sa.select(Membership.professional_id, Membership.ward_id)
            .where(Membership.professional_id.in_(professionals), Membership.started_on <= today,
                   sa.or_(Membership.ended_on.is_(None), Membership.ended_on >= today))
            .order_by(Membership.ward_id))
        for professional_id, ward_id in rows:
            member_wards[professional_id].append(ward_id)
    return {
        (p, r): episode_ward.get(p) or next(iter(member_wards.get(r, [])), None) for p, r in plans
    }


def ward_zones(ward_ids) -> dict[int, ZoneInfo]:
    """Each ward's time zone (one query)."""
    wanted = {w for w in ward_ids if w is not None}
    if not wanted:
        return {}
    return {ward_id: zone(name) for ward_id, name in
            db.session.execute(sa.select(Ward.id, Ward.timezone).where(Ward.id.in_(wanted)))}


def local_date(at: datetime, ward_id: int | None, zones: dict[int, ZoneInfo]):
    """The calendar date of an instant in the ward's time zone (Europe/Oslo without a ward)."""
    return at.astimezone(zones.get(ward_id) or zone(None)).date()
