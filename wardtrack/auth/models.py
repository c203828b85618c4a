"""Users, their wards, server-side sessions and bearer tokens."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wardtrack.core.db import enum_column
from wardtrack.core.time import utcnow
from wardtrack.extensions import db

ROLES = ("admin", "team_leader", "nurse", "patient")
STAFF = ("admin", "team_leader", "nurse")
# who may change a patient's care: episodes, key people, flags, plans
LEADERS = ("team_leader", "admin")


class User(db.Model):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(
            "(role = 'patient') = (patient_id IS NOT NULL)", name="patient_role_has_patient"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    # for reminders and digests, never shown to patients
    email: Mapped[str | None] = mapped_column(sa.String(254))
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(enum_column(ROLES, "user_role"))
    professional_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("professionals.id"), unique=True
    )
    patient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("patients.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[datetime | None]

    ward_links: Mapped[list["UserWard"]] = relationship(
        cascade="all, delete-orphan", order_by="UserWard.ward_id"
    )

    @property
    def ward_ids(self) -> list[int]:
        return [link.ward_id for link in self.ward_links]

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF


class UserWard(db.Model):
    """A staff account's wards: the wards whose patients it reaches."""

    __tablename__ = "user_wards"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    ward_id: Mapped[int] = mapped_column(sa.ForeignKey("wards.id"), primary_key=True, index=True)


class UserSession(db.Model):
    """A login; the cookie holds a random token and the database only its SHA-256."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class ApiToken(db.Model):
    """A bearer token for an integration, stored as its SHA-256."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class LoginThrottle(db.Model):
    """One login throttle counter (wardtrack.auth.throttle): the failed attempts under a key (an
    account from one address, an address, an account), those being checked, when the next may come,
    and when the counter is forgotten. Also marks an address an account logged in from lately. Keys
    are HMACs, never names."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0, server_default="0")
    # attempts whose password is being checked
    pending: Mapped[int] = mapped_column(default=0, server_default="0")
    next_at: Mapped[datetime | None]
    expires_at: Mapped[datetime] = mapped_column(index=True)
