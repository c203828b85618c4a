"""Flags with their lifecycle, per-ward policies, and what recomputation keeps for fast reads."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wardtrack.continuity.rules import RULES
from wardtrack.core.db import enum_column
from wardtrack.core.time import utcnow
from wardtrack.extensions import db

FLAG_CODES = tuple(RULES)
SEVERITIES = ("low", "medium", "high")
FLAG_STATUSES = ("open", "acknowledged", "resolved")
WINDOWS = (30, 90)


class Flag(db.Model):
    """One continuity problem of one patient: open → acknowledged → resolved; rows are kept as
    history."""

    __tablename__ = "flags"
    __table_args__ = (
        # At most one unresolved flag per condition; a returning condition opens a new row.
        sa.Index("uq_flags_one_unresolved", "patient_id", "code", "subject", unique=True,
                 sqlite_where=sa.text("status <> 'resolved'"),
                 postgresql_where=sa.text("status <> 'resolved'")),
        sa.Index("ix_flags_patient_id_status", "patient_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"))
    code: Mapped[str] = mapped_column(enum_column(FLAG_CODES, "flag_code"))
    subject: Mapped[str] = mapped_column(sa.String(60), default="")
    severity: Mapped[str] = mapped_column(enum_column(SEVERITIES, "flag_severity"))
    status: Mapped[str] = mapped_column(enum_column(FLAG_STATUSES, "flag_status"), default="open")
    detail: Mapped[str] = mapped_column(sa.String(1000))
    # [{"key", "params"}] from rules.Reason, for pages in any language; NULL on rows not recomputed
    # since.
    reasons: Mapped[list | None] = mapped_column(sa.JSON)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    acknowledge_note: Mapped[str | None] = mapped_column(sa.String(1000))
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    resolve_note: Mapped[str | None] = mapped_column(sa.String(1000))
    # Resolved by a team leader while the condition still held: not reopened until the condition
    # clears.
    suppressed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class WardPolicy(db.Model):
    """A ward's overrides of the default thresholds (continuity.rules.Policy)."""

    __tablename__ = "ward_policies"

    ward_id: Mapped[int] = mapped_column(sa.ForeignKey("wards.id"), primary_key=True)
    thresholds: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class RecomputeQueue(db.Model):
    """Patients whose flags must be recomputed; filled by change signals, drained on read and by the
    sweep."""

    __tablename__ = "flag_recompute_queue"

    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"), primary_key=True)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)


class PatientProfessional(db.Model):
    """Who a patient has met: first and last contact and how often, kept by recomputation."""

    __tablename__ = "patient_professionals"

    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"), primary_key=True)
    professional_id: Mapped[int] = mapped_column(
        sa.ForeignKey("professionals.id"), primary_key=True, index=True
    )
    first_contact_at: Mapped[datetime]
    last_contact_at: Mapped[datetime]
    contacts: Mapped[int]


class ContinuitySnapshot(db.Model):
    """The 30- and 90-day measures of a patient as of computed_at, so that the ward board reads no
    history."""

    __tablename__ = "continuity_snapshots"
    __table_args__ = (sa.CheckConstraint("window_days IN (30, 90)", name="known_window"),)

    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"), primary_key=True)
    window_days: Mapped[int] = mapped_column(primary_key=True)
    contacts: Mapped[int]
    distinct_professionals: Mapped[int]
    new_professionals: Mapped[int]
    upc: Mapped[float | None]
    coc: Mapped[float | None]
    secon: Mapped[float | None]
    kpc: Mapped[float | None]
    computed_at: Mapped[datetime]
