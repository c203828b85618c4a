"""Accounts, logins and tokens. Operations flush; the request or command commits."""

import secrets
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from wardtrack.audit.operations import record
from wardtrack.auth import throttle
from wardtrack.auth.access import token_digest
from wardtrack.auth.models import ApiToken, User, UserSession, UserWard
from wardtrack.core.errors import Conflict, Invalid, Unauthorized
from wardtrack.core.time import utcnow
from wardtrack.extensions import db

_hasher = PasswordHasher()  # argon2id with the library's current parameters
# Verified against when the username is unknown, so that a miss costs as much as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """An argon2id hash."""
    return _hasher.hash(password)


def _check_references(ward_ids, professional_id, patient_id) -> None:
    """422 naming the field for a ward, professional or patient that does not exist. The tables
    belong to higher packages: each is found through the foreign key this package declares, never
    named here."""
    for field, column, ids in (
        ("ward_ids", UserWard.ward_id, ward_ids or []),
        ("professional_id", User.professional_id, [professional_id] if professional_id else []),
        ("patient_id", User.patient_id, [patient_id] if patient_id else []),
    ):
        (foreign_key,) = column.foreign_keys
        target = foreign_key.column
        found = set(db.session.scalars(sa.select(target).where(target.in_(ids)))) if ids else set()
        missing = sorted(set(ids) - found)
        if missing:
            raise Invalid(
                field, f"No such {target.table.name[:-1]}: {', '.join(map(str, missing))}."
            )


def _check_role_fields(role, ward_ids, patient_id) -> None:
    if role == "patient" and not patient_id:
        raise Invalid("patient_id", "A patient account needs the patient it belongs to.")
    if role != "patient" and patient_id:
        raise Invalid("patient_id", "Only patient accounts belong to a patient.")
    if role == "patient" and ward_ids:
        raise Invalid("ward_ids", "Patient accounts have no wards.")


def _check_email(role, email) -> None:
    # The address is for reminders and digests, which only staff get.
    if role == "patient" and email:
        raise Invalid("email", "Only staff accounts have an e-mail address.")


def create_user(username, password, role, ward_ids=(), professional_id=None, patient_id=None,
                email=None) -> User:
    """Make an account; 409 when the username, professional or patient already has one."""
    _check_role_fields(role, ward_ids, patient_id)
    _check_email(role, email)
    _check_references(ward_ids, professional_id, patient_id)
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise Conflict(f"The username {username!r} is taken.")
    user = User(username=username, password_hash=hash_password(password), role=role,
                professional_id=professional_id, patient_id=patient_id, email=email,
                ward_links=[UserWard(ward_id=ward_id) for ward_id in sorted(set(ward_ids))])
    db.session.add(user)
    db.session.flush()
    record("user.create", object_type="user", object_id=user.id, patient_id=patient_id)
    return user


def update_user(user: User, changes: dict) -> User:
    """Change role, wards, links, password or disabled state; disabling ends every session and
    token."""
    role = changes.get("role", user.role)
    ward_ids = changes.get("ward_ids", user.ward_ids)
    patient_id = changes.get("patient_id", user.patient_id)
    _check_role_fields(role, ward_ids, patient_id)
    _check_email(role, changes.get("email", user.email))
    _check_references(
        changes.get("ward_ids"), changes.get("professional_id"), changes.get("patient_id")
    )
    for name in ("role", "professional_id", "patient_id", "email"):
        if name in changes:
            setattr(user, name, changes[name])
    if "ward_ids" in changes:
        user.ward_links = [
            UserWard(ward_id=ward_id) for ward_id in sorted(set(changes["ward_ids"]))
        ]
    if "password" in changes:
        user.password_hash = hash_password(changes["password"])
        revoke_all(user)
    if "disabled" in changes:
        user.disabled_at = utcnow() if changes["disabled"] else None
        if changes["disabled"]:
            revoke_all(user)
    db.session.flush()
    record("user.update", object_type="user", object_id=user.id)
    return user


def revoke_all(user: User) -> None:
    """End every session and bearer token of a user."""
    now = utcnow()
    for model in (UserSession, ApiToken):
        db.session.execute(
            sa.update(model)
            .where(model.user_id == user.id, model.revoked_at.is_(None))
            .values(revoked_at=now)
        )


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def login(username: str, password: str, address: str) -> tuple[UserSession, str]:
    """Check a password and open a session; returns it with the cookie token (shown only now).

    The attempt is registered with the throttle first (TooManyAttempts, 429, when it comes too
    early), under the name as typed: an unknown name is counted, checked against a dummy hash and
    answered as a wrong password, so that nothing tells the two apart. The registration is committed
    before the password is checked, and the check runs with no transaction open (on SQLite, without
    the write lock), in one of the worker's few hashing slots (HashingBusy, 503, when they are all
    taken: that attempt is taken back); then the outcome is committed.
    """
    name = username.strip().lower()
    ticket = throttle.reserve(name, address)
    found = db.session.execute(sa.select(User.id, User.password_hash, User.disabled_at)
                               .where(User.username == name)).first()
    db.session.commit()  # registered before the check, whatever happens next
    try:
        with throttle.hashing_slot():
            right = _verify(found.password_hash if found else None, password)
    except throttle.HashingBusy:
        throttle.refund(ticket)
        db.session.commit()
        raise
    if not right or found.disabled_at is not None:
        throttle.failed(ticket)
        db.session.commit()
        raise Unauthorized("Wrong username or password.")
    throttle.succeeded(ticket)
    user = db.session.get(User, found.id)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    now = utcnow()
    token = secrets.token_urlsafe(32)
    session = UserSession(user=user, token_hash=token_digest(token),
                          csrf_token=secrets.token_urlsafe(32), created_at=now, last_seen_at=now,
                          expires_at=now + timedelta(hours=current_app.config["SESSION_MAX_HOURS"]))
    db.session.add(session)
    db.session.flush()
    record("auth.login", object_type="user", object_id=user.id, actor=user)
    return session, token


def logout(session: UserSession) -> None:
    """Revoke one session."""
    session.revoked_at = utcnow()
    record("auth.logout", object_type="user", object_id=session.user_id)


def issue_token(user: User) -> str:
    """Create a bearer token; the caller shows it once, the database keeps only its digest."""
    token = "wt_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=token_digest(token)))
    db.session.flush()
    record("auth.token.create", object_type="user", object_id=user.id)
    return token
