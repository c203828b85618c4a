"""The hash chain, `flask audit verify`, and the database refusing to change events."""

import threading

import pytest
import sqlalchemy as sa

from tests.conftest import _config
from wardtrack import create_app
from wardtrack.audit.models import AuditChainHead
from wardtrack.audit.operations import GENESIS, record
from wardtrack.extensions import db


@pytest.fixture
def chain(ward_setup, login, events):
    """Five events made through the API."""
    admin = login(ward_setup.admin)
    for name in ("Ward C", "Ward D", "Ward E"):
        admin.post("/api/v1/wards", json={"name": name, "setting": "acute_ward"})
    login(ward_setup.nurse)
    assert len(events()) == 5
    return events()


def test_events_are_linked_by_hash(chain):
    assert chain[0]["prev_hash"] == GENESIS
    for earlier, later in zip(chain, chain[1:], strict=False):
        assert later["prev_hash"] == earlier["hash"]
    assert len({event["hash"] for event in chain}) == len(chain)


def test_verify_passes_on_an_intact_chain(chain, runner):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intact: 5 events" in result.output


def test_verify_passes_on_an_empty_chain(runner):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact: 0 events" in result.output


def test_events_recorded_outside_requests_are_chained_too(chain, runner):
    record("test.system", object_type="thing", object_id=1)
    db.session.commit()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


THREADS, TRANSACTIONS = 4, 25
DEADLOCK_DETECTED = "40P01"  # PostgreSQL's SQLSTATE


def _race(app, appenders) -> None:
    """One thread per appender, alternating between two app instances (as two worker processes), each committing
    TRANSACTIONS transactions of two events; a transaction PostgreSQL ends for a deadlock is sent again, as a
    client would."""
    db.session.close()  # on SQLite an open transaction here would hold the write lock
    other = create_app(_config(app.config["SQLALCHEMY_DATABASE_URI"]))
    barrier, errors = threading.Barrier(len(appenders)), []

    def run(flask_app, index, append):
        with flask_app.app_context():
            try:
                barrier.wait(timeout=30)
                for number in range(TRANSACTIONS):
                    for _attempt in range(100):
                        try:
                            append("test.append", object_type="thread", object_id=f"{index}-{number}")
                            append("test.append", object_type="thread", object_id=f"{index}-{number}-second")
                            db.session.commit()
                            break
                        except sa.exc.DBAPIError as error:
                            db.session.rollback()
                            if getattr(error.orig, "sqlstate", None) != DEADLOCK_DETECTED:
                                raise
                    else:
                        raise AssertionError(f"transaction {index}-{number} ended in a deadlock 100 times")
            except Exception as error:  # noqa: BLE001 (reported to the test below)
                errors.append(error)
                barrier.abort()
            finally:
                db.session.remove()

    workers = [threading.Thread(target=run, args=((app, other)[index % 2], index, append))
               for index, append in enumerate(appenders)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    with other.app_context():
        db.engine.dispose()
    assert errors == []


def _assert_one_unbroken_chain(runner, events_expected: int) -> None:
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output + result.stderr
    assert f"intact: {events_expected} events" in result.output
    newest = db.session.execute(sa.text("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1")).scalar()
    assert db.session.get(AuditChainHead, 1).hash == newest


def test_workers_appending_at_once_make_one_unbroken_chain(app, runner):
    """Every event links to the one committed before it, none is lost, and the head row holds the newest hash."""
    _race(app, [record] * THREADS)
    _assert_one_unbroken_chain(runner, THREADS * TRANSACTIONS * 2)


def test_an_event_is_refused_rather_than_unlinked_without_the_chain_head(app):
    db.session.execute(sa.delete(AuditChainHead))
    with pytest.raises(RuntimeError, match="audit_chain_head"):
        record("test.unlinked")
    db.session.rollback()
    record("test.linked")  # the head is back with the rollback
    db.session.commit()


@pytest.mark.parametrize("sql", [
    "UPDATE audit_events SET action = 'ward.delete' WHERE id = :id",
    "UPDATE audit_events SET actor_user_id = 999 WHERE id = :id",
    "UPDATE audit_events SET patient_id = 1 WHERE id = :id",
    "UPDATE audit_events SET request_id = 'forged' WHERE id = :id",
])
def test_verify_reports_the_first_edited_event(chain, runner, tamper, sql):
    tamper(sql, id=chain[2]["id"])
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"broken at event {chain[2]['id']} " in result.stderr
    assert "after 2 intact events" in result.stderr


def test_verify_notices_an_edit_that_recomputes_the_edited_row_hash(chain, runner, tamper):
    # An intruder who rewrites one event's hash consistently still breaks the next event's link.
    tamper("UPDATE audit_events SET hash = :fake WHERE id = :id", fake="f" * 64, id=chain[1]["id"])
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"broken at event {chain[1]['id']} " in result.stderr


def test_verify_notices_a_deleted_event(chain, runner, tamper):
    tamper("DELETE FROM audit_events WHERE id = :id", id=chain[1]["id"])
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"broken at event {chain[2]['id']} " in result.stderr


def test_verify_notices_that_the_newest_events_were_removed(chain, runner, tamper):
    tamper("DELETE FROM audit_events WHERE id >= :id", id=chain[3]["id"])
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "cut short: it ends after 3 intact events" in result.stderr


@pytest.mark.parametrize("sql", [
    "UPDATE audit_events SET action = 'forged' WHERE id = :id",
    "DELETE FROM audit_events WHERE id = :id",
])
def test_the_database_refuses_to_change_events(chain, events, runner, sql):
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text(sql), {"id": chain[0]["id"]})
        db.session.flush()
    db.session.rollback()
    assert events() == chain
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
