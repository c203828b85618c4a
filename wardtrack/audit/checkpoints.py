"""Signed checkpoints of the audit chain, kept outside the database, as Certificate Transparency
keeps a log.

A checkpoint says "the chain held `size` events and the newest one's hash was `head` at `at`",
signed with an Ed25519 key that never enters the database (WARDTRACK_AUDIT_SIGNING_KEY or
WARDTRACK_AUDIT_SIGNING_KEY_FILE; development creates instance/audit_signing_key). The scheduler
writes one every SCHEDULER_CHECKPOINT_SECONDS when the chain has moved on (and at least every
AUDIT_CHECKPOINT_IDLE_SECONDS when it has not), appending a JSON line to an append-only file
(AUDIT_CHECKPOINT_FILE) and to the system log. Anyone who can write to the database can rewrite the
chain and its head, but not the checkpoints already signed and sent away: `flask audit verify`
compares the two (wardtrack.audit.verification). A checkpoint holds counts and hashes, never patient
data. See docs/audit.md.
"""

import base64
import fcntl
import hashlib
import json
import logging
import logging.handlers
import os
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import Flask, current_app

from wardtrack.audit.models import AuditEvent
from wardtrack.audit.operations import GENESIS
from wardtrack.config import ConfigError
from wardtrack.core.time import iso_z, utcnow
from wardtrack.extensions import db

log = logging.getLogger(__name__)
FORMAT = "wardtrack-audit-checkpoint/1"
_TAIL_BYTES = 8192


# -- the key ---------------------------------------------------------------------------------------

