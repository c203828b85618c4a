"""Login throttling: growing delays instead of a lock, counted atomically where every worker and
host sees them.

Three counters are kept for each attempt, under keys made from the name as typed (known or not, so
that an unknown name is answered exactly as a known one) and the client's address:

* the account from this address: LOGIN_MAX_FAILURES free attempts;
* the address, over every account: LOGIN_ADDRESS_MAX_FAILURES;
* the account, from every address: LOGIN_ACCOUNT_MAX_FAILURES, a looser ceiling against many
  addresses, not applied to an address the account logged in from in the last
  LOGIN_KNOWN_ADDRESS_DAYS days.

Past its limit each further attempt under a key must wait LOGIN_DELAY_SECONDS, doubling with every
failure counted, up to LOGIN_MAX_DELAY_SECONDS; an attempt that comes too early is answered 429 with
Retry-After and is not counted. So an attacker slows down only what they share with the real user:
the right password from another address still goes in at once. Before its password is checked an
attempt is registered as pending, in one atomic step (row locks in the database, a script in Redis)
that counts pending attempts as failures, so parallel attempts cannot check more passwords than the
limit; one that finds the limit taken only by attempts still being checked waits (up to PENDING_WAIT
seconds) for their outcome. The outcome then turns the pending attempt into a failure, or takes it
back (a successful login also clears the account's counter for that address). A counter is forgotten
LOGIN_FORGET_SECONDS after its last failure.

The counters live in the database (table login_throttle), or in Redis when WARDTRACK_REDIS_URL is
set. Keys are HMACs under the secret key, so neither store holds the names people typed.
"""

import hashlib
import hmac
import ipaddress
import itertools
import math
import random
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, request

from wardtrack.core import metrics
from wardtrack.core.db import conflict_insert
from wardtrack.core.errors import DomainError
from wardtrack.core.time import utcnow
from wardtrack.extensions import db


class RetryLater(DomainError):
    """A login not tried now; answered with Retry-After (seconds)."""

    def __init__(self, detail: str, retry_after: int):
        super().__init__(detail)
        self.retry_after = retry_after


class TooManyAttempts(RetryLater):
    """429: this attempt came before the throttle's delay was over."""

    status = 429

    def __init__(self, retry_after: int):
        super().__init__(
            f"Too many failed logins; try again in {retry_after} seconds.", retry_after
        )
        metrics.LOGIN_THROTTLED.inc()


class HashingBusy(RetryLater):
    """503: this worker is hashing as many passwords as it may at once."""

    status = 503

    def __init__(self):
        super().__init__("The server is busy checking other logins; try again in a moment.", 1)


class CountersUnavailable(RetryLater):
    """503: the store of the counters (Redis) cannot be reached; no login goes unthrottled."""

    status = 503

    def __init__(self):
        super().__init__("Logging in is unavailable for a moment; try again shortly.", 5)


@dataclass(frozen=True)
class Ticket:
    """An attempt counted under `counted` keys; `pair` is the account-from-this-address key."""

    counted: tuple[str, ...]
    pair: str
    known: str


def client_address() -> str:
    """The client's address: the peer's, or, when the peer is a trusted reverse proxy
    (FORWARDED_ALLOW_IPS, as gunicorn's forwarded_allow_ips), the nearest X-Forwarded-For entry that
    is not one (a proxy appends the address it saw, so what a client wrote further left is never
    used). An IPv6 address counts by its /64 (one household or phone network has the whole
    prefix)."""
    trusted = {
        part.strip()
        for part in current_app.config["FORWARDED_ALLOW_IPS"].split(",")
        if part.strip()
    }
    address = request.remote_addr or ""
    forwarded = [
        part.strip()
        for part in request.headers.get("X-Forwarded-For", "").split(",")
        if part.strip()
    ]
    while forwarded and ("*" in trusted or address in trusted):
        address = forwarded.pop()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _key(kind: str, *parts: str) -> str:
    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else secret.encode()
    text = "\0".join((kind, *parts)).encode("utf-8", "surrogatepass")
    return f"{kind}:{hmac.new(secret, text, hashlib.sha256).hexdigest()[:40]}"


