"""Break-the-glass grants and admissions from outside the admitter's reach: the reasons people
gave."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wardtrack.auth.models import User
from wardtrack.extensions import db
from wardtrack.patients.models import Episode


class EmergencyAccess(db.Model):
    """Break-the-glass: one staff member's time-limited reach to one patient, with the reason they
    gave.

    The reason lives here and not in the audit trail, whose rows never hold free text; the
    `emergency_access.grant` audit event points at this row.
    """

    __tablename__ = "emergency_access"
    __table_args__ = (
        sa.CheckConstraint("expires_at > granted_at", name="expires_after_grant"),
        sa.CheckConstraint(
            "(reviewed_at IS NULL) = (reviewed_by IS NULL)", name="review_has_reviewer"
        ),
        # The reach rule asks "has this user a live grant for this patient?" on every request.
        sa.Index("ix_emergency_access_user_id_patient_id_expires_at", "user_id", "patient_id",
                 "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(500))
    granted_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    reviewed_at: Mapped[datetime | None]
    reviewed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    review_note: Mapped[str | None] = mapped_column(sa.String(1000))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class OutsideAdmission(db.Model):
    """An episode a team leader opened for a patient outside their reach, with the reason they gave.

    Admitting is how a patient comes within a ward's reach, so admitting someone already known
    elsewhere is a break of the glass: the team leaders of the patient's previous ward review it
    (in the emergency-access review list) and the patient sees it, with the reason, in their access
    log. The reason lives here, not in the audit trail, whose rows never hold free text.
    """

    __tablename__ = "outside_admissions"
    __table_args__ = (
        sa.CheckConstraint(
            "(reviewed_at IS NULL) = (reviewed_by IS NULL)", name="review_has_reviewer"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(sa.ForeignKey("episodes.id"), unique=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    # The ward of the patient's latest episode before this one: its team leaders review the
    # admission.
    from_ward_id: Mapped[int] = mapped_column(sa.ForeignKey("wards.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(500))
    admitted_at: Mapped[datetime]
    reviewed_at: Mapped[datetime | None]
    reviewed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    review_note: Mapped[str | None] = mapped_column(sa.String(1000))

    episode: Mapped[Episode] = relationship()