def generate_key_text() -> str:
    """A new private key for WARDTRACK_AUDIT_SIGNING_KEY: its 32 bytes in URL-safe base64."""
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def parse_key(text: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from base64 (32 bytes, URL-safe or standard) or from a PEM (PKCS#8)
    text."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        except (ValueError, TypeError):
            raise ConfigError("the audit signing key is not a readable PEM private key") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ConfigError("the audit signing key must be an Ed25519 key")
        return key
    try:
        raw = base64.urlsafe_b64decode(
            text.replace("+", "-").replace("/", "_") + "=" * (-len(text) % 4)
        )
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise ConfigError(
            "the audit signing key must be 32 bytes in base64 (`flask audit new-signing-key`)"
        )
    return Ed25519PrivateKey.from_private_bytes(raw)


def signing_key(app: Flask, create: bool = True) -> Ed25519PrivateKey | None:
    """The configured key; in development a key under instance/ (created when `create`); None when
    there is none and `create` is off. Production without a key is a ConfigError."""
    config = app.config
    if config.get("AUDIT_SIGNING_KEY"):
        return parse_key(config["AUDIT_SIGNING_KEY"])
    path = config.get("AUDIT_SIGNING_KEY_FILE")
    if not path:
        if config["WARDTRACK_ENV"] == "production":
            raise ConfigError(
                "WARDTRACK_AUDIT_SIGNING_KEY or WARDTRACK_AUDIT_SIGNING_KEY_FILE is required in "
                "production (`flask audit new-signing-key` makes one)"
            )
        path = Path(app.instance_path) / "audit_signing_key"
        if not path.exists():
            if not create:
                return None
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(generate_key_text() + "\n")
            log.warning(
                "development audit signing key created at %s; never use it in production", path
            )
    try:
        return parse_key(Path(path).read_text())
    except OSError as error:
        raise ConfigError(f"cannot read the audit signing key file: {error.strerror}") from None


def verifying_key(app: Flask) -> Ed25519PublicKey | None:
    """The public key checkpoints are checked with: AUDIT_PUBLIC_KEY (base64 of its 32 bytes, for a
    host that verifies but never signs), else the signing key's; None when neither is configured."""
    text = (app.config.get("AUDIT_PUBLIC_KEY") or "").strip()
    if text:
        try:
            raw = base64.urlsafe_b64decode(
                text.replace("+", "-").replace("/", "_") + "=" * (-len(text) % 4)
            )
            return Ed25519PublicKey.from_public_bytes(raw)
        except ValueError:
            raise ConfigError(
                "WARDTRACK_AUDIT_PUBLIC_KEY must be an Ed25519 public key, 32 bytes in base64"
            ) from None
    key = signing_key(app, create=False)
    return key.public_key() if key else None


def key_id(public_key: Ed25519PublicKey) -> str:
    """The first 16 hex digits of the SHA-256 of the raw public key: which key signed a
    checkpoint."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_key_text(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# -- checkpoints -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Checkpoint:
    size: int
    head: str
    at: str
    key: str
    signature: str

    def message(self) -> bytes:
        """What is signed: the format's name, then size, head, time and key id, one to a line."""
        return f"{FORMAT}\n{self.size}\n{self.head}\n{self.at}\n{self.key}\n".encode()

    def signed_by(self, public_key: Ed25519PublicKey) -> bool:
        if self.key != key_id(public_key):
            return False
        try:
            public_key.verify(base64.b64decode(self.signature, validate=True), self.message())
        except (InvalidSignature, ValueError):
            return False
        return True

    @property
    def time(self) -> datetime:
        return datetime.fromisoformat(self.at.replace("Z", "+00:00"))

    def line(self) -> str:
        return json.dumps({"format": FORMAT, **asdict(self)}, separators=(",", ":"))

    @classmethod
    def parse(cls, text: str) -> "Checkpoint":
        """From a line of the file, or of the system log (the JSON after whatever the logger put
        before it)."""
        start = text.find("{")
        if start < 0:
            raise ValueError("no checkpoint on this line")
        # whatever follows the object is ignored
        data, _end = json.JSONDecoder().raw_decode(text[start:])
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a checkpoint")
        checkpoint = cls(int(data["size"]), str(data["head"]), str(data["at"]), str(data["key"]),
                         str(data["signature"]))
        checkpoint.time  # noqa: B018 (a time that cannot be read makes the line unreadable)
        return checkpoint


def sign(key: Ed25519PrivateKey, size: int, head: str, at: datetime) -> Checkpoint:
    unsigned = Checkpoint(size, head, iso_z(at), key_id(key.public_key()), "")
    signature = base64.b64encode(key.sign(unsigned.message())).decode()
    return Checkpoint(unsigned.size, unsigned.head, unsigned.at, unsigned.key, signature)


def checkpoint_file(app: Flask) -> Path:
    return Path(
        app.config.get("AUDIT_CHECKPOINT_FILE")
        or Path(app.instance_path) / "audit-checkpoints.jsonl"
    )


def last_checkpoint(path: Path) -> Checkpoint | None:
    """The newest readable checkpoint at the end of the file (None when there is none)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - _TAIL_BYTES))
            lines = handle.read().decode(errors="replace").splitlines()
    except FileNotFoundError:
        return None
    for line in reversed(lines):
        try:
            return Checkpoint.parse(line)
        except (ValueError, KeyError, TypeError):
            continue
    return None


def _append(path: Path, line: str) -> None:
    """One write of one whole line in append mode, under an exclusive lock, flushed to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def chain_state(previous: Checkpoint | None) -> tuple[int, str]:
    """(size, head hash) of the committed chain. Event ids follow the chain (each is drawn under the
    head's lock), so the events up to the newest one are all committed and counting them is stable;
    counting goes on from the previous checkpoint's event when it is still there."""
    newest = db.session.execute(
        sa.select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    if newest is None:
        return 0, GENESIS
    after, size = 0, 0
    if previous is not None and previous.size > 0:
        previous_id = db.session.scalar(
            sa.select(AuditEvent.id).where(AuditEvent.hash == previous.head)
        )
        if previous_id is not None and previous_id <= newest.id:
            after, size = previous_id, previous.size
        else:
            log.error(
                "the audit chain no longer holds the event of the checkpoint of %s (%s events): "
                "run `flask audit verify`",
                previous.at,
                previous.size,
            )
    count = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                              .where(AuditEvent.id > after, AuditEvent.id <= newest.id))
    return size + count, newest.hash


def _system_log(app: Flask) -> logging.Logger:
    """The logger the checkpoints go to; with AUDIT_SYSLOG ("/dev/log", or "host:port" over UDP)
    also syslog's auth facility, attached once per address."""
    address = app.config.get("AUDIT_SYSLOG")
    if address and not any(getattr(h, "wardtrack_address", None) == address for h in log.handlers):
        host, _, port = address.rpartition(":")
        target = (host, int(port)) if host and port.isdigit() else address
        handler = logging.handlers.SysLogHandler(
            target, facility=logging.handlers.SysLogHandler.LOG_AUTH
        )
        handler.ident, handler.append_nul = "wardtrack-audit: ", False
        handler.wardtrack_address = address
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return log


def write_checkpoint(force: bool = False) -> Checkpoint | None:
    """Sign the chain's state now and write it out; without `force`, only when the chain moved on
    since the newest checkpoint or that one is older than AUDIT_CHECKPOINT_IDLE_SECONDS. The
    checkpoint, or None."""
    app = current_app._get_current_object()
    key, path = signing_key(app), checkpoint_file(app)
    previous = last_checkpoint(path)
    if previous is not None and not previous.signed_by(key.public_key()):
        log.error(
            "the newest checkpoint in %s is not signed by this key: run `flask audit verify`", path
        )
        previous = None
    size, head = chain_state(previous)
    db.session.rollback()  # a read: end it before the file work
    now = utcnow()
    idle = timedelta(seconds=int(app.config["AUDIT_CHECKPOINT_IDLE_SECONDS"]))
    if not force and previous is not None and (previous.size, previous.head) == (size, head) \
            and now - previous.time < idle:
        return None
    if previous is not None and size < previous.size:
        log.error("the audit chain holds %s events, fewer than the %s of the checkpoint of %s: "
                  "run `flask audit verify`", size, previous.size, previous.at)
    checkpoint = sign(key, size, head, now)
    _append(path, checkpoint.line())
    _system_log(app).info("audit checkpoint %s", checkpoint.line())
    return checkpoint


def scheduled_checkpoint(app: Flask) -> Checkpoint | None:
    """The scheduler's job: write_checkpoint() in a fresh app context."""
    with app.app_context():
        try:
            return write_checkpoint()
        except Exception:
            db.session.rollback()
            log.error("job audit_checkpoint failed")
            raise
        finally:
            db.session.remove()
