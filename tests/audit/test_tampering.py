"""Rewrites that keep the chain's own links intact are caught by the signed checkpoints: truncation, rollback
and rewrite; and the four classic tampers (edit, delete, insert, reorder) are caught whatever the
checkpoints say. Every tamper is done as the database's superuser would, with the triggers out of the way."""

import os

import pytest
import sqlalchemy as sa

from wardtrack.audit.checkpoints import scheduled_checkpoint
from wardtrack.audit.models import AuditEvent
from wardtrack.audit.operations import GENESIS, chain_hash
from wardtrack.extensions import db

ON_POSTGRES = bool(os.environ.get("WARDTRACK_TEST_DATABASE_URL"))
postgres_only = [pytest.mark.postgres,
                 pytest.mark.skipif(not ON_POSTGRES, reason="TRUNCATE exists on PostgreSQL only; "
                                                            "set WARDTRACK_TEST_DATABASE_URL")]


def verify(runner):
    result = runner.invoke(args=["audit", "verify"])
    return result.exit_code, result.stderr


@pytest.fixture
def checkpointed(app, runner, add_events, events):
    """80 events, with a signed checkpoint after the 40th and after the 80th; the chain passes verify."""
    add_events(40)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    add_events(40)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    assert verify(runner)[0] == 0
    return events()


def _only_checkpoints_see_it(stderr):
    """The chain's own links hold: without the checkpoints this would pass, as it did before them."""
    assert "broken at event" not in stderr and "cut short" not in stderr


@pytest.mark.parametrize("empty", [
    pytest.param("TRUNCATE audit_events RESTART IDENTITY", marks=postgres_only, id="truncate"),
    pytest.param("DELETE FROM audit_events", id="delete-all"),
])
def test_truncating_the_events_and_resetting_the_head_is_reported_as_truncation(checkpointed, runner, tamper,
                                                                               move_head, empty):
    tamper(empty)
    move_head(GENESIS)
    code, stderr = verify(runner)
    assert code == 1
    _only_checkpoints_see_it(stderr)
    assert "audit chain truncated: it holds no events, but the checkpoint of " in stderr
    assert "signed 80: its events were removed (TRUNCATE or DELETE) and its head reset" in stderr


def test_a_chain_emptied_and_begun_again_is_reported_as_truncation(checkpointed, runner, tamper, move_head,
                                                                   add_events):
    tamper("DELETE FROM audit_events")
    move_head(GENESIS)
    add_events(3)
    code, stderr = verify(runner)
    assert code == 1
    assert "audit chain truncated: it holds 3 events, all recorded after the checkpoint of " in stderr


def test_deleting_the_newest_50_and_moving_the_head_back_is_reported_as_rollback(checkpointed, runner, tamper,
                                                                                 move_head):
    tamper("DELETE FROM audit_events WHERE id > :id", id=checkpointed[29]["id"])
    move_head(checkpointed[29]["hash"])
    code, stderr = verify(runner)
    assert code == 1
    _only_checkpoints_see_it(stderr)
    assert "audit chain rolled back: it ends after 30 events, but the checkpoint of " in stderr
    assert "signed 80: the newest 50 events were deleted and the head moved back" in stderr


def test_editing_an_event_and_recomputing_every_hash_after_it_is_reported_as_rewrite(checkpointed, runner, tamper,
                                                                                     recompute):
    edited = checkpointed[49]
    tamper("UPDATE audit_events SET action = 'ward.delete', actor_user_id = 999 WHERE id = :id", id=edited["id"])
    recompute()
    code, stderr = verify(runner)
    assert code == 1
    _only_checkpoints_see_it(stderr)
    assert (f"audit chain rewritten: event 80 of the chain (id {checkpointed[79]['id']}) is not the event the "
            "checkpoint of ") in stderr
    assert "an event at or before it was changed and the hashes after it recomputed" in stderr
    assert "still matches its first 40 events" in stderr  # the edit lies between events 41 and 80


