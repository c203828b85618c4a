"""Offers to check in: a patient with a push subscription who is asked for check-ins
(checkins.queries.due) gets one push per occasion, saying only that a check-in is waiting.

An occasion has a stable key, the delivery's subject (`deliveries.check_in_offer`), unique per user
and channel, so the job may run as often as it likes and two schedulers still send one push:
- `discharge:<episode id>`: something is due because that episode ended (within
  DISCHARGE_OFFER_DAYS); a later discharge is a new occasion;
- `interval:<episode id>:<window>`: something is due in the active episode, in its `window`-th
  stretch of the ward's check_in_interval_days counted from the episode's start; the next stretch,
  or a new episode, is a new occasion.
So a patient hears of an occasion once, however many of its check-ins they have made since, and at
most once per interval while they make none. The key holds ids only; the push names nothing.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa

from wardtrack.auth.models import User
from wardtrack.checkins.queries import DISCHARGE_OFFER_DAYS, due
from wardtrack.core.db import conflict_insert
from wardtrack.extensions import db
from wardtrack.notifications import push
from wardtrack.notifications.models import Delivery, PushSubscription
from wardtrack.organisation.models import Ward
from wardtrack.patients.models import Episode
from wardtrack.patients.queries import active_episode


def occasion_key(patient_id: int, items: list[dict], now: datetime) -> str | None:
    """The stable key of the occasion on which these due items are asked (None when there is
    none, such as an episode that ended just now)."""
    if any(item["occasion"] == "discharge" for item in items):
        left = db.session.scalar(
            sa.select(Episode.id).where(Episode.patient_id == patient_id,
                                        Episode.ended_at > now - timedelta(days=DISCHARGE_OFFER_DAYS))
            .order_by(Episode.ended_at.desc()).limit(1))
        return None if left is None else f"discharge:{left}"
    episode = active_episode(patient_id)
    if episode is None:
        return None
    interval = timedelta(days=db.session.get(Ward, episode.ward_id).check_in_interval_days)
    return f"interval:{episode.id}:{max(now - episode.started_at, timedelta(0)) // interval}"


def subscribed_patients() -> list[tuple[int, int]]:
    """(user id, patient id) of every active patient account with a push subscription."""
    return list(db.session.execute(
        sa.select(User.id, User.patient_id)
        .where(User.role == "patient", User.disabled_at.is_(None),
               User.id.in_(sa.select(PushSubscription.user_id)))
        .order_by(User.id)))


def queue_offers(now: datetime) -> dict:
    """Queue one push delivery per subscribed patient's current occasion, unless it has one
    already; flush only. Counts: asked (patients with something due), queued (new deliveries)."""
    counts = {"asked": 0, "queued": 0}
    if not push.enabled():
        return counts
    session = db.session()
    for user_id, patient_id in subscribed_patients():
        items = due(patient_id)
        key = occasion_key(patient_id, items, now) if items else None
        if key is None:
            continue
        counts["asked"] += 1
        statement = (
            conflict_insert(session.get_bind().dialect.name, Delivery.__table__)
            .values(check_in_offer=key, user_id=user_id, channel="push", status="pending",
                    attempts=0, next_attempt_at=now, created_at=now)
            .on_conflict_do_nothing(index_elements=["check_in_offer", "user_id", "channel"])
            .returning(Delivery.id)
        )
        counts["queued"] += session.execute(statement).scalar() is not None
    return counts
