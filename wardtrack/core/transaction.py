"""The request's transaction, from its first statement to its commit.

One owner for what every request shares, whichever view it reaches:

- Before the view: on unsafe methods the whole body is read before the first statement, so that a
  phone uploading slowly holds no lock (MAX_CONTENT_LENGTH bounds the body). The hooks given to
  init_app then read what they need (the caller) in a transaction that on SQLite begins without the
  write lock, and begin_writing() has the lock taken at its next statement: it covers only the
  request's own work, in one connection and one transaction all the same. A request that needs no
  statement opens no connection.
- Writes that belong to the request but to no view (a session's last_seen_at) go into the request's
  own commit: with_commit(write) runs `write` just before the next commit of the request's session,
  or, when the request commits nothing, in a commit of its own as the response goes out. A request
  that failed on the server (5xx) writes nothing of them.
"""

from collections.abc import Callable, Iterable

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy.orm import Session

from wardtrack.core.sqlite import begin_writing, deferring_write_lock

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def init_app(app: Flask, before_writing: Iterable[Callable[[], None]] = ()) -> None:
    """Open every request's transaction as above; `before_writing` run in order before the write
    lock."""
    hooks = tuple(before_writing)

    @app.before_request
    def _begin() -> None:
        g.with_commit = []
        if request.method in UNSAFE_METHODS:
            request.get_data()
        with deferring_write_lock():
            for hook in hooks:
                hook()
        session = _session()
        if session.in_transaction():
            begin_writing(session.connection())

    app.after_request(_commit_what_is_left)


def with_commit(write: Callable[[], None]) -> None:
    """Run `write` (changes to the request's session) in the request's own commit."""
    g.with_commit.append(write)


def _session() -> Session:
    return current_app.extensions["sqlalchemy"].session()


def _pending(session: Session) -> list | None:
    if not has_request_context() or session is not _session():
        return None
    return g.get("with_commit")


@sa.event.listens_for(Session, "before_commit")
def _write_before_commit(session: Session) -> None:
    for write in _pending(session) or ():
        write()


@sa.event.listens_for(Session, "after_commit")
def _written(session: Session) -> None:
    pending = _pending(session)
    if pending:
        pending.clear()


def _commit_what_is_left(response):
    if g.get("with_commit") and response.status_code < 500:
        session = _session()
        session.rollback()  # what the view left uncommitted is not the request's to keep
        session.commit()  # runs the writes (_write_before_commit)
    return response
