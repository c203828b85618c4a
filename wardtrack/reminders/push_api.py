"""Register and remove a phone's web-push subscription; the VAPID public key the PWA subscribes with."""

import sqlalchemy as sa
from flask_smorest import Blueprint

from wardtrack.auth.access import current_user, require
from wardtrack.auth.models import STAFF
from wardtrack.core.errors import DomainError, Invalid, NotFound
from wardtrack.core.schemas import problem_doc
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.reminders import push
from wardtrack.reminders.delivery_models import PushSubscription
from wardtrack.reminders.push_schemas import (
    SubscriptionBodySchema,
    SubscriptionEndpointSchema,
    SubscriptionSchema,
    VapidKeySchema,
)

blp = Blueprint("push", __name__, url_prefix="/api/v1/push", description="Web-push subscriptions")


def subscribe(user, body: dict) -> tuple[PushSubscription, bool]:
    """Store the caller's subscription; (row, created). An endpoint registered by another account moves to
    this one: a browser belongs to whoever is logged in on it now."""
    if not push.endpoint_allowed(body["endpoint"]):
        raise Invalid("endpoint", "Must be an https URL of a known push service (WARDTRACK_PUSH_SERVICE_HOSTS) "
                                  "at a public address.")
    row = db.session.scalar(sa.select(PushSubscription).where(PushSubscription.endpoint == body["endpoint"]))
    keys = body["keys"]
    if row is not None and row.user_id == user.id and (row.p256dh, row.auth) == (keys["p256dh"], keys["auth"]):
        return row, False
    if row is None:
        row = PushSubscription(endpoint=body["endpoint"])
        db.session.add(row)
    row.user_id, row.p256dh, row.auth, row.created_at = user.id, keys["p256dh"], keys["auth"], utcnow()
    db.session.flush()
    return row, True


@blp.post("/subscriptions")
@require(*STAFF)
@blp.arguments(SubscriptionBodySchema)
@blp.response(201, SubscriptionSchema)
@blp.alt_response(200, schema=SubscriptionSchema, description="Already registered for you")
def create_subscription(body):
    """Register this browser's push subscription (PushSubscription.toJSON()) for the caller."""
    row, created = subscribe(current_user(), body)
    db.session.commit()
    return row, 201 if created else 200


@blp.delete("/subscriptions")
@require(*STAFF)
@blp.arguments(SubscriptionEndpointSchema)
@blp.response(204)
@blp.alt_response(404, **problem_doc("You have no subscription with this endpoint"))
def delete_subscription(body):
    """Stop push messages to this browser."""
    result = db.session.execute(sa.delete(PushSubscription).where(
        PushSubscription.endpoint == body["endpoint"], PushSubscription.user_id == current_user().id))
    if result.rowcount == 0:
        raise NotFound("You have no push subscription with this endpoint.")
    db.session.commit()


@blp.get("/vapid-public-key")
@require(*STAFF)
@blp.response(200, VapidKeySchema)
@blp.alt_response(503, **problem_doc("Web push is not configured"))
def vapid_public_key():
    """The server's VAPID public key (base64url), the applicationServerKey browsers subscribe with."""
    key = push.public_key()
    if key is None:
        raise DomainError("Web push is not configured on this server.", status=503)
    return {"public_key": key}
