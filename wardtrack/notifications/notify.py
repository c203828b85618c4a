"""Who is told about a reminder or a digest, and on which channels: queue one delivery row for each.

The in-app channel needs no row: the reminder is in its recipients' reminders list as soon as it
exists. E-mail goes to users with an address when SMTP is configured; push to users with a
subscription. A maintenance reminder goes to the professional's own account, or to the ward's team
leaders when the professional has none (locums, on-call doctors), so that it is never silently lost;
a crisis-plan review and the daily digest go to the ward's team leaders.
"""

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa

from wardtrack.auth.models import STAFF, User, UserWard
from wardtrack.core.db import conflict_insert
from wardtrack.extensions import db
from wardtrack.notifications import mail, push
from wardtrack.notifications.models import Delivery, PushSubscription
from wardtrack.reminders.models import Reminder

BATCH = 500


def _active(query):
    return query.where(User.disabled_at.is_(None), User.role.in_(STAFF))


def ward_leaders(ward_ids) -> dict[int, list[User]]:
    """The active team leaders of each ward (one query)."""
    wanted = {w for w in ward_ids if w is not None}
    leaders: dict[int, list[User]] = defaultdict(list)
    if wanted:
        rows = db.session.execute(_active(
            sa.select(UserWard.ward_id, User).join(User, User.id == UserWard.user_id)
            .where(UserWard.ward_id.in_(wanted), User.role == "team_leader").order_by(User.id)))
        for ward_id, user in rows:
            leaders[ward_id].append(user)
    return leaders


def professional_users(professional_ids) -> dict[int, User]:
    """The active staff account of each professional that has one (one query)."""
    wanted = {p for p in professional_ids if p is not None}
    if not wanted:
        return {}
    return {user.professional_id: user for user in db.session.scalars(
        _active(sa.select(User).where(User.professional_id.in_(wanted))))}


def channels(users: list[User]) -> list[tuple[int, str]]:
    """(user_id, channel) for the e-mail and push deliveries these users should get."""
    wanted = []
    subscribed = set()
    if users:
        subscribed = set(
            db.session.scalars(
                sa.select(PushSubscription.user_id)
                .distinct()
                .where(PushSubscription.user_id.in_({u.id for u in users}))
            )
        )
    if subscribed and not push.enabled():
        subscribed = set()
    email = mail.enabled()
    for user in users:
        if email and user.email:
            wanted.append((user.id, "email"))
        if user.id in subscribed:
            wanted.append((user.id, "push"))
    return wanted


def queue(subject: str, subject_id: int, users: list[User], now: datetime) -> int:
    """Insert pending deliveries of a reminder or digest (subject "reminder_id" or "digest_id") for
    these users; a row that already exists is left alone. Returns how many were new."""
    rows = [
        {
            subject: subject_id,
            "user_id": user_id,
            "channel": channel,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for user_id, channel in channels(users)
    ]
    if not rows:
        return 0
    session = db.session()
    statement = (
        conflict_insert(session.get_bind().dialect.name, Delivery.__table__)
        .values(rows)
        .on_conflict_do_nothing(index_elements=[subject, "user_id", "channel"])
        .returning(Delivery.id)
    )
    return len(session.execute(statement).all())


def queue_reminders(now: datetime) -> int:
    """Queue the deliveries of open reminders not yet notified, and mark them notified; flush only.
    A reminder snoozed before it was notified is notified when it reopens."""
    reminders = list(db.session.scalars(
        sa.select(Reminder).where(Reminder.status == "open", Reminder.notified_at.is_(None))
        .order_by(Reminder.id).limit(BATCH)))
    own = professional_users(r.professional_id for r in reminders if r.kind == "maintenance_due")
    leaders = ward_leaders(r.ward_id for r in reminders)
    queued = 0
    for reminder in reminders:
        owner = own.get(reminder.professional_id) if reminder.kind == "maintenance_due" else None
        queued += queue(
            "reminder_id", reminder.id, [owner] if owner else leaders.get(reminder.ward_id, []), now
        )
    if reminders:
        db.session.execute(sa.update(Reminder).where(Reminder.id.in_([r.id for r in reminders]),
                                                     Reminder.notified_at.is_(None))
                           .values(notified_at=now).execution_options(synchronize_session=False))
    return queued
