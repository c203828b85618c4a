"""Writes of the notifications package: a browser's push subscription. Operations flush; the view
commits."""

import sqlalchemy as sa

from wardtrack.core.errors import Invalid, NotFound
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.notifications import push
from wardtrack.notifications.models import PushSubscription


def subscribe(user, body: dict, language: str = "en") -> tuple[PushSubscription, bool]:
    """Store the caller's subscription; (row, created). An endpoint registered by another account
    moves to this one: a browser belongs to whoever is logged in on it now. The subscription keeps
    `language`, the one its push messages are written in; registering again updates it."""
    if not push.endpoint_allowed(body["endpoint"]):
        raise Invalid(
            "endpoint",
            "Must be an https URL of a known push service (WARDTRACK_PUSH_SERVICE_HOSTS) "
            "at a public address.",
        )
    row = db.session.scalar(
        sa.select(PushSubscription).where(PushSubscription.endpoint == body["endpoint"])
    )
    keys = body["keys"]
    if (
        row is not None
        and row.user_id == user.id
        and (row.p256dh, row.auth) == (keys["p256dh"], keys["auth"])
    ):
        if row.language != language:
            row.language = language
            db.session.flush()
        return row, False
    if row is None:
        row = PushSubscription(endpoint=body["endpoint"])
        db.session.add(row)
    row.user_id, row.p256dh, row.auth, row.created_at = (user.id, keys["p256dh"], keys["auth"],
                                                         utcnow())
    row.language = language
    db.session.flush()
    return row, True


def unsubscribe(user, endpoint: str) -> None:
    """Remove the user's subscription with this endpoint; 404 when they have none."""
    result = db.session.execute(sa.delete(PushSubscription).where(
        PushSubscription.endpoint == endpoint, PushSubscription.user_id == user.id))
    if result.rowcount == 0:
        raise NotFound("You have no push subscription with this endpoint.")
