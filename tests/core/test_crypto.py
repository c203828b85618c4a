"""The keyring: parsing WARDTRACK_CRYPTO_KEYS and wrapping data keys."""

import base64
import os

import pytest

from wardtrack.core.crypto import Keyring, KeyringError, generate_key_line, load_keyring

KEY_A, KEY_B = os.urandom(32), os.urandom(32)
A, B = base64.b64encode(KEY_A).decode(), base64.b64encode(KEY_B).decode()


def test_parse_keeps_order_newest_first():
    for text in (f"new:{A},old:{B}", f"new:{A}\nold:{B}\n", f"# rotated, keep old below\nnew:{A}\n\n  old:{B}  "):
        keyring = Keyring.parse(text)
        assert list(keyring.keys) == ["new", "old"]
        assert keyring.keys == {"new": KEY_A, "old": KEY_B}
        assert keyring.newest_id == "new"


def test_generated_lines_parse():
    line = generate_key_line()
    assert len(Keyring.parse(line).keys[line.split(":")[0]]) == 32


@pytest.mark.parametrize(("text", "message"), [
    ("", "no crypto keys"),
    ("# nothing here", "no crypto keys"),
    (A, "entry 1 is not of the form"),
    (f"new:{A},{B}", "entry 2 is not of the form"),
    (f"bad id:{A}", "entry 1"),
    (f":{A}", "entry 1"),
    (f"{'k' * 41}:{A}", "entry 1"),
    (f"k1:{A},k1:{B}", "k1 is repeated"),
    ("k1:not base64!", "not base64"),
    ("k1:" + base64.b64encode(os.urandom(16)).decode(), "not 256 bits"),
    ("k1:", "not 256 bits"),
], ids=["empty", "comment", "no-id", "second-without-id", "space-in-id", "empty-id", "long-id", "repeated",
        "not-base64", "128-bit", "no-key"])
def test_parse_rejects_malformed_keys_without_echoing_them(text, message):
    with pytest.raises(KeyringError, match=message) as caught:
        Keyring.parse(text)
    assert A not in str(caught.value) and B not in str(caught.value)


def test_wrap_and_unwrap():
    old, new = Keyring.parse(f"old:{B}"), Keyring.parse(f"new:{A},old:{B}")
    data_key = os.urandom(32)
    key_id, wrapped = old.wrap(data_key, b"crisis_plan|1|1")
    assert key_id == "old" and data_key not in wrapped
    assert new.unwrap(key_id, wrapped, b"crisis_plan|1|1") == data_key
    assert new.wrap(data_key, b"x")[0] == "new"


def test_unwrap_failures_are_keyring_errors():
    keyring = Keyring.parse(f"k1:{A}")
    key_id, wrapped = keyring.wrap(os.urandom(32), b"crisis_plan|1|1")
    with pytest.raises(KeyringError, match="not configured"):
        Keyring.parse(f"k2:{A}").unwrap(key_id, wrapped, b"crisis_plan|1|1")
    with pytest.raises(KeyringError, match="does not open"):
        Keyring.parse(f"k1:{B}").unwrap(key_id, wrapped, b"crisis_plan|1|1")
    with pytest.raises(KeyringError, match="does not open"):
        keyring.unwrap(key_id, wrapped, b"crisis_plan|2|1")  # copied to another patient


def test_self_test_passes_on_good_keys():
    Keyring.parse(f"a:{A},b:{B}").self_test()


def test_load_keyring_sources(tmp_path):
    path = tmp_path / "keys"
    path.write_text(f"k1:{A}\n")
    assert load_keyring({"CRYPTO_KEYS": f"k2:{B}", "CRYPTO_KEYS_FILE": str(path)}).newest_id == "k2"
    assert load_keyring({"CRYPTO_KEYS": None, "CRYPTO_KEYS_FILE": str(path)}).newest_id == "k1"
    with pytest.raises(KeyringError, match="no crypto keys"):
        load_keyring({})
    with pytest.raises(KeyringError, match="cannot read"):
        load_keyring({"CRYPTO_KEYS_FILE": str(tmp_path / "missing")})
    path.write_bytes(b"\xff\x00")
    with pytest.raises(KeyringError, match="not text"):
        load_keyring({"CRYPTO_KEYS_FILE": str(path)})
