"""Signed checkpoints of the audit chain: written by the scheduler and `flask audit checkpoint` to a file and
the system log, checked by `flask audit verify`; a forged or foreign checkpoint is reported."""

import json
import logging
import os
import socket
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wardtrack.audit import checkpoints
from wardtrack.audit.checkpoints import Checkpoint, parse_key, scheduled_checkpoint, sign, signing_key
from wardtrack.config import ConfigError
from wardtrack.core.time import utcnow
from wardtrack.notifications import scheduler


def lines(app) -> list[str]:
    return Path(app.config["AUDIT_CHECKPOINT_FILE"]).read_text().splitlines()


def verify(runner, *args):
    result = runner.invoke(args=["audit", "verify", *args])
    return result.exit_code, result.output, result.stderr


def test_a_checkpoint_signs_the_size_and_head_of_the_chain(app, runner, add_events, events):
    add_events(5)
    result = runner.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    [line] = lines(app)
    assert json.loads(result.output) == json.loads(line)
    data = json.loads(line)
    assert set(data) == {"format", "size", "head", "at", "key", "signature"}  # counts and hashes only
    checkpoint = Checkpoint.parse(line)
    assert (checkpoint.size, checkpoint.head) == (5, events()[-1]["hash"])
    assert checkpoint.signed_by(signing_key(app).public_key())
    assert not checkpoint.signed_by(Ed25519PrivateKey.generate().public_key())


def test_verify_matches_the_chain_with_its_checkpoints(app, runner, add_events):
    add_events(3)
    runner.invoke(args=["audit", "checkpoint"])
    add_events(4)
    runner.invoke(args=["audit", "checkpoint"])
    add_events(2)  # not yet covered by a checkpoint
    code, output, stderr = verify(runner)
    assert code == 0, stderr
    assert "intact: 9 events" in output
    assert "signed checkpoints checked: 2" in stderr and "(7 events)" in stderr


def test_the_job_writes_when_the_chain_moved_on_and_hourly_when_it_did_not(app, add_events):
    add_events(2)
    assert scheduled_checkpoint(app).size == 2
    assert scheduled_checkpoint(app) is None and len(lines(app)) == 1  # nothing new: nothing written
    add_events(3)
    assert scheduled_checkpoint(app).size == 5  # counted on from the previous checkpoint's event
    app.config["AUDIT_CHECKPOINT_IDLE_SECONDS"] = 0
    assert scheduled_checkpoint(app).size == 5
    assert [Checkpoint.parse(line).size for line in lines(app)] == [2, 5, 5]


def test_the_scheduler_runs_the_checkpoint_job_every_minute(app):
    jobs = {job.id: job for job in scheduler.build(app, blocking=False).get_jobs()}
    assert jobs["audit_checkpoint"].trigger.interval.total_seconds() == 60
    assert jobs["audit_checkpoint"].func is scheduled_checkpoint


def test_the_scheduler_refuses_to_start_in_production_without_a_signing_key(app):
    app.config.update(WARDTRACK_ENV="production", AUDIT_SIGNING_KEY=None, AUDIT_SIGNING_KEY_FILE=None)
    with pytest.raises(ConfigError, match="WARDTRACK_AUDIT_SIGNING_KEY"):
        scheduler.build(app, blocking=False)


def test_development_creates_a_private_key_under_the_instance_folder(tmp_path, caplog):
    fake = SimpleNamespace(config={"WARDTRACK_ENV": "development"}, instance_path=str(tmp_path))
    assert signing_key(fake, create=False) is None
    key = signing_key(fake)
    path = tmp_path / "audit_signing_key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert "development audit signing key created" in caplog.text
    assert checkpoints.key_id(signing_key(fake).public_key()) == checkpoints.key_id(key.public_key())


def test_a_key_is_read_from_base64_or_pem_and_a_bad_one_is_refused(tmp_path):
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    path = tmp_path / "key.pem"
    path.write_text(pem)
    fake = SimpleNamespace(config={"WARDTRACK_ENV": "production", "AUDIT_SIGNING_KEY_FILE": str(path)},
                           instance_path=str(tmp_path))
    assert checkpoints.key_id(signing_key(fake).public_key()) == checkpoints.key_id(key.public_key())
    assert parse_key(checkpoints.generate_key_text())
    for bad in ("not-a-key", "c2hvcnQ", "-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----"):
        with pytest.raises(ConfigError, match="audit signing key"):
            parse_key(bad)


