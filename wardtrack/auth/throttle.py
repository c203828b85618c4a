"""Login throttling: growing delays instead of a lock, counted atomically where every worker and host sees them.

Three counters are kept for each attempt, under keys made from the name as typed (known or not, so that an
unknown name is answered exactly as a known one) and the client's address:

* the account from this address: LOGIN_MAX_FAILURES free attempts;
* the address, over every account: LOGIN_ADDRESS_MAX_FAILURES;
* the account, from every address: LOGIN_ACCOUNT_MAX_FAILURES, a looser ceiling against many addresses, not
  applied to an address the account logged in from in the last LOGIN_KNOWN_ADDRESS_DAYS days.

Past its limit each further attempt under a key must wait LOGIN_DELAY_SECONDS, doubling with every attempt
counted, up to LOGIN_MAX_DELAY_SECONDS; an attempt that comes too early is answered 429 with Retry-After and
is not counted. So an attacker slows down only what they share with the real user: the right password from
another address still goes in at once. An attempt is counted before its password is checked, in one atomic
step (row locks in the database, a script in Redis), so parallel attempts cannot check more than the limit;
a successful login takes its own count back and clears the account's counter for that address. A counter
is forgotten LOGIN_FORGET_SECONDS after its last counted attempt.

The counters live in the database (table login_throttle), or in Redis when WARDTRACK_REDIS_URL is set. Keys
are HMACs under the secret key, so neither store holds the names people typed.
"""

import hashlib
import hmac
import ipaddress
import itertools
import math
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, request

from wardtrack.core.db import conflict_insert
from wardtrack.core.errors import DomainError
from wardtrack.core.time import utcnow
from wardtrack.extensions import db


class TooManyAttempts(DomainError):
    """429: this attempt came before the throttle's delay was over."""

    status = 429

    def __init__(self, retry_after: int):
        super().__init__(f"Too many failed logins; try again in {retry_after} seconds.")
        self.retry_after = retry_after


class HashingBusy(DomainError):
    """503: this worker is hashing as many passwords as it may at once."""

    status = 503

    def __init__(self):
        super().__init__("The server is busy checking other logins; try again in a moment.")
        self.retry_after = 1


@dataclass(frozen=True)
class Ticket:
    """An attempt counted under `counted` keys; `pair` is the account-from-this-address key."""

    counted: tuple[str, ...]
    pair: str
    known: str


def client_address() -> str:
    """The client's address: the peer's, or, when the peer is a trusted reverse proxy (FORWARDED_ALLOW_IPS,
    as gunicorn's forwarded_allow_ips), the nearest X-Forwarded-For entry that is not one (a proxy appends
    the address it saw, so what a client wrote further left is never used). An IPv6 address counts by its
    /64 (one household or phone network has the whole prefix)."""
    trusted = {part.strip() for part in current_app.config["FORWARDED_ALLOW_IPS"].split(",") if part.strip()}
    address = request.remote_addr or ""
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
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
    secret = current_app.config["SECRET_KEY"].encode()
    text = "\0".join((kind, *parts)).encode("utf-8", "surrogatepass")
    return f"{kind}:{hmac.new(secret, text, hashlib.sha256).hexdigest()[:40]}"


def _rules(username: str, address: str) -> tuple[list[tuple[str, int]], str, str]:
    config = current_app.config
    pair = _key("p", username, address)
    rules = [(pair, config["LOGIN_MAX_FAILURES"]), (_key("a", address), config["LOGIN_ADDRESS_MAX_FAILURES"]),
             (_key("u", username), config["LOGIN_ACCOUNT_MAX_FAILURES"])]
    return rules, pair, _key("k", username, address)


def delay(failures: int, limit: int) -> float:
    """Seconds the next attempt waits after `failures` counted attempts under a key with `limit` free ones."""
    if failures < limit:
        return 0.0
    config = current_app.config
    return float(min(config["LOGIN_DELAY_SECONDS"] * 2 ** min(failures - limit, 40), config["LOGIN_MAX_DELAY_SECONDS"]))


def _store():
    if current_app.config.get("REDIS_URL"):
        from wardtrack.auth.throttle_redis import RedisStore

        return RedisStore.for_app(current_app)
    return DatabaseStore()


