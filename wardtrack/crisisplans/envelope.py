"""Crisis-plan content in the envelope of core/envelope.py: a fresh data key per version, bound
to `crisis_plan|<patient_id>|<version>`."""

import json
import logging

from wardtrack.core import envelope
from wardtrack.core.crypto import Keyring
from wardtrack.core.envelope import KeysUnavailable, Unopenable, keyring
from wardtrack.core.errors import DomainError

__all__ = ["KeysUnavailable", "PlanUnreadable", "keyring", "open_content", "rewrap", "seal"]
log = logging.getLogger(__name__)


class PlanUnreadable(DomainError):
    """A stored version does not decrypt: its key is missing, or the row was altered or moved.

    409, not a 5xx: the request was fine, but the stored resource is in a state that conflicts with
    its integrity binding, and retrying will not help (proxies and clients retry 5xx); the operator
    is told through the integrity log line and /readyz.
    """

    status = 409


def associated_data(patient_id: int, version: int) -> bytes:
    """What binds a version's ciphertext and wrapped key to its row."""
    return f"crisis_plan|{patient_id}|{version}".encode()


def seal(ring: Keyring, patient_id: int, version: int, content: dict) -> dict:
    """Encrypt content for (patient, version); returns the key_id, wrapped_key, nonce and ciphertext
    columns."""
    plaintext = json.dumps(content, separators=(",", ":"), sort_keys=True).encode()
    return envelope.seal(ring, associated_data(patient_id, version), plaintext)


def _refuse(row, reason: str) -> PlanUnreadable:
    # ids and the reason only: never content, never key material
    log.error("integrity: crisis plan cannot be decrypted patient_id=%s version=%s row_id=%s "
              "key_id=%s reason=%s", row.patient_id, row.version, row.id, row.key_id, reason)
    return PlanUnreadable(
        "This crisis plan version cannot be decrypted: its key is missing or the stored row "
        "was altered. The administrator has been told through the integrity log.")


def open_content(ring: Keyring, row) -> dict:
    """Decrypt a version's content; PlanUnreadable when it fails authentication (never wrong
    text)."""
    try:
        return json.loads(envelope.open_sealed(ring, associated_data(row.patient_id, row.version),
                                               row))
    except Unopenable as error:
        raise _refuse(row, error.reason) from None


def rewrap(ring: Keyring, row) -> None:
    """Put the row's data key under the newest key; the content ciphertext stays as it is."""
    try:
        envelope.rewrap(ring, associated_data(row.patient_id, row.version), row)
    except Unopenable as error:
        raise _refuse(row, error.reason) from None
