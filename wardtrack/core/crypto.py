"""The keyring of key-encryption keys; keys come from the environment or a file, never the
database."""

import base64
import binascii
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class KeyringError(RuntimeError):
    """The configured keys are missing or malformed."""


def generate_key_line() -> str:
    """A new `key_id:base64key` entry for WARDTRACK_CRYPTO_KEYS (put it first to make it the
    newest)."""
    key_id = datetime.now(UTC).strftime("k%Y%m%d%H%M%S")
    return f"{key_id}:{base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()}"


@dataclass(frozen=True)
class Keyring:
    """Key-encryption keys by id; the first is the newest and wraps new data keys."""

    keys: dict[str, bytes]

    @property
    def newest_id(self) -> str:
        return next(iter(self.keys))

    @classmethod
    def parse(cls, text: str) -> "Keyring":
        """Read entries `id:base64` separated by commas or new lines, newest first; `#` starts a
        comment line.

        Error messages name an entry by its position, never by its text: a malformed entry may be a
        key.
        """
        keys: dict[str, bytes] = {}
        lines = (line for line in text.splitlines() if not line.strip().startswith("#"))
        entries = [part.strip() for line in lines for part in line.split(",") if part.strip()]
        for number, entry in enumerate(entries, start=1):
            key_id, colon, encoded = entry.partition(":")
            if not colon or not _KEY_ID.match(key_id):
                raise KeyringError(f"crypto key entry {number} is not of the form key_id:base64")
            if key_id in keys:
                raise KeyringError(f"crypto key id {key_id} is repeated")
            try:
                key = base64.b64decode(encoded.strip(), validate=True)
            except binascii.Error:
                raise KeyringError(f"crypto key {key_id} is not base64") from None
            if len(key) != 32:
                raise KeyringError(f"crypto key {key_id} is not 256 bits")
            keys[key_id] = key
        if not keys:
            raise KeyringError("no crypto keys configured")
        return cls(keys)

    def wrap(self, data_key: bytes, associated: bytes) -> tuple[str, bytes]:
        """Encrypt a data key under the newest key; returns (key id, nonce ‖ wrapped key)."""
        nonce = os.urandom(12)
        return self.newest_id, nonce + AESGCM(self.keys[self.newest_id]).encrypt(
            nonce, data_key, associated
        )

    def unwrap(self, key_id: str, wrapped: bytes, associated: bytes) -> bytes:
        """Decrypt a data key; KeyringError when its key is not configured or is not the key that
        wrapped it."""
        if key_id not in self.keys:
            raise KeyringError(f"key {key_id} is not configured")
        try:
            return AESGCM(self.keys[key_id]).decrypt(wrapped[:12], wrapped[12:], associated)
        except InvalidTag:
            raise KeyringError(
                f"key {key_id} does not open this data key (wrong key or altered row)"
            ) from None

    def self_test(self) -> None:
        """Round-trip a random data key under every key; raises when one is unusable."""
        probe = os.urandom(32)
        for key_id in self.keys:
            nonce = os.urandom(12)
            aes = AESGCM(self.keys[key_id])
            if aes.decrypt(nonce, aes.encrypt(nonce, probe, b"probe"), b"probe") != probe:
                raise KeyringError(f"key {key_id} failed its self-test")


def load_keyring(config) -> Keyring:
    """The keyring from CRYPTO_KEYS, else from CRYPTO_KEYS_FILE."""
    if config.get("CRYPTO_KEYS"):
        return Keyring.parse(config["CRYPTO_KEYS"])
    path = config.get("CRYPTO_KEYS_FILE")
    if not path:
        raise KeyringError("no crypto keys configured")
    try:
        return Keyring.parse(Path(path).read_text())
    except OSError as error:
        raise KeyringError(f"cannot read the crypto keys file: {error.strerror}") from None
    except UnicodeDecodeError:
        raise KeyringError("the crypto keys file is not text") from None
