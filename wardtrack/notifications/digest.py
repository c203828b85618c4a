"""The daily digest: once a day per ward, after DIGEST_HOUR (default 7) in the ward's own time zone,
the ward's team leaders hear how many continuity flags opened on the ward since the previous digest
— a count, no names. A digest is unique per (ward, local date), so the job may run every few minutes
and a scheduler that was down at seven writes it once when it comes back."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from wardtrack.continuity.models import Flag
from wardtrack.core.db import conflict_insert
from wardtrack.extensions import db
from wardtrack.notifications.models import Digest
from wardtrack.notifications.notify import queue, ward_leaders
from wardtrack.organisation.models import Ward
from wardtrack.patients.models import Episode
from wardtrack.reminders.timezones import zone


def new_flags(ward_id: int, since: datetime, now: datetime) -> int:
    """Flags opened in (since, now] for patients with an episode on the ward now."""
    on_ward = (sa.select(Episode.patient_id).where(
        Episode.ward_id == ward_id, Episode.started_at <= now,
        sa.or_(Episode.ended_at.is_(None), Episode.ended_at > now)))
    return db.session.scalar(sa.select(sa.func.count()).select_from(Flag).where(
        Flag.patient_id.in_(on_ward), Flag.opened_at > since, Flag.opened_at <= now))


def _previous(ward_id: int) -> datetime | None:
    return db.session.scalar(
        sa.select(sa.func.max(Digest.created_at)).where(Digest.ward_id == ward_id)
    )


def _exists(ward_id: int, day) -> bool:
    found = db.session.scalar(
        sa.select(Digest.id).where(Digest.ward_id == ward_id, Digest.local_date == day)
    )
    return found is not None


def write_digest(ward: Ward, now: datetime) -> tuple[int | None, int]:
    """The ward's digest for its local today, if the digest hour has come and none exists yet: (its
    id when this call wrote it, the count). Team leaders get deliveries only when there is news."""
    local = now.astimezone(zone(ward.timezone))
    if local.hour < current_app.config["DIGEST_HOUR"] or _exists(ward.id, local.date()):
        return None, 0
    since = _previous(ward.id) or now - timedelta(days=1)
    count = new_flags(ward.id, since, now)
    session = db.session()
    statement = (
        conflict_insert(session.get_bind().dialect.name, Digest.__table__)
        .values(ward_id=ward.id, local_date=local.date(), since_at=since, created_at=now,
                new_flags=count)
        .on_conflict_do_nothing(index_elements=["ward_id", "local_date"])
        .returning(Digest.id)
    )
    digest_id = session.execute(statement).scalar()
    if digest_id is not None and count:
        queue("digest_id", digest_id, ward_leaders([ward.id]).get(ward.id, []), now)
    return digest_id, count


def write_digests(now: datetime) -> dict:
    """Write every ward's digest that is due now; flush only. Counts: written, with_flags,
    queued."""
    counts = {"written": 0, "with_flags": 0}
    for ward in db.session.scalars(sa.select(Ward).order_by(Ward.id)):
        digest_id, count = write_digest(ward, now)
        if digest_id is not None:
            counts["written"] += 1
            counts["with_flags"] += bool(count)
    return counts
