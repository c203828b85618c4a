"""Envelope encryption of small secrets: a fresh AES-256-GCM data key per row, wrapped by the
keyring's newest key-encryption key, both bound to the row by associated data.

Generic (no domain knowledge): the caller names the associated data, e.g.
`check_in|<patient_id>|<check_in_id>`, so that a ciphertext copied to another row does not open.
"""

import logging
import os

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from wardtrack.core.crypto import Keyring, KeyringError, load_keyring
from wardtrack.core.errors import DomainError

log = logging.getLogger(__name__)


class KeysUnavailable(DomainError):
    """The keyring cannot be loaded, so nothing can be sealed (the server must be fixed)."""

    status = 503


class Unopenable(Exception):
    """A sealed row does not open: its key is missing, or the row was altered or moved."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Sealed:
    """The envelope of an encrypted row: its ciphertext, the nonce, and its data key wrapped by the
    key-encryption key `key_id` (which lives in the keyring, never here)."""

    key_id: Mapped[str] = mapped_column(sa.String(40), index=True)
    wrapped_key: Mapped[bytes] = mapped_column(sa.LargeBinary())
    nonce: Mapped[bytes] = mapped_column(sa.LargeBinary())
    ciphertext: Mapped[bytes] = mapped_column(sa.LargeBinary())


def keyring() -> Keyring:
    """The app's keyring; 503 when the keys are unusable (logged without key material)."""
    try:
        return load_keyring(current_app.config)
    except KeyringError as error:
        log.error("envelope: crypto keys unusable (%s)", error)
        raise KeysUnavailable("The crypto keys are not usable; nothing can be sealed.") from None


def seal(ring: Keyring, associated: bytes, plaintext: bytes) -> dict:
    """Encrypt plaintext under a fresh data key; returns the four `Sealed` columns."""
    data_key, nonce = AESGCM.generate_key(bit_length=256), os.urandom(12)
    ciphertext = AESGCM(data_key).encrypt(nonce, plaintext, associated)
    key_id, wrapped = ring.wrap(data_key, associated)
    return {"key_id": key_id, "wrapped_key": wrapped, "nonce": nonce, "ciphertext": ciphertext}


def _data_key(ring: Keyring, associated: bytes, row: Sealed) -> bytes:
    try:
        return ring.unwrap(row.key_id, bytes(row.wrapped_key), associated)
    except KeyringError:
        reason = "key_missing" if row.key_id not in ring.keys else "key_does_not_open"
        raise Unopenable(reason) from None


def open_sealed(ring: Keyring, associated: bytes, row: Sealed) -> bytes:
    """The plaintext of a sealed row; Unopenable (with a reason, never content) when it fails."""
    data_key = _data_key(ring, associated, row)
    try:
        return AESGCM(data_key).decrypt(bytes(row.nonce), bytes(row.ciphertext), associated)
    except (InvalidTag, ValueError):
        raise Unopenable("ciphertext_altered") from None


def rewrap(ring: Keyring, associated: bytes, row: Sealed) -> None:
    """Put the row's data key under the newest key; the ciphertext stays as it is."""
    row.key_id, row.wrapped_key = ring.wrap(_data_key(ring, associated, row), associated)


def register_sealed(app, label: str, model: type[Sealed], associated) -> None:
    """Make a sealed table of a higher package known to `flask crypto rotate` and `check` and to
    the readiness check of stored keys: `associated(row)` gives the row's associated data."""
    app.extensions.setdefault("wardtrack.sealed", []).append((label, model, associated))


def registered_sealed(app) -> list[tuple[str, type[Sealed], object]]:
    """The (label, model, associated) of every table registered with register_sealed."""
    return app.extensions.get("wardtrack.sealed", [])
