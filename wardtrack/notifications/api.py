"""Web-push subscriptions (register, remove, the VAPID public key) of staff and patients, and the
team leaders' daily digests."""

from flask_babel import get_locale
from flask_smorest import Blueprint

from wardtrack.auth.access import current_user, require
from wardtrack.auth.models import LEADERS, STAFF
from wardtrack.core.errors import DomainError
from wardtrack.core.pagination import PageArgs, page_schema
from wardtrack.core.schemas import problem_doc
from wardtrack.extensions import db
from wardtrack.notifications import operations, push, queries
from wardtrack.notifications.models import LANGUAGES
from wardtrack.notifications.schemas import (
    DigestSchema,
    SubscriptionBodySchema,
    SubscriptionEndpointSchema,
    SubscriptionSchema,
    VapidKeySchema,
)

blp = Blueprint("push", __name__, url_prefix="/api/v1/push", description="Web-push subscriptions")
digests_blp = Blueprint("digests", __name__, url_prefix="/api/v1", description="Daily digests")
#: Who may have push messages: staff (reminders, digests) and patients (offers to check in).
SUBSCRIBERS = (*STAFF, "patient")


def _language() -> str:
    """The request's language (the user's choice, else the browser's), which push messages to this
    browser are written in."""
    language = str(get_locale() or "en")
    return language if language in LANGUAGES else "en"


@blp.post("/subscriptions")
@require(*SUBSCRIBERS)
@blp.arguments(SubscriptionBodySchema)
@blp.response(201, SubscriptionSchema)
@blp.alt_response(200, schema=SubscriptionSchema, description="Already registered for you")
def create_subscription(body):
    """Register this browser's push subscription (PushSubscription.toJSON()) for the caller, staff
    or patient. Push messages to it are written in the request's language (English or bokmål)."""
    row, created = operations.subscribe(current_user(), body, _language())
    db.session.commit()
    return row, 201 if created else 200


@blp.delete("/subscriptions")
@require(*SUBSCRIBERS)
@blp.arguments(SubscriptionEndpointSchema)
@blp.response(204)
@blp.alt_response(404, **problem_doc("You have no subscription with this endpoint"))
def delete_subscription(body):
    """Stop push messages to this browser."""
    operations.unsubscribe(current_user(), body["endpoint"])
    db.session.commit()


@blp.get("/vapid-public-key")
@require(*SUBSCRIBERS)
@blp.response(200, VapidKeySchema)
@blp.alt_response(503, **problem_doc("Web push is not configured"))
def vapid_public_key():
    """The server's VAPID public key (base64url), the applicationServerKey browsers subscribe
    with."""
    key = push.public_key()
    if key is None:
        raise DomainError("Web push is not configured on this server.", status=503)
    return {"public_key": key}


@digests_blp.get("/digests")
@require(*LEADERS)
@digests_blp.arguments(PageArgs, location="query")
@digests_blp.response(200, page_schema(DigestSchema, "DigestPage"))
def list_digests(args):
    """The daily digests of the caller's wards (admins: every ward), newest first: the in-app copy
    of what team leaders are e-mailed and pushed each morning."""
    return queries.digests(current_user(), args["limit"], args["cursor"])
