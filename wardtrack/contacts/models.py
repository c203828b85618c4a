"""One meeting between a patient and a professional."""

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wardtrack.core.db import enum_column
from wardtrack.extensions import db

KINDS = ("conversation", "group", "phone", "video", "medication", "decision", "coercive_measure",
         "maintenance", "admission", "discharge")
#: A contact is `recorded`, or `entered_in_error` once retracted: it stays in history but counts
#: nowhere.
RECORDED, ENTERED_IN_ERROR = "recorded", "entered_in_error"
STATUSES = (RECORDED, ENTERED_IN_ERROR)
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class Contact(db.Model):
    __tablename__ = "contacts"
    __table_args__ = (
        sa.CheckConstraint("duration_minutes IS NULL OR (duration_minutes BETWEEN 1 AND 1440)",
                           name="duration_range"),
        sa.Index("ix_contacts_patient_id_occurred_at", "patient_id", "occurred_at"),
        sa.Index("ix_contacts_patient_id_professional_id", "patient_id", "professional_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    client_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid(), unique=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"))
    professional_id: Mapped[int] = mapped_column(sa.ForeignKey("professionals.id"), index=True)
    ward_id: Mapped[int | None] = mapped_column(sa.ForeignKey("wards.id"))
    kind: Mapped[str] = mapped_column(enum_column(KINDS, "contact_kind"))
    occurred_at: Mapped[datetime]
    duration_minutes: Mapped[int | None]
    received_at: Mapped[datetime]
    logged_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(enum_column(STATUSES, "contact_status"), default=RECORDED,
                                        server_default=RECORDED)
    retracted_at: Mapped[datetime | None]
    retracted_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    retraction_reason: Mapped[str | None] = mapped_column(sa.String(500))


def is_counted(contact=Contact):
    """SQL: the contact counts in measures, flags, relationships and reminders (it was not entered
    in error).

    Every reader of contacts for those purposes adds this condition; only the contact list shows
    them all.
    """
    return contact.status == RECORDED
