"""Sending pending deliveries in three steps: claim and prepare, send, record.

1. Claim (one UPDATE: on PostgreSQL over rows picked FOR UPDATE SKIP LOCKED, on SQLite serialised by
   the write lock) moves each row's next_attempt_at forward by a lease and counts the attempt;
   everything the send needs is read as plain data; commit. A second scheduler cannot claim the same
   row.
2. Send with no database transaction open: an SMTP or push round trip never holds locks (on SQLite
   every transaction holds the write lock, which would stall every web request).
3. Record the outcomes and drop the push subscriptions a push service called gone; commit.
So a delivery job commits twice, on purpose. A process that dies between 1 and 3 leaves its rows to
be retried when the lease runs out: delivery is at least once. Deliveries of reminders that are no
longer open are cancelled, not sent.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app

from wardtrack.auth.models import User
from wardtrack.core import metrics
from wardtrack.extensions import db
from wardtrack.notifications import mail, push
from wardtrack.notifications.messages import check_in_offer_text, digest_text, reminder_text
from wardtrack.notifications.models import Delivery, Digest, PushSubscription
from wardtrack.organisation.models import Ward
from wardtrack.reminders.models import Reminder

log = logging.getLogger(__name__)
# Longer than a whole batch can take (DELIVERY_BATCH sends with a 15-second timeout each).
LEASE = timedelta(minutes=15)
MAX_BACKOFF = timedelta(hours=6)


class Target(NamedTuple):
    """A push subscription as plain data."""

    id: int
    endpoint: str
    p256dh: str
    auth: str
    language: str = "en"


@dataclass
class Job:
    """A claimed delivery as plain data: safe to use after the claiming transaction has ended."""

    id: int
    channel: str
    attempts: int
    email: str | None
    text: dict
    subscriptions: list[Target] = field(default_factory=list)
    #: The wording by language, for a subject that is written in its reader's (a check-in offer).
    texts: dict[str, dict] = field(default_factory=dict)
    status: str = "retry"  # sent | gone | retry, after sending
    error: str | None = None
    gone: list[int] = field(default_factory=list)  # push subscriptions to delete


def cancel_closed() -> int:
    """Cancel pending deliveries of reminders that are no longer open (done, snoozed or closed)."""
    closed = sa.select(Reminder.id).where(Reminder.status != "open")
    statement = sa.update(Delivery).where(
        Delivery.status == "pending", Delivery.reminder_id.in_(closed)
    )
    result = db.session.execute(
        statement.values(status="cancelled").execution_options(synchronize_session=False)
    )
    return result.rowcount


def claim(now: datetime, limit: int) -> list[int]:
    """Take up to `limit` due pending deliveries for this process (the caller commits)."""
    pick = (
        sa.select(Delivery.id)
        .where(Delivery.status == "pending", Delivery.next_attempt_at <= now)
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    statement = (sa.update(Delivery).where(Delivery.id.in_(pick.scalar_subquery()))
                 .values(attempts=Delivery.attempts + 1, next_attempt_at=now + LEASE)
                 .returning(Delivery.id).execution_options(synchronize_session=False))
    return sorted(db.session.scalars(statement))


def _text(delivery: Delivery) -> dict:
    if delivery.check_in_offer is not None:
        return check_in_offer_text("en")
    if delivery.reminder_id is not None:
        return reminder_text(db.session.get(Reminder, delivery.reminder_id).kind)
    digest = db.session.get(Digest, delivery.digest_id)
    ward = db.session.get(Ward, digest.ward_id)
    return digest_text(ward.name, digest.new_flags, digest.since_at, ward.timezone)


def prepare(ids: list[int]) -> list[Job]:
    """Read what sending the claimed deliveries needs (addresses, subscriptions, wording)."""
    jobs = []
    for delivery in db.session.scalars(
        sa.select(Delivery).where(Delivery.id.in_(ids)).order_by(Delivery.id)
    ):
        user = db.session.get(User, delivery.user_id)
        job = Job(delivery.id, delivery.channel, delivery.attempts, user.email, _text(delivery))
        if delivery.channel == "push":
            job.subscriptions = [Target(*row) for row in db.session.execute(
                sa.select(PushSubscription.id, PushSubscription.endpoint, PushSubscription.p256dh,
                          PushSubscription.auth, PushSubscription.language)
                .where(PushSubscription.user_id == user.id).order_by(PushSubscription.id))]
            if delivery.check_in_offer is not None:
                job.texts = {language: check_in_offer_text(language)
                             for language in {s.language for s in job.subscriptions}}
        if user.disabled_at is not None:
            job.status, job.error = "gone", "account disabled"
        jobs.append(job)
    return jobs


def _email(job: Job) -> None:
    if not job.email or not mail.enabled():
        job.status, job.error = "gone", "no e-mail address" if mail.enabled() else "e-mail is off"
        return
    mail.send(mail.message(job.email, job.text["subject"], job.text["body"]))
    job.status = "sent"


def _push(job: Job) -> None:
    if not job.subscriptions or not push.enabled():
        job.status, job.error = "gone", "no push subscription" if push.enabled() else "push is off"
        return
    sent, failures = 0, []
    for subscription in job.subscriptions:
        text = job.texts.get(subscription.language, job.text)
        payload = {"title": text["title"], "body": text["short"], "url": text["path"]}
        status = push.send(subscription, payload)
        if status in push.GONE:
            job.gone.append(subscription.id)
        elif 200 <= status < 300:
            sent += 1
        else:
            failures.append(str(status))
    if sent:
        job.status = "sent"
    elif failures:
        job.error = "push service answered " + ",".join(failures)
    else:
        job.status, job.error = "gone", "every push subscription is gone"


def send(job: Job) -> None:
    """Send one prepared delivery (no database access); the outcome is left on the job."""
    if job.status == "gone":
        return
    try:
        (_email if job.channel == "email" else _push)(job)
    except Exception as error:  # noqa: BLE001 — any failure of a channel is retried,
        # and its class name is enough
        log.warning("delivery %s (%s) failed: %s", job.id, job.channel, type(error).__name__)
        job.status, job.error = "retry", type(error).__name__


def record(jobs: list[Job], now: datetime) -> dict[str, int]:
    """Store the outcomes (retry with exponential backoff up to DELIVERY_MAX_ATTEMPTS) and delete
    the push subscriptions that are gone; flush only. Counts by status."""
    config, counts = current_app.config, {}
    for job in jobs:
        values = {"last_error": job.error[:200] if job.error else None}
        if job.status == "sent":
            values.update(status="sent", sent_at=now)
        elif job.status == "gone":
            values.update(status="gone")
        elif job.attempts >= config["DELIVERY_MAX_ATTEMPTS"]:
            values.update(status="failed")
            log.error("delivery %s (%s) failed for good after %s attempts", job.id, job.channel,
                      job.attempts)
        else:
            backoff = timedelta(
                seconds=config["DELIVERY_BACKOFF_SECONDS"] * 2 ** (job.attempts - 1)
            )
            values.update(next_attempt_at=now + min(backoff, MAX_BACKOFF))
        outcome = values.get("status", "retry")
        counts[outcome] = counts.get(outcome, 0) + 1
        metrics.DELIVERIES.labels(job.channel, outcome).inc()
        db.session.execute(sa.update(Delivery).where(Delivery.id == job.id).values(**values))
        if job.gone:
            log.info("push subscriptions %s are gone; removed", job.gone)
            db.session.execute(sa.delete(PushSubscription).where(PushSubscription.id.in_(job.gone)))
    return counts