def reserve(username: str, address: str) -> Ticket:
    """Count this attempt before its password is checked, or raise TooManyAttempts (nothing counted).
    On the database this flushes; the caller commits, so that the count stays even if the login fails."""
    rules, pair, known = _rules(username, address)
    counted = _store().reserve(rules, known, utcnow())
    return Ticket(counted, pair, known)


def refund(ticket: Ticket) -> None:
    """Take back an attempt whose password was never checked (flushes)."""
    _store().refund(ticket.counted, clear=None, known=None, now=utcnow())


def succeeded(ticket: Ticket) -> None:
    """The password was right: take the attempt back, clear the account's counter for this address and
    remember the address for the account (flushes)."""
    _store().refund(ticket.counted, clear=ticket.pair, known=ticket.known, now=utcnow())


class DatabaseStore:
    """Counters in login_throttle. Every row an attempt needs is locked (FOR UPDATE on PostgreSQL, in key
    order so that two attempts cannot deadlock; on SQLite the transaction holds the write lock), checked
    and updated in one transaction."""

    _cleanups = itertools.count()

    @staticmethod
    def _table():
        from wardtrack.auth.models import LoginThrottle

        return LoginThrottle.__table__

    def reserve(self, rules, known_key, now: datetime) -> tuple[str, ...]:
        table, config = self._table(), current_app.config
        dialect = db.session.get_bind().dialect.name
        if next(self._cleanups) % 64 == 0:
            self.forget_expired(now)
        keys = sorted(key for key, _limit in rules)
        db.session.execute(conflict_insert(dialect, table).values(
            [{"key": key, "failures": 0, "next_at": None, "expires_at": now} for key in keys]).on_conflict_do_nothing())
        rows = {row.key: row for row in db.session.execute(
            sa.select(table).where(table.c.key.in_([*keys, known_key])).order_by(table.c.key).with_for_update())}
        known = known_key in rows and rows[known_key].expires_at > now
        active = [(key, limit) for key, limit in rules if not (known and key.startswith("u:"))]
        counts, wait = {}, 0.0
        for key, limit in active:
            row = rows[key]
            live = row.expires_at > now
            counts[key] = row.failures if live else 0
            if live and counts[key] >= limit and row.next_at is not None and row.next_at > now:
                wait = max(wait, (row.next_at - now).total_seconds())
        if wait > 0:
            raise TooManyAttempts(math.ceil(wait))
        for key, limit in active:
            failures = counts[key] + 1
            pause = delay(failures, limit)
            expires = now + timedelta(seconds=max(config["LOGIN_FORGET_SECONDS"], pause))
            db.session.execute(sa.update(table).where(table.c.key == key).values(
                failures=failures, next_at=now + timedelta(seconds=pause), expires_at=expires))
        return tuple(key for key, _limit in active)

    def refund(self, counted, clear, known, now: datetime) -> None:
        table = self._table()
        dialect = db.session.get_bind().dialect.name
        rest = [key for key in counted if key != clear]
        if rest:
            db.session.execute(sa.update(table).where(table.c.key.in_(rest), table.c.failures > 0)
                               .values(failures=table.c.failures - 1))
        if clear:
            db.session.execute(sa.delete(table).where(table.c.key == clear))
        if known:
            until = now + timedelta(days=current_app.config["LOGIN_KNOWN_ADDRESS_DAYS"])
            insert = conflict_insert(dialect, table).values(key=known, failures=0, next_at=None, expires_at=until)
            db.session.execute(insert.on_conflict_do_update(index_elements=[table.c.key],
                                                            set_={"expires_at": until}))

    def forget_expired(self, now: datetime) -> int:
        """Delete counters past their time (every 64th attempt of a process does this)."""
        table = self._table()
        return db.session.execute(sa.delete(table).where(table.c.expires_at <= now)).rowcount


_gates: dict[int, threading.BoundedSemaphore] = {}
_gates_lock = threading.Lock()


@contextmanager
def hashing_slot():
    """Hold one of this worker's LOGIN_HASH_CONCURRENCY password-hashing slots, or raise HashingBusy at once
    (never queue): a burst of logins cannot take every thread, and the CPU, from other requests."""
    size = max(1, current_app.config["LOGIN_HASH_CONCURRENCY"])
    with _gates_lock:
        gate = _gates.setdefault(size, threading.BoundedSemaphore(size))
    if not gate.acquire(blocking=False):
        raise HashingBusy()
    try:
        yield
    finally:
        gate.release()
