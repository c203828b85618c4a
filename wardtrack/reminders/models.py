"""A maintenance plan (see a professional every N days) and the reminders it comes due with."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wardtrack.core.db import enum_column
from wardtrack.extensions import db

REMINDER_KINDS = ("maintenance_due", "crisis_plan_review")
REMINDER_STATUSES = ("open", "done", "snoozed", "closed")
PENDING = ("open", "snoozed")
#: Which contacts keep a maintenance plan on time (stored as any_contact_counts).
PLAN_COUNTS = ("maintenance", "any")


class MaintenancePlan(db.Model):
    """The patient keeps seeing a professional at least every `interval_days`; active while ended_at
    is null."""

    __tablename__ = "maintenance_plans"
    __table_args__ = (
        sa.CheckConstraint("interval_days BETWEEN 7 AND 730", name="interval_range"),
        sa.Index(
            "ix_maintenance_plans_patient_id_professional_id", "patient_id", "professional_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"))
    professional_id: Mapped[int] = mapped_column(sa.ForeignKey("professionals.id"), index=True)
    interval_days: Mapped[int] = mapped_column(default=182)
    any_contact_counts: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(sa.String(500))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    @property
    def counts(self) -> str:
        """Which contacts with the professional count: "any", or "maintenance" contacts only."""
        return "any" if self.any_contact_counts else "maintenance"


class Reminder(db.Model):
    """One reminder per plan and local due date (unique in the database, so a sweep can never double
    it).

    `basis_at` is the qualifying contact (or plan start) the due date was computed from: a
    qualifying contact after it closes the reminder. A `crisis_plan_review` reminder has no plan but
    the crisis-plan version it asks to review (its basis is that version's date).
    """

    __tablename__ = "reminders"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "due_on", name="uq_reminders_plan_id_due_on"),
        # A crisis-plan review reminder belongs to one plan version: a sweep can never double it
        # either.
        sa.UniqueConstraint("crisis_plan_version_id", name="uq_reminders_crisis_plan_version_id"),
        sa.Index("ix_reminders_patient_id_status", "patient_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("maintenance_plans.id"))
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"))
    kind: Mapped[str] = mapped_column(enum_column(REMINDER_KINDS, "reminder_kind"))
    due_on: Mapped[date]
    due_at: Mapped[datetime]
    basis_at: Mapped[datetime]
    professional_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("professionals.id"), index=True
    )
    ward_id: Mapped[int | None] = mapped_column(sa.ForeignKey("wards.id"), index=True)
    status: Mapped[str] = mapped_column(
        enum_column(REMINDER_STATUSES, "reminder_status"), default="open"
    )
    snoozed_until: Mapped[date | None]
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    done_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]
    crisis_plan_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("crisis_plan_versions.id")
    )
    # Set when the e-mail and push deliveries were queued (once; the reminder itself is the in-app
    # one).
    notified_at: Mapped[datetime | None]
