"""Envelope encryption of crisis-plan content: a fresh data key per version, wrapped by the
keyring."""

import json
import logging
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

from wardtrack.core.crypto import Keyring, KeyringError, load_keyring
from wardtrack.core.errors import DomainError

log = logging.getLogger(__name__)


class PlanUnreadable(DomainError):
    """A stored version does not decrypt: its key is missing, or the row was altered or moved.

    409, not a 5xx: the request was fine, but the stored resource is in a state that conflicts with
    its integrity binding, and retrying will not help (proxies and clients retry 5xx); the operator
    is told through the integrity log line and /readyz.
    """

    status = 409


class KeysUnavailable(DomainError):
    """The keyring cannot be loaded, so no plan can be written (the server, not the client, must be
    fixed)."""

    status = 503


def associated_data(patient_id: int, version: int) -> bytes:
    """What binds a version's ciphertext and wrapped key to its row."""
    return f"crisis_plan|{patient_id}|{version}".encode()


def keyring() -> Keyring:
    """The app's keyring; 503 when the keys are unusable."""
    try:
        return load_keyring(current_app.config)
    except KeyringError as error:
        log.error("crisis plans: crypto keys unusable (%s)", error)
        raise KeysUnavailable(
            "Crisis plans are unavailable: the crypto keys are not usable."
        ) from None


def seal(ring: Keyring, patient_id: int, version: int, content: dict) -> dict:
    """Encrypt content for (patient, version); returns the key_id, wrapped_key, nonce and ciphertext
    columns."""
    aad = associated_data(patient_id, version)
    data_key, nonce = AESGCM.generate_key(bit_length=256), os.urandom(12)
    plaintext = json.dumps(content, separators=(",", ":"), sort_keys=True).encode()
    ciphertext = AESGCM(data_key).encrypt(nonce, plaintext, aad)
    key_id, wrapped = ring.wrap(data_key, aad)
    return {"key_id": key_id, "wrapped_key": wrapped, "nonce": nonce, "ciphertext": ciphertext}


def _refuse(row, reason: str) -> PlanUnreadable:
    # ids and the reason only: never content, never key material
    log.error(
        (
            "integrity: crisis plan cannot be decrypted patient_id=%s version=%s row_id=%s "
            "key_id=%s reason=%s"
        ),
        row.patient_id,
        row.version,
        row.id,
        row.key_id,
        reason,
    )
    return PlanUnreadable(
        "This crisis plan version cannot be decrypted: its key is missing or the stored row "
        "was altered. The administrator has been told through the integrity log."
    )


def unwrap_key(ring: Keyring, row) -> bytes:
    """The row's data key; PlanUnreadable (logged as an integrity event) when it does not unwrap."""
    try:
        return ring.unwrap(
            row.key_id, bytes(row.wrapped_key), associated_data(row.patient_id, row.version)
        )
    except KeyringError:
        reason = "key_missing" if row.key_id not in ring.keys else "key_does_not_open"
        raise _refuse(row, reason) from None


def open_content(ring: Keyring, row) -> dict:
    """Decrypt a version's content; PlanUnreadable when it fails authentication (never wrong
    text)."""
    data_key = unwrap_key(ring, row)
    try:
        plaintext = AESGCM(data_key).decrypt(bytes(row.nonce), bytes(row.ciphertext),
                                             associated_data(row.patient_id, row.version))
    except (InvalidTag, ValueError):
        raise _refuse(row, "ciphertext_altered") from None
    return json.loads(plaintext)


def rewrap(ring: Keyring, row) -> None:
    """Put the row's data key under the newest key; the content ciphertext stays as it is."""
    data_key = unwrap_key(ring, row)
    row.key_id, row.wrapped_key = ring.wrap(data_key, associated_data(row.patient_id, row.version))
