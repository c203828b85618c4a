"""Web push with VAPID (pywebpush): the server's key pair, and sending one message to one
subscription.

The private key comes from WARDTRACK_VAPID_PRIVATE_KEY (base64url: the raw 32-byte key or DER).
Outside production a development key is made under instance/ the first time push is used; production
without a key has no push channel (the in-app list and e-mail still work).
"""

import base64
import ipaddress
import json
import logging
import socket
from pathlib import Path
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from wardtrack.core.files import write_private

log = logging.getLogger(__name__)
#: A push service answers these when the subscription no longer exists: forget it.
GONE = (404, 410)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def generate_vapid_key() -> str:
    """A new VAPID private key as base64url of its raw 32 bytes (what WARDTRACK_VAPID_PRIVATE_KEY
    takes)."""
    key = ec.generate_private_key(ec.SECP256R1())
    return _b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def private_key() -> str | None:
    """The configured VAPID private key; a development key under instance/ when none is set outside
    production."""
    config = current_app.config
    if config.get("VAPID_PRIVATE_KEY"):
        return config["VAPID_PRIVATE_KEY"]
    if config["WARDTRACK_ENV"] == "production":
        return None
    path = Path(current_app.instance_path) / "vapid_private_key"
    if not path.exists():
        write_private(path, generate_vapid_key() + "\n")
        log.warning(
            "development VAPID key created at %s; set WARDTRACK_VAPID_PRIVATE_KEY in production",
            path,
        )
    config["VAPID_PRIVATE_KEY"] = path.read_text().strip()
    return config["VAPID_PRIVATE_KEY"]


def enabled() -> bool:
    """Whether the push channel is on (a VAPID key is available)."""
    return private_key() is not None


def public_key() -> str | None:
    """The applicationServerKey browsers subscribe with: the uncompressed public point,
    base64url."""
    key = private_key()
    if key is None:
        return None
    point = Vapid02.from_string(key).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _b64url(point)


class EndpointRefused(OSError):
    """A push endpoint whose name resolves to an address the server must not reach."""


def _allowed_host(parts) -> bool:
    """The one host:port PUSH_ALLOW_HOST names (tests: a push service on 127.0.0.1), exactly."""
    allowed = current_app.config.get("PUSH_ALLOW_HOST")
    if not allowed or not parts.hostname:
        return False
    host, _, port = allowed.strip().lower().rpartition(":")
    try:
        default = 443 if parts.scheme == "https" else 80
        return (
            host.strip("[]") == parts.hostname
            and port.isdigit()
            and int(port) == (parts.port or default)
        )
    except ValueError:  # a port out of range
        return False


def public(address: str) -> bool:
    """Whether an IP address is one on the public internet: not loopback, private, link-local,
    multicast, unspecified or reserved, also when written as an IPv4-mapped, 6to4 or Teredo IPv6
    address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    embedded = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())] if ip.version == 6 else []
    return all(candidate.is_global and not (candidate.is_multicast or candidate.is_reserved)
               for candidate in [ip, *(e for e in embedded if e is not None)])


def resolve(host: str, port: int) -> list[str]:
    """Every address a name resolves to (numeric forms such as 2130706433 or 0177.0.0.1 included, as
    the system reads them when connecting)."""
    return list(
        dict.fromkeys(
            info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        )
    )


def _known_service(host: str) -> bool:
    return any(
        host == known or host.endswith(f".{known}")
        for known in current_app.config["PUSH_SERVICE_HOSTS"]
    )


def endpoint_allowed(endpoint: str) -> bool:
    """A subscription endpoint must be https on a known push service's host (PUSH_SERVICE_HOSTS: the
    server sends to these addresses, so a subscription must not point it inside the network) whose
    name, as far as it resolves now, gives only public addresses; or exactly the PUSH_ALLOW_HOST of
    tests. Delivery checks the addresses again when it connects (connect_address)."""
    parts = urlsplit(endpoint)
    try:
        port = parts.port or 443
    except ValueError:
        return False
    if _allowed_host(parts):
        return True
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return False
    if not _known_service(host):
        return False
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError):
        return True  # not resolvable now: nothing to reach; delivery resolves and checks again
    return all(public(address) for address in addresses)


def connect_address(endpoint: str) -> str:
    """The checked address to connect to for a delivery: the name is resolved now and every address
    it gives must be public (EndpointRefused otherwise), so that a name rebound to an inside address
    since the subscription cannot slip through; the connection then goes to this address, not to a
    second lookup."""
    parts = urlsplit(endpoint)
    if not parts.hostname or parts.scheme not in ("https", "http"):
        raise EndpointRefused("not an http(s) endpoint")
    if _allowed_host(parts):
        return resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))[0]
    if parts.scheme != "https" or not _known_service(parts.hostname):
        raise EndpointRefused("not https on a known push service")
    addresses = resolve(parts.hostname, parts.port or 443)
    if not all(public(address) for address in addresses):
        raise EndpointRefused("the endpoint resolves to an address that is not public")
    return addresses[0]


class _NoRedirects(requests.Session):
    """A session that never follows a redirect (a 3xx comes back as the answer: a failed delivery)
    and ignores proxy settings from the environment (they would connect elsewhere than the checked
    address)."""

    def __init__(self):
        super().__init__()
        self.trust_env = False

    def request(self, *args, **kwargs):
        kwargs["allow_redirects"] = False
        return super().request(*args, **kwargs)


def pinned_session(address: str) -> requests.Session:
    """A requests session whose connections go to `address` whatever the URL's name; TLS still
    checks the certificate against the name (SNI and hostname come from the URL)."""

    def _new_conn(base):
        def new_conn(self):
            # urllib3 connects to _dns_host, nothing else
            name, self._dns_host = self._dns_host, address
            try:
                return base._new_conn(self)
            finally:
                self._dns_host = name
        return new_conn

    http = type("PinnedHTTPConnection", (HTTPConnection,), {"_new_conn": _new_conn(HTTPConnection)})
    https = type(
        "PinnedHTTPSConnection", (HTTPSConnection,), {"_new_conn": _new_conn(HTTPSConnection)}
    )
    adapter = HTTPAdapter(max_retries=0)
    adapter.poolmanager.pool_classes_by_scheme = {
        "http": type("PinnedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http}),
        "https": type("PinnedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https})}
    session = _NoRedirects()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def send(subscription, message: dict) -> int:
    """Send one message (title, body, url: nothing about a patient) to one subscription, connecting
    only to the address checked by connect_address() and following no redirect.

    Returns the push service's status code: 2xx sent, 404/410 gone, 3xx and the rest failed; raises
    EndpointRefused or OSError-like errors on the way.
    """
    session = pinned_session(connect_address(subscription.endpoint))
    info = {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }
    claims = {"sub": current_app.config["VAPID_SUBJECT"]}
    try:
        response = webpush(info, json.dumps(message),
                           vapid_private_key=Vapid02.from_string(private_key()),
                           vapid_claims=claims, ttl=24 * 3600, timeout=10, requests_session=session)
    except WebPushException as error:
        if error.response is None:
            raise
        return error.response.status_code
    finally:
        session.close()
    return response.status_code
