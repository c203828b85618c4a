"""Web push with VAPID (pywebpush): the server's key pair, and sending one message to one subscription.

The private key comes from WARDTRACK_VAPID_PRIVATE_KEY (base64url: the raw 32-byte key or DER). Outside
production a development key is made under instance/ the first time push is used; production without a
key has no push channel (the in-app list and e-mail still work).
"""

import base64
import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

log = logging.getLogger(__name__)
#: A push service answers these when the subscription no longer exists: forget it.
GONE = (404, 410)
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def generate_vapid_key() -> str:
    """A new VAPID private key as base64url of its raw 32 bytes (what WARDTRACK_VAPID_PRIVATE_KEY takes)."""
    key = ec.generate_private_key(ec.SECP256R1())
    return _b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def private_key() -> str | None:
    """The configured VAPID private key; a development key under instance/ when none is set outside production."""
    config = current_app.config
    if config.get("VAPID_PRIVATE_KEY"):
        return config["VAPID_PRIVATE_KEY"]
    if config["WARDTRACK_ENV"] == "production":
        return None
    from wardtrack.config import _write_private

    path = Path(current_app.instance_path) / "vapid_private_key"
    if not path.exists():
        _write_private(path, generate_vapid_key() + "\n")
        log.warning("development VAPID key created at %s; set WARDTRACK_VAPID_PRIVATE_KEY in production", path)
    config["VAPID_PRIVATE_KEY"] = path.read_text().strip()
    return config["VAPID_PRIVATE_KEY"]


def enabled() -> bool:
    """Whether the push channel is on (a VAPID key is available)."""
    return private_key() is not None


def public_key() -> str | None:
    """The applicationServerKey browsers subscribe with: the uncompressed public point, base64url."""
    key = private_key()
    if key is None:
        return None
    point = Vapid02.from_string(key).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _b64url(point)


def endpoint_allowed(endpoint: str) -> bool:
    """Push services are https on a known push service's host (PUSH_SERVICE_HOSTS: the server sends to these
    addresses, so a subscription must not point it inside the network); plain http only to this host, and
    only when testing or in development."""
    parts = urlsplit(endpoint)
    if parts.scheme == "https" and parts.hostname:
        host = parts.hostname.lower()
        return any(host == known or host.endswith(f".{known}") for known in current_app.config["PUSH_SERVICE_HOSTS"])
    local = parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS
    return local and (current_app.testing or current_app.config["WARDTRACK_ENV"] != "production")


def send(subscription, message: dict) -> int:
    """Send one message (title, body, url: nothing about a patient) to one subscription.

    Returns the push service's status code: 2xx sent, 404/410 gone; raises OSError-like errors on the way.
    """
    info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
    claims = {"sub": current_app.config["VAPID_SUBJECT"]}
    try:
        response = webpush(info, json.dumps(message), vapid_private_key=Vapid02.from_string(private_key()),
                           vapid_claims=claims, ttl=24 * 3600, timeout=10)
    except WebPushException as error:
        if error.response is None:
            raise
        return error.response.status_code
    return response.status_code