def _rules(username: str, address: str) -> tuple[list[tuple[str, int]], str, str]:
    config = current_app.config
    pair = _key("p", username, address)
    rules = [
        (pair, config["LOGIN_MAX_FAILURES"]),
        (_key("a", address), config["LOGIN_ADDRESS_MAX_FAILURES"]),
        (_key("u", username), config["LOGIN_ACCOUNT_MAX_FAILURES"]),
    ]
    return rules, pair, _key("k", username, address)


def delay(failures: int, limit: int) -> float:
    """Seconds the next attempt waits after `failures` counted attempts under a key with `limit`
    free ones."""
    if failures < limit:
        return 0.0
    config = current_app.config
    return float(
        min(config["LOGIN_DELAY_SECONDS"] * 2 ** min(failures - limit, 40),
            config["LOGIN_MAX_DELAY_SECONDS"])
    )


#: How long an attempt waits for attempts still being checked (each a password hash) before it is
#: answered 429.
PENDING_WAIT = 10.0


def _store():
    if current_app.config.get("REDIS_URL"):
        from wardtrack.auth.throttle_redis import RedisStore

        return RedisStore.for_app(current_app)
    return DatabaseStore()


def check(failures: int, pending: int, next_at: float, limit: int, now: float) -> tuple[str, float]:
    """One key's verdict on a new attempt: ("go", 0), ("wait", seconds) for the delay after
    failures, or ("pending", 0) when its free attempts are taken by attempts still being checked."""
    if failures + pending < limit:
        return "go", 0.0
    if failures >= limit and next_at > now:
        return "wait", next_at - now
    if failures >= limit and pending == 0:
        return "go", 0.0  # the delay is over: one more attempt
    return "pending", 0.0


def verdict(results) -> tuple[str, float]:
    """All keys' verdicts in one: any wait is a wait (the longest), else any pending, else go."""
    waits = [seconds for kind, seconds in results if kind == "wait"]
    if waits:
        return "wait", max(waits)
    return ("pending", 0.0) if any(kind == "pending" for kind, _seconds in results) else ("go", 0.0)


def reserve(username: str, address: str) -> Ticket:
    """Register this attempt as pending before its password is checked, or raise TooManyAttempts
    (nothing registered). On the database this flushes; the caller commits."""
    rules, pair, known = _rules(username, address)
    store, deadline = _store(), time.monotonic() + PENDING_WAIT
    while True:
        counted = store.reserve(rules, known, utcnow())
        if counted is not None:
            return Ticket(counted, pair, known)
        if time.monotonic() > deadline:
            raise TooManyAttempts(1)
        time.sleep(0.05 + random.random() * 0.1)  # noqa: S311 — jitter, not a secret


def failed(ticket: Ticket) -> None:
    """The password was wrong (or the name unknown): the pending attempt becomes a failure
    (flushes)."""
    _store().settle(ticket.counted, failed=True, clear=None, known=None, now=utcnow())


def refund(ticket: Ticket) -> None:
    """Take back an attempt whose password was never checked (flushes)."""
    _store().settle(ticket.counted, failed=False, clear=None, known=None, now=utcnow())


def succeeded(ticket: Ticket) -> None:
    """The password was right: take the attempt back, clear the account's counter for this address
    and remember the address for the account (flushes)."""
    _store().settle(
        ticket.counted, failed=False, clear=ticket.pair, known=ticket.known, now=utcnow()
    )


