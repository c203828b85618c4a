"""Notification records: push subscriptions, daily digests and one delivery per recipient and
channel.

The in-app channel is the reminders list itself (and the digest row), so it has no delivery rows;
e-mail and web push each get one row per (reminder or digest, user, channel), unique in the
database, so that two schedulers can neither create nor send one twice.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wardtrack.core.db import enum_column
from wardtrack.extensions import db

CHANNELS = ("email", "push")
DELIVERY_STATUSES = ("pending", "sent", "failed", "gone", "cancelled")


class PushSubscription(db.Model):
    """A browser's web-push subscription (what PushManager.subscribe() returned) for one user."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(sa.String(2000), unique=True)
    p256dh: Mapped[str] = mapped_column(sa.String(200))
    auth: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[datetime]


class Digest(db.Model):
    """A ward's daily summary for its team leaders: how many flags opened since the previous one.

    Unique per ward and local date, so the digest job may run as often as it likes."""

    __tablename__ = "digests"
    __table_args__ = (
        sa.UniqueConstraint("ward_id", "local_date", name="uq_digests_ward_id_local_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(sa.ForeignKey("wards.id"))
    local_date: Mapped[date]
    since_at: Mapped[datetime]
    created_at: Mapped[datetime]
    new_flags: Mapped[int]


class Delivery(db.Model):
    """One notification of one reminder or digest to one user on one channel, with its retry state.

    A pending row is claimed by moving `next_attempt_at` forward (a lease) and counting the attempt,
    so a process that dies while sending leaves it to be retried once the lease has run out."""

    __tablename__ = "deliveries"
    __table_args__ = (
        sa.CheckConstraint("(reminder_id IS NULL) <> (digest_id IS NULL)", name="one_subject"),
        sa.UniqueConstraint(
            "reminder_id", "user_id", "channel", name="uq_deliveries_reminder_id_user_id_channel"
        ),
        sa.UniqueConstraint(
            "digest_id", "user_id", "channel", name="uq_deliveries_digest_id_user_id_channel"
        ),
        sa.Index("ix_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("reminders.id", ondelete="CASCADE")
    )
    digest_id: Mapped[int | None] = mapped_column(sa.ForeignKey("digests.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(enum_column(CHANNELS, "delivery_channel"))
    status: Mapped[str] = mapped_column(
        enum_column(DELIVERY_STATUSES, "delivery_status"), default="pending"
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.String(200))
