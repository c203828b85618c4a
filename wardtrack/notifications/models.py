"""Notification records: push subscriptions, daily digests and one delivery per recipient and
channel.

The in-app channel is the reminders list itself (and the digest row, and the patient's list of
check-ins due), so it has no delivery rows; e-mail and web push each get one row per (subject, user,
channel), unique in the database, so that two schedulers can neither create nor send one twice. A
delivery's subject is exactly one of a reminder, a digest or a check-in offer (the occasion key of
notifications/offers.py: one push per occasion on which a patient is asked for check-ins).
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wardtrack.core.db import enum_column
from wardtrack.extensions import db

CHANNELS = ("email", "push")
#: The languages a push message is written in (the browser's when it subscribed).
LANGUAGES = ("en", "nb")
DELIVERY_STATUSES = ("pending", "sent", "failed", "gone", "cancelled")


class PushSubscription(db.Model):
    """A browser's web-push subscription (what PushManager.subscribe() returned) for one user."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(sa.String(2000), unique=True)
    p256dh: Mapped[str] = mapped_column(sa.String(200))
    auth: Mapped[str] = mapped_column(sa.String(100))
    #: The language the browser spoke when it subscribed: push messages to it are written in it.
    language: Mapped[str] = mapped_column(sa.String(8), server_default="en")
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


#: Exactly one subject per delivery.
ONE_SUBJECT = (
    "(CASE WHEN reminder_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN digest_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN check_in_offer IS NULL THEN 0 ELSE 1 END) = 1"
)


class Delivery(db.Model):
    """One notification of one reminder, digest or check-in offer to one user on one channel, with
    its retry state.

    A pending row is claimed by moving `next_attempt_at` forward (a lease) and counting the attempt,
    so a process that dies while sending leaves it to be retried once the lease has run out."""

    __tablename__ = "deliveries"
    __table_args__ = (
        sa.CheckConstraint(ONE_SUBJECT, name="one_subject"),
        sa.UniqueConstraint(
            "reminder_id", "user_id", "channel", name="uq_deliveries_reminder_id_user_id_channel"
        ),
        sa.UniqueConstraint(
            "digest_id", "user_id", "channel", name="uq_deliveries_digest_id_user_id_channel"
        ),
        sa.UniqueConstraint(
            "check_in_offer", "user_id", "channel",
            name="uq_deliveries_check_in_offer_user_id_channel",
        ),
        sa.Index("ix_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("reminders.id", ondelete="CASCADE")
    )
    digest_id: Mapped[int | None] = mapped_column(sa.ForeignKey("digests.id", ondelete="CASCADE"))
    #: A patient's occasion to check in (offers.occasion_key), e.g. "interval:12:3", "discharge:9".
    check_in_offer: Mapped[str | None] = mapped_column(sa.String(60))
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


class JobRun(db.Model):
    """The last run of each scheduled job, whichever scheduler ran it: what /readyz reads to tell a
    stale scheduler (notifications/scheduler.py)."""

    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    last_run_at: Mapped[datetime]
    last_success_at: Mapped[datetime | None]
    last_duration_ms: Mapped[int | None]
    failures_in_a_row: Mapped[int] = mapped_column(default=0, server_default="0")
