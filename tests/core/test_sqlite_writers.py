"""SQLite writers take turns in the writer queue (core/sqlite.py); a transaction may read before it joins them.

These run on a SQLite file of their own, whatever database the rest of the suite uses.
"""

import multiprocessing
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

# Importing core/sqlite registers its engine events (IMMEDIATE transactions, the writer queue) here and in the
# writer processes, which are spawned and import only this module.
from wardtrack.core.sqlite import DEFER_WRITE_LOCK, begin_writing

WAIT = 20  # seconds before a test calls a wait a hang


@pytest.fixture
def engine(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'writers.sqlite3'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE marks (who TEXT NOT NULL, n INTEGER NOT NULL)")
    yield engine
    engine.dispose()


def _write_marks(url: str, who: str, count: int) -> None:
    engine = sa.create_engine(url)
    for _ in range(count):
        with engine.begin() as connection:
            last = connection.exec_driver_sql("SELECT count(*) FROM marks").scalar()
            connection.exec_driver_sql("INSERT INTO marks VALUES (?, ?)", (who, last))
    engine.dispose()


def test_writers_in_several_processes_all_get_their_turn(engine):
    """Each transaction reads the row count and writes it back: with one writer at a time the counts run 0..n-1."""
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_marks, args=(str(engine.url), f"p{i}", 150)) for i in range(3)]
    for worker in workers:
        worker.start()
    _write_marks(str(engine.url), "main", 150)
    for worker in workers:
        worker.join(WAIT)
        assert worker.exitcode == 0
    with engine.connect() as connection:
        counts = [row[0] for row in connection.exec_driver_sql("SELECT n FROM marks ORDER BY rowid")]
        assert counts == list(range(600))
        assert connection.exec_driver_sql("SELECT count(DISTINCT who) FROM marks").scalar() == 4
    assert Path(engine.url.database + "-writers").exists()  # the queue's lock file, beside the database


def test_a_thread_waits_for_the_writer_before_it_and_goes_in_when_it_commits(engine):
    events, first_in = [], threading.Event()

    def first():
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO marks VALUES ('first', 1)")
            first_in.set()
            threading.Event().wait(0.3)
            events.append("first commits")

    def second():
        first_in.wait(WAIT)
        with engine.begin() as connection:
            events.append("second in")
            seen = connection.exec_driver_sql("SELECT count(*) FROM marks").scalar()
            events.append(f"second sees {seen}")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert events == ["first commits", "second in", "second sees 1"]


def test_a_deferred_transaction_reads_without_waiting_then_writes_after_the_writer(engine):
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO marks VALUES ('before', 0)")
    writing, read_done, seen = threading.Event(), threading.Event(), []

    def writer():
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO marks VALUES ('writer', 1)")
            writing.set()
            read_done.wait(WAIT)  # holds the write lock until the reader has read

    def reader():
        writing.wait(WAIT)
        with engine.connect().execution_options(**{DEFER_WRITE_LOCK: True}) as connection, connection.begin():
            seen.append(connection.exec_driver_sql("SELECT who FROM marks ORDER BY n").scalars().all())
            read_done.set()
            begin_writing(connection)  # the next statement waits for the writer's commit
            seen.append(connection.exec_driver_sql("SELECT who FROM marks ORDER BY n").scalars().all())
            connection.exec_driver_sql("INSERT INTO marks VALUES ('reader', 2)")

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert read_done.is_set(), "the first read waited for the writer"
    assert seen == [["before"], ["before", "writer"]]
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT who FROM marks ORDER BY n").scalars().all() == [
            "before", "writer", "reader"]


def test_begin_writing_takes_the_lock_at_the_next_statement_and_not_before(engine):
    """Until the transaction's next statement other writers go in; that statement sees what they wrote."""
    other_done = threading.Event()

    def other_writer():
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO marks VALUES ('other', 1)")
        other_done.set()

    with engine.connect().execution_options(**{DEFER_WRITE_LOCK: True}) as connection, connection.begin():
        assert connection.exec_driver_sql("SELECT count(*) FROM marks").scalar() == 0
        begin_writing(connection)
        other = threading.Thread(target=other_writer)
        other.start()
        assert other_done.wait(WAIT), "the other writer waited for a transaction that had not written yet"
        assert connection.exec_driver_sql("SELECT who FROM marks").scalars().all() == ["other"]
        connection.exec_driver_sql("INSERT INTO marks VALUES ('mine', 2)")
    other.join(WAIT)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT who FROM marks ORDER BY n").scalars().all() == ["other", "mine"]


def test_a_transaction_that_ends_before_its_next_statement_leaves_no_lock_pending(engine):
    """The pooled connection's next transaction reads without waiting for a writer."""
    with engine.connect().execution_options(**{DEFER_WRITE_LOCK: True}) as connection, connection.begin() as txn:
        pooled = connection.connection.dbapi_connection
        begin_writing(connection)
        txn.rollback()
    writer = sqlite3.connect(engine.url.database, isolation_level=None)  # holds the write lock meanwhile
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO marks VALUES ('writer', 1)")
    try:
        with engine.connect().execution_options(**{DEFER_WRITE_LOCK: True}) as connection, connection.begin():
            assert connection.connection.dbapi_connection is pooled
            assert connection.exec_driver_sql("SELECT count(*) FROM marks").scalar() == 0
    finally:
        writer.rollback()
        writer.close()


def test_a_second_transaction_in_the_same_thread_fails_instead_of_hanging(engine):
    """The thread already holds the queue; SQLite's busy timeout answers, and the queue stays usable."""
    outcome = []

    def nested():
        with engine.begin() as outer:
            outer.exec_driver_sql("INSERT INTO marks VALUES ('outer', 1)")
            inner = engine.connect()
            inner.connection.dbapi_connection.execute("PRAGMA busy_timeout = 100")  # not 10 s
            try:
                with inner.begin():
                    outcome.append("inner got in")
            except sa.exc.OperationalError as error:
                outcome.append("locked" if "locked" in str(error) else str(error))
            finally:
                inner.close()
        with engine.begin() as after:
            after.exec_driver_sql("INSERT INTO marks VALUES ('after', 2)")
            outcome.append("after")

    thread = threading.Thread(target=nested)
    thread.start()
    thread.join(WAIT)
    assert not thread.is_alive(), "the nested transaction hung"
    assert outcome == ["locked", "after"]
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT who FROM marks ORDER BY rowid").scalars().all() == ["outer", "after"]


def test_the_queue_is_left_after_a_rollback(engine):
    with engine.connect() as connection:
        connection.begin()
        connection.exec_driver_sql("INSERT INTO marks VALUES ('dropped', 1)")
        connection.rollback()
    done = threading.Event()

    def other_thread():
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO marks VALUES ('kept', 2)")
        done.set()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join(WAIT)
    assert done.is_set()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT who FROM marks").scalars().all() == ["kept"]