def test_new_signing_key_prints_a_usable_key(runner):
    result = runner.invoke(args=["audit", "new-signing-key"])
    assert result.exit_code == 0
    key = parse_key(result.stdout.strip())
    assert checkpoints.key_id(key.public_key()) in result.stderr


def test_a_forged_checkpoint_signature_is_reported(app, runner, add_events):
    add_events(4)
    runner.invoke(args=["audit", "checkpoint"])
    [line] = lines(app)
    data = json.loads(line)
    forged = json.dumps({**data, "size": 2})  # claims fewer events: would hide a later rollback
    Path(app.config["AUDIT_CHECKPOINT_FILE"]).write_text(line + "\n" + forged + "\n")
    code, _, stderr = verify(runner)
    assert code == 1
    assert "checkpoint line 2 of" in stderr and "a signature that does not match: the checkpoint was forged" in stderr


def test_a_checkpoint_signed_by_another_key_or_unreadable_is_reported(app, runner, add_events, events):
    add_events(2)
    other = sign(Ed25519PrivateKey.generate(), 2, events()[-1]["hash"], utcnow())
    Path(app.config["AUDIT_CHECKPOINT_FILE"]).write_text(other.line() + "\n{\"format\": \"garbage\n")
    code, _, stderr = verify(runner)
    assert code == 1
    assert f"line 1 of {app.config['AUDIT_CHECKPOINT_FILE']} is signed by key {other.key}, not by" in stderr
    assert "checkpoint line 2 of" in stderr and "not a readable checkpoint" in stderr


def test_verify_reads_checkpoints_copied_from_the_system_log(app, runner, add_events, tmp_path):
    add_events(3)
    runner.invoke(args=["audit", "checkpoint"])
    copy = tmp_path / "from-syslog.log"
    copy.write_text("".join(f"Dec  3 12:00:00 host wardtrack-audit: audit checkpoint {line}\n" for line in lines(app)))
    Path(app.config["AUDIT_CHECKPOINT_FILE"]).unlink()
    code, output, stderr = verify(runner, "--checkpoints", str(copy))
    assert code == 0 and "signed checkpoints checked: 1" in stderr and "intact: 3 events" in output


def test_verify_reads_the_checkpoints_of_each_host_a_scheduler_ran_on(app, runner, add_events, tmp_path):
    """A standby on another host that took over wrote its checkpoints to its own instance folder."""
    add_events(3)
    runner.invoke(args=["audit", "checkpoint"])
    app.config["AUDIT_CHECKPOINT_FILE"] = str(tmp_path / "standby.jsonl")
    add_events(2)
    runner.invoke(args=["audit", "checkpoint"])
    both = ["--checkpoints", str(tmp_path / "audit-checkpoints.jsonl"),
            "--checkpoints", str(tmp_path / "standby.jsonl")]
    code, _, stderr = verify(runner, *both)
    assert code == 0 and "signed checkpoints checked: 2" in stderr and "(5 events)" in stderr


@pytest.fixture
def syslog_server():
    """A UDP socket on 127.0.0.1 standing in for the system log; the handler attached to it is removed after."""
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(5)
    yield server
    for handler in list(checkpoints.log.handlers):
        if getattr(handler, "wardtrack_address", None):
            checkpoints.log.removeHandler(handler)
            handler.close()
    checkpoints.log.setLevel(logging.NOTSET)
    server.close()


def test_checkpoints_go_to_the_system_log_too(app, runner, add_events, syslog_server):
    app.config["AUDIT_SYSLOG"] = f"127.0.0.1:{syslog_server.getsockname()[1]}"
    add_events(1)
    result = runner.invoke(args=["audit", "checkpoint"])
    message = syslog_server.recv(4096).decode()
    assert message.startswith("<" + str(4 * 8 + 6) + ">wardtrack-audit: audit checkpoint {")  # auth.info
    assert Checkpoint.parse(message) == Checkpoint.parse(result.output)


def test_a_host_that_only_verifies_needs_only_the_public_key(app, runner, add_events):
    add_events(2)
    runner.invoke(args=["audit", "checkpoint"])
    public = checkpoints.public_key_text(signing_key(app).public_key())
    app.config.update(AUDIT_SIGNING_KEY=None, WARDTRACK_ENV="production", AUDIT_PUBLIC_KEY=public)
    code, output, stderr = verify(runner)
    assert code == 0 and "signed checkpoints checked: 1" in stderr, stderr
    app.config["AUDIT_PUBLIC_KEY"] = checkpoints.public_key_text(Ed25519PrivateKey.generate().public_key())
    code, _, stderr = verify(runner)
    assert code == 1 and "not by this instance's key" in stderr
