"""The audit event: who did what to which patient's data, when, in which request. Never clinical
content."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wardtrack.extensions import db

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime]
    actor_user_id: Mapped[int | None]
    actor_role: Mapped[str] = mapped_column(sa.String(20))
    action: Mapped[str] = mapped_column(sa.String(60))
    patient_id: Mapped[int | None] = mapped_column(index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(40))
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    request_id: Mapped[str | None] = mapped_column(sa.String(64))
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)

    CHAINED = ("at", "actor_user_id", "actor_role", "action", "patient_id", "object_type",
               "object_id", "request_id")


class AuditChainHead(db.Model):
    """The hash of the newest event: one row, which a trigger on audit_events keeps up to date.

    Appending an event reads it and locks it until the transaction ends, so that events link one
    after another however many workers write at once.
    """

    __tablename__ = "audit_chain_head"
    __table_args__ = (sa.CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(sa.String(64))
