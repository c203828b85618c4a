"""Who is calling and what their role allows; which patients they reach is
wardtrack.access.reach."""

import functools
import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g, request
from flask.sessions import SessionInterface

from wardtrack.auth.models import ApiToken, User, UserSession
from wardtrack.core.errors import Forbidden, Unauthorized
from wardtrack.core.time import utcnow
from wardtrack.core.transaction import UNSAFE_METHODS, with_commit
from wardtrack.extensions import db

CSRF_HEADER = "X-CSRF-Token"
# Logging in uses no authority of the session the browser may still hold (a shared ward computer
# where the last user did not log out), so it needs no token from that session.
_CSRF_EXEMPT = {"auth.login"}
# Touching last_seen_at on every request would make every read a write; once a minute is enough.
_TOUCH_EVERY = timedelta(minutes=1)


def token_digest(token: str) -> str:
    """The stored form of a session or bearer token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Caller:
    """Who is calling, read afresh at the start of every request: enough to check access and to
    audit.

    current_user() gives the whole account when a view needs more.
    """

    id: int
    role: str
    patient_id: int | None


# Built once, executed with parameters: every request runs one of them.
_BEARER_CALLER = (
    sa.select(User.id, User.role, User.patient_id)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == sa.bindparam("digest"), ApiToken.revoked_at.is_(None),
           User.disabled_at.is_(None))
)
_SESSION = (
    sa.select(UserSession)
    .join(UserSession.user)
    .where(UserSession.token_hash == sa.bindparam("digest"), UserSession.revoked_at.is_(None),
           UserSession.expires_at > sa.bindparam("now"),
           UserSession.last_seen_at > sa.bindparam("idle_since"), User.disabled_at.is_(None))
)


def _caller_from_bearer(token: str) -> Caller | None:
    row = db.session.connection().execute(_BEARER_CALLER, {"digest": token_digest(token)}).first()
    return Caller(*row) if row is not None else None


def _session_from_cookie(token: str) -> UserSession | None:
    now = utcnow()
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    return db.session.execute(
        _SESSION, {"digest": token_digest(token), "now": now, "idle_since": now - idle}).scalar()


def _touch(user_session: UserSession) -> None:
    """Note the session's activity in the request's own commit."""
    now = utcnow()
    if now - user_session.last_seen_at > _TOUCH_EVERY:
        with_commit(lambda: setattr(user_session, "last_seen_at", now))


class NoCookieSession(SessionInterface):
    """Flask's own session is not used: logins are server-side sessions (UserSession), so that they
    can be revoked. Every request gets Flask's null session, which refuses writes, and no session
    cookie is set."""

    def open_session(self, app, request):
        return None  # Flask then uses make_null_session()

    def save_session(self, app, session, response):
        pass


def load_caller() -> None:
    """Resolve the caller from a bearer token or the session cookie; check CSRF on unsafe session
    requests.

    Runs inside the request's transaction before it takes SQLite's write lock (core/transaction.py).
    """
    g.caller = g.current_user = g.user_session = None
    header = request.headers.get("Authorization", "")
    bearer = header[7:].strip() if header[:7].lower() == "bearer " else None
    if bearer is not None:
        g.caller = _caller_from_bearer(bearer)
        return
    cookie = request.cookies.get(current_app.config["SESSION_COOKIE_NAME"])
    g.user_session = _session_from_cookie(cookie) if cookie else None
    if g.user_session is None:
        return
    g.current_user = g.user_session.user
    g.caller = Caller(g.current_user.id, g.current_user.role, g.current_user.patient_id)
    _touch(g.user_session)
    if request.method in UNSAFE_METHODS and request.endpoint not in _CSRF_EXEMPT:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), g.user_session.csrf_token.encode()):
            raise Forbidden(
                f"Missing or wrong {CSRF_HEADER} header; fetch one from /api/v1/auth/csrf."
            )


def current_caller() -> Caller:
    """The authenticated caller, or 401."""
    caller = g.get("caller")
    if caller is None:
        raise Unauthorized("Log in or send a bearer token.")
    return caller


def current_user() -> User:
    """The authenticated caller's account, or 401."""
    user = g.get("current_user")
    if user is None:
        user = g.current_user = db.session.get(User, current_caller().id)
        if user is None:  # deleted since the request began
            raise Unauthorized("Log in or send a bearer token.")
    return user


def require(*roles: str):
    """Let only callers with one of these roles into the view (401 anonymous, 403 other roles)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if current_caller().role not in roles:
                raise Forbidden("Your role may not do this.")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def ensure_ward_member(user: User, ward_id: int) -> None:
    """Admins act on every ward; other staff only on their own (403)."""
    if user.role != "admin" and ward_id not in user.ward_ids:
        raise Forbidden(f"You are not on ward {ward_id}.")