def test_a_rollback_signed_by_a_later_checkpoint_is_still_reported(checkpointed, runner, tamper, move_head):
    tamper("DELETE FROM audit_events WHERE id > :id", id=checkpointed[59]["id"])
    move_head(checkpointed[59]["hash"])
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0  # the scheduler signs what it finds
    code, stderr = verify(runner)
    assert code == 1
    assert "rolled back between checkpoints: the checkpoint of " in stderr and "signed 60 events, fewer than" in stderr


# The four classic tampers: each breaks a link the walk finds, checkpoints or not.

def test_an_edited_event_is_found(checkpointed, runner, tamper):
    tamper("UPDATE audit_events SET patient_id = 1 WHERE id = :id", id=checkpointed[10]["id"])
    code, stderr = verify(runner)
    assert code == 1 and f"broken at event {checkpointed[10]['id']} " in stderr and "after 10 intact" in stderr


def test_a_deleted_event_is_found(checkpointed, runner, tamper):
    tamper("DELETE FROM audit_events WHERE id = :id", id=checkpointed[10]["id"])
    code, stderr = verify(runner)
    assert code == 1 and f"broken at event {checkpointed[11]['id']} " in stderr
    assert "audit chain rewritten: event 40 of the chain" in stderr  # every later position moved


def test_a_forged_event_inserted_is_found(checkpointed, runner, tamper):
    """Linked to the genesis hash and slipped in before the first event, with a correct hash of its own."""
    first = db.session.get(AuditEvent, checkpointed[0]["id"])
    values = {"at": first.at, "actor_user_id": 1, "actor_role": "admin", "action": "user.create",
              "patient_id": None, "object_type": "user", "object_id": "99", "request_id": None}
    forged = chain_hash(GENESIS, values)
    tamper("INSERT INTO audit_events (id, at, actor_user_id, actor_role, action, patient_id, object_type, "
           "object_id, request_id, prev_hash, hash) VALUES (0, :at, :actor_user_id, :actor_role, :action, "
           ":patient_id, :object_type, :object_id, :request_id, :prev, :hash)",
           **values, prev=GENESIS, hash=forged)
    code, stderr = verify(runner)
    assert code == 1 and f"broken at event {checkpointed[0]['id']} " in stderr and "after 1 intact" in stderr


def test_two_events_swapped_are_found(checkpointed, runner, tamper):
    first, second = checkpointed[20]["id"], checkpointed[21]["id"]
    tamper("UPDATE audit_events SET id = -1 WHERE id = :a; UPDATE audit_events SET id = :a WHERE id = :b; "
           "UPDATE audit_events SET id = :b WHERE id = -1", a=first, b=second)
    code, stderr = verify(runner)
    assert code == 1 and f"broken at event {first} " in stderr and "after 20 intact" in stderr


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="TRUNCATE exists on PostgreSQL only; set WARDTRACK_TEST_DATABASE_URL")
@pytest.mark.parametrize("table", ["audit_events", "audit_chain_head"])
def test_the_database_refuses_truncate_on_the_audit_tables(checkpointed, runner, table):
    with pytest.raises(sa.exc.DBAPIError, match=f"append-only: TRUNCATE {table} refused"):
        db.session.execute(sa.text(f"TRUNCATE {table} CASCADE"))
    db.session.rollback()
    assert verify(runner)[0] == 0


def test_the_scheduler_raises_the_alarm_when_the_last_checkpoint_is_gone(app, checkpointed, tamper, move_head,
                                                                        caplog):
    tamper("DELETE FROM audit_events WHERE id > :id", id=checkpointed[59]["id"])
    move_head(checkpointed[59]["hash"])
    assert scheduled_checkpoint(app).size == 60  # counted afresh, as the previous checkpoint's event is gone
    assert "the audit chain no longer holds the event of the checkpoint of " in caplog.text
    assert "holds 60 events, fewer than the 80 of the checkpoint" in caplog.text
