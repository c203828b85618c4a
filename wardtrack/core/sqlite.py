"""SQLite's settings and its writer queue, for every engine the process makes.

SQLite lets one writer in at a time. Every connection gets WAL, NORMAL sync, foreign keys and a
busy timeout; every transaction begins IMMEDIATE (it takes the write lock up front) unless it asks
to read first (DEFER_WRITE_LOCK or deferring_write_lock(), then begin_writing()); and writers to
one file take turns in a queue rather than in SQLite's sleep-and-poll.

The events are registered on SQLAlchemy's Engine class when this module is imported, which
core/db.py does, so that every engine made for the model base's tables gets them: the app's, a
command's, a benchmark's or a test's own.
"""

import contextlib
import contextvars
import fcntl
import os
import sqlite3
import threading
import weakref

import sqlalchemy as sa
from sqlalchemy.engine import Engine

_BUSY_TIMEOUT_S = 10
#: Execution option: a transaction on SQLite that begins without the write lock, for reads that must
#: wait for no writer. Until it takes the lock (see begin_writing()) its statements run each on its
#: own: reads only.
DEFER_WRITE_LOCK = "wardtrack_defer_write_lock"
_DEFERRING = contextvars.ContextVar("wardtrack_deferring", default=False)


@contextlib.contextmanager
def deferring_write_lock():
    """Transactions begun inside begin as with DEFER_WRITE_LOCK (a request reading its caller)."""
    token = _DEFERRING.set(True)
    try:
        yield
    finally:
        _DEFERRING.reset(token)


class _WriterQueue:
    """Writers to one SQLite file take turns here before they ask SQLite for its write lock.

    SQLite lets one writer in at a time and makes the others sleep and poll (1, 2, 5, 10 ms and
    longer) until it is free, so under load the lock often sits idle while every writer sleeps. Here
    writers of one process wait on a thread lock and writers of all processes on an flock of a file
    beside the database, and the next one goes in the moment the lock is released. Transactions
    begin IMMEDIATE (_sqlite_begin), so every transaction is a writer.

    A thread that begins a second transaction while it holds the queue (a nested connection) is not
    queued again; SQLite's own busy timeout decides for it, as it does for any program that writes
    to the file without this queue. The kernel drops an flock when its process dies.
    """

    def __init__(self, path: str):
        self._path, self._pid, self._fd = path + "-writers", None, None
        self._threads = threading.Lock()
        self._holder = None  # the thread that holds the queue

    def acquire(self) -> bool:
        """Wait for this writer's turn; False when this thread already holds it (nothing to
        release)."""
        if self._holder == threading.get_ident():
            return False
        if not self._threads.acquire(timeout=_BUSY_TIMEOUT_S):
            return False  # SQLite's busy timeout has the last word
        try:
            if self._pid != os.getpid():  # a forked child must not share its parent's open file
                flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC
                self._fd, self._pid = os.open(self._path, flags, 0o600), os.getpid()
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise
        self._holder = threading.get_ident()
        return True

    def release(self) -> None:  # from any thread: a connection may be closed by another one
        self._holder = None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def __del__(self):  # the last connection to the file is gone
        if self._fd is not None and self._pid == os.getpid():
            os.close(self._fd)


# The queue of each file, while connections to it are open (they hold the references).
_writer_queues: weakref.WeakValueDictionary[str, _WriterQueue] = weakref.WeakValueDictionary()
_writer_queues_lock = threading.Lock()


def _writer_queue(path: str) -> _WriterQueue:
    with _writer_queues_lock:
        queue = _writer_queues.get(path)
        if queue is None:
            queue = _writer_queues[path] = _WriterQueue(path)
        return queue


class _QueuedConnection(sqlite3.Connection):
    """A sqlite3 connection that leaves the writer queue when its transaction ends."""

    writer_queue: _WriterQueue | None = None
    _queued = False
    #: begin_writing() was called: the write lock is taken before the next statement
    #: (_take_pending_lock).
    write_lock_pending = False

    def join_queue(self) -> None:
        if self.writer_queue is not None and self.writer_queue.acquire():
            self._queued = True

    def leave_queue(self) -> None:
        self.write_lock_pending = False  # the transaction that asked for it has ended
        if self._queued:
            self._queued = False
            self.writer_queue.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.leave_queue()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.leave_queue()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.leave_queue()

    def __del__(self):  # dropped without rollback or close: the queue must not stay taken
        self.leave_queue()


@sa.event.listens_for(Engine, "do_connect")
def _sqlite_do_connect(dialect, _record, cargs, cparams):
    if dialect.name == "sqlite" and dialect.driver == "pysqlite":
        cparams.setdefault("factory", _QueuedConnection)


@sa.event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, _record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Take transactions into our own hands so that every one starts IMMEDIATE (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    pragmas = ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
               f"busy_timeout={_BUSY_TIMEOUT_S * 1000}")
    for pragma in pragmas:
        cursor.execute(f"PRAGMA {pragma}")
    path = cursor.execute("PRAGMA database_list").fetchone()[2]
    cursor.close()
    if isinstance(dbapi_connection, _QueuedConnection) and path:  # not for in-memory databases
        dbapi_connection.writer_queue = _writer_queue(path)


@sa.event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    # A deferred transaction that reads and then writes fails with SQLITE_BUSY when another
    # process wrote in between; taking the write lock up front makes writers queue instead.
    deferred = _DEFERRING.get() or connection.get_execution_options().get(DEFER_WRITE_LOCK)
    if connection.dialect.name == "sqlite" and not deferred:
        _begin_immediate(connection)


def begin_writing(connection) -> None:
    """Let a transaction begun with DEFER_WRITE_LOCK write: on SQLite it takes the write lock before
    its next statement; a no-op otherwise.

    What the transaction reads from then on is read under the lock, so that nothing another writer
    commits can come between those reads and its writes. Work without statements until then (a
    request's body being checked) holds no lock, and a transaction that ends first never takes it.
    """
    if connection.dialect.name != "sqlite":
        return
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection.in_transaction:
        return
    if isinstance(dbapi_connection, _QueuedConnection):
        dbapi_connection.write_lock_pending = True
    else:
        _begin_immediate(connection)


@sa.event.listens_for(Engine, "before_cursor_execute")
def _take_pending_lock(connection, _cursor, _statement, _parameters, _context, _executemany):
    dbapi_connection = connection.connection.dbapi_connection
    if getattr(dbapi_connection, "write_lock_pending", False):
        dbapi_connection.write_lock_pending = False
        # Not through the connection: a statement is under way.
        _begin_immediate(connection, dbapi_connection.execute)


def _begin_immediate(connection, execute=None) -> None:
    dbapi_connection = connection.connection.dbapi_connection
    queued = isinstance(dbapi_connection, _QueuedConnection)
    if queued:
        dbapi_connection.join_queue()
    try:
        (execute or connection.exec_driver_sql)("BEGIN IMMEDIATE")
    except BaseException:
        if queued:
            dbapi_connection.leave_queue()
        raise