class DatabaseStore:
    """Counters in login_throttle. Every row an attempt needs is locked (FOR UPDATE on PostgreSQL,
    in key order so that two attempts cannot deadlock; on SQLite the transaction holds the write
    lock), checked and updated in one transaction."""

    _cleanups = itertools.count()

    @staticmethod
    def _table():
        from wardtrack.auth.models import LoginThrottle

        return LoginThrottle.__table__

    def _locked(self, keys, now: datetime) -> dict:
        """The rows of `keys`, made if missing, locked. A row another transaction deleted (an
        expired one) between the insert and the lock is made again."""
        table = self._table()
        dialect = db.session.get_bind().dialect.name
        rows: dict = {}
        for _attempt in range(5):
            missing = sorted(set(keys) - set(rows))
            if not missing:
                break
            db.session.execute(
                conflict_insert(dialect, table)
                .values(
                    [
                        {
                            "key": key,
                            "failures": 0,
                            "pending": 0,
                            "next_at": None,
                            "expires_at": now,
                        }
                        for key in missing
                    ]
                )
                .on_conflict_do_nothing()
            )
            rows.update(
                {
                    row.key: row
                    for row in db.session.execute(
                        sa.select(table)
                        .where(table.c.key.in_(missing))
                        .order_by(table.c.key)
                        .with_for_update()
                    )
                }
            )
        return rows

    def reserve(self, rules, known_key, now: datetime) -> tuple[str, ...] | None:
        table = self._table()
        if next(self._cleanups) % 64 == 0:
            self.forget_expired(now)
        known = db.session.scalar(sa.select(table.c.expires_at).where(table.c.key == known_key))
        active = [
            (key, limit)
            for key, limit in rules
            if not (known and known > now and key.startswith("u:"))
        ]
        rows = self._locked([key for key, _limit in active], now)
        live = {key: row if row.expires_at > now else None for key, row in rows.items()}
        kind, seconds = verdict(
            [
                check(row.failures, row.pending, row.next_at.timestamp() if row.next_at else 0,
                      limit, now.timestamp())
                if row
                else ("go", 0.0)
                for key, limit in active
                for row in [live.get(key)]
            ]
        )
        if kind == "wait":
            db.session.rollback()
            raise TooManyAttempts(math.ceil(seconds))
        if kind == "pending":
            db.session.rollback()  # ends the transaction (and SQLite's write lock) while it waits
            return None
        expires = now + timedelta(seconds=current_app.config["LOGIN_FORGET_SECONDS"])
        for key, _limit in active:
            row = live.get(key)
            values = (
                {"pending": row.pending + 1, "expires_at": max(row.expires_at, expires)}
                if row
                else {"failures": 0, "pending": 1, "next_at": None, "expires_at": expires}
            )
            db.session.execute(sa.update(table).where(table.c.key == key).values(**values))
        return tuple(key for key, _limit in active)

    def settle(self, counted, failed: bool, clear, known, now: datetime) -> None:
        table, config = self._table(), current_app.config
        limits = {key: limit for key, limit in _rules_by_key(counted)}
        for key, row in self._locked(list(counted), now).items():
            values = {"pending": max(row.pending - 1, 0)}
            if key == clear:
                values.update(failures=0, next_at=None)
            elif failed:
                failures = row.failures + 1
                pause = delay(failures, limits[key])
                values.update(
                    failures=failures,
                    next_at=now + timedelta(seconds=pause),
                    expires_at=now + timedelta(seconds=max(config["LOGIN_FORGET_SECONDS"], pause)),
                )
            db.session.execute(sa.update(table).where(table.c.key == key).values(**values))
        if known:
            until = now + timedelta(days=config["LOGIN_KNOWN_ADDRESS_DAYS"])
            dialect = db.session.get_bind().dialect.name
            insert = conflict_insert(dialect, table).values(
                key=known, failures=0, pending=0, next_at=None, expires_at=until
            )
            db.session.execute(insert.on_conflict_do_update(index_elements=[table.c.key],
                                                            set_={"expires_at": until}))

    def forget_expired(self, now: datetime) -> int:
        """Delete counters past their time (every 64th attempt of a process does this)."""
        table = self._table()
        return db.session.execute(sa.delete(table).where(table.c.expires_at <= now)).rowcount


def _rules_by_key(keys):
    """Each counted key with its limit, read from its kind."""
    config = current_app.config
    limits = {"p": config["LOGIN_MAX_FAILURES"], "a": config["LOGIN_ADDRESS_MAX_FAILURES"],
              "u": config["LOGIN_ACCOUNT_MAX_FAILURES"]}
    return [(key, limits[key[0]]) for key in keys]


_gates: dict[int, threading.BoundedSemaphore] = {}
_gates_lock = threading.Lock()


@contextmanager
def hashing_slot():
    """Hold one of this worker's LOGIN_HASH_CONCURRENCY password-hashing slots, or raise HashingBusy
    at once (never queue): a burst of logins cannot take every thread, and the CPU, from other
    requests."""
    size = max(1, current_app.config["LOGIN_HASH_CONCURRENCY"])
    with _gates_lock:
        gate = _gates.setdefault(size, threading.BoundedSemaphore(size))
    if not gate.acquire(blocking=False):
        raise HashingBusy()
    try:
        yield
    finally:
        gate.release()
