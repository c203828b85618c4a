"""Web-push subscriptions on the wire: the browser's PushSubscription.toJSON(), as it comes."""

import base64
import binascii

from marshmallow import Schema, ValidationError, fields, validate

from wardtrack.core.schemas import StrictSchema, UtcDateTime


def _b64url_bytes(length: int, what: str):
    def check(value: str) -> None:
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        except (binascii.Error, ValueError):
            raise ValidationError(f"Must be base64url ({what}).") from None
        if len(raw) != length or (length == 65 and raw[0] != 4):
            raise ValidationError(f"Must be {what}.")
    return check


class KeysSchema(StrictSchema):
    p256dh = fields.String(
        required=True,
        validate=[validate.Length(max=200), _b64url_bytes(65, "an uncompressed P-256 public key")],
    )
    auth = fields.String(
        required=True, validate=[validate.Length(max=100), _b64url_bytes(16, "16 bytes")]
    )


class SubscriptionBodySchema(StrictSchema):
    """What POST /push/subscriptions takes: endpoint, keys.p256dh, keys.auth (expirationTime is
    ignored)."""

    endpoint = fields.Url(required=True, require_tld=False, schemes={"https", "http"},
                          validate=validate.Length(max=2000))
    keys = fields.Nested(KeysSchema, required=True)
    expiration_time = fields.Float(data_key="expirationTime", allow_none=True, load_default=None)


class SubscriptionEndpointSchema(StrictSchema):
    """What DELETE /push/subscriptions takes."""

    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class SubscriptionSchema(Schema):
    id = fields.Integer()
    endpoint = fields.String()
    created_at = UtcDateTime()


class VapidKeySchema(Schema):
    public_key = fields.String(
        metadata={"description": "The applicationServerKey for PushManager.subscribe()"}
    )


class DigestSchema(Schema):
    """A ward's daily digest: how many continuity flags opened since the previous one (no names)."""

    id = fields.Integer()
    ward_id = fields.Integer()
    local_date = fields.Date(metadata={"description": "The ward's own calendar date of the digest"})
    since_at = UtcDateTime()
    created_at = UtcDateTime()
    new_flags = fields.Integer()
