"""Real servers on 127.0.0.1 for delivery tests: an SMTP sink (aiosmtpd) and a push service that checks
the VAPID authorization and decrypts each message (http_ece, aes128gcm) with a subscription key pair the
test made, as a browser's push service and the browser would."""

import base64
import json
import os
import socket
import threading
import time
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    """An SMTP server on a free local port keeping every message it receives."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], Message]] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_DATA(self, _server, _session, envelope):  # noqa: N802 — aiosmtpd's hook name
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.controller.port}"

    def wait_for(self, count: int, seconds: float = 10) -> list:
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *_exc):
        self.controller.stop()


class Device:
    """A browser's side of a push subscription: its key pair and auth secret, and what it received."""

    def __init__(self, name: str, status: int = 201):
        self.name, self.status = name, status
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.received: list[dict] = []

    def subscription(self, base_url: str) -> dict:
        point = self.key.public_key().public_bytes(serialization.Encoding.X962,
                                                   serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": f"{base_url}/push/{self.name}", "expirationTime": None,
                "keys": {"p256dh": b64url(point), "auth": b64url(self.auth)}}

    def decrypt(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"))


class PushService:
    """A push service on a free local port. Each POST /push/<device> must carry a valid VAPID JWT signed by
    `vapid_public_key` for this origin; the payload is decrypted with the device's keys and kept. A device
    answers its `status` (201, or e.g. 410 when the subscription has expired)."""

    def __init__(self, vapid_public_key: str):
        self.vapid_public_key = vapid_public_key
        self.devices: dict[str, Device] = {}
        self.refused: list[str] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — http.server's hook name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                code = service.handle(self.path, self.headers, body)
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def device(self, name: str, status: int = 201) -> Device:
        self.devices[name] = Device(name, status)
        return self.devices[name]

    def check_vapid(self, authorization: str) -> None:
        scheme, _, params = authorization.partition(" ")
        parts = dict(item.strip().split("=", 1) for item in params.split(","))
        assert scheme == "vapid" and parts["k"] == self.vapid_public_key, "not signed by the server's key"
        assert Vapid02.verify(authorization), "bad VAPID signature"
        claims = json.loads(unb64url(parts["t"].split(".")[1]))
        assert claims["aud"] == self.base_url and claims["exp"] > time.time() and claims["sub"].startswith("mailto:")

    def handle(self, path: str, headers, body: bytes) -> int:
        device = self.devices.get(path.rsplit("/", 1)[-1])
        try:
            assert device is not None, "unknown device"
            assert headers.get("Content-Encoding") == "aes128gcm", "not aes128gcm"
            self.check_vapid(headers.get("Authorization", ""))
            if device.status < 300:
                device.received.append(device.decrypt(body))
            return device.status
        except (AssertionError, ValueError, KeyError) as error:
            self.refused.append(f"{path}: {error}")
            return 403

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_exc):
        self.server.shutdown()
        self.server.server_close()
