"""A crisis-plan version, stored only as ciphertext under an envelope of keys."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wardtrack.core.envelope import Sealed
from wardtrack.extensions import db


class CrisisPlanVersion(Sealed, db.Model):
    """One version of a patient's crisis plan.

    The content is AES-256-GCM ciphertext under a data key of its own; the data key is stored
    wrapped by the key-encryption key `key_id` (which lives in the keyring, never here). Both are
    bound to `crisis_plan|<patient_id>|<version>`, so a row copied elsewhere does not decrypt.
    """

    __tablename__ = "crisis_plan_versions"
    __table_args__ = (
        sa.UniqueConstraint(
            "patient_id", "version", name="uq_crisis_plan_versions_patient_id_version"
        ),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"))
    version: Mapped[int]
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(sa.String(200))
    author_role: Mapped[str] = mapped_column(sa.String(20))
    reviewed_with_patient: Mapped[bool] = mapped_column(default=False)


class CrisisPlanSuggestion(Sealed, db.Model):
    """A change to the crisis plan that the patient suggested from their phone, encrypted like a
    version.

    `number` counts the patient's suggestions from 1; the text is bound to
    `crisis_plan_suggestion|<patient_id>|<number>`. Staff answer it by writing a new version, which
    `answered_version` then names.
    """

    __tablename__ = "crisis_plan_suggestions"
    __table_args__ = (
        sa.UniqueConstraint(
            "patient_id", "number", name="uq_crisis_plan_suggestions_patient_id_number"
        ),
        sa.CheckConstraint("status IN ('open', 'answered')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"))
    number: Mapped[int]
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    section: Mapped[str | None] = mapped_column(sa.String(40))
    status: Mapped[str] = mapped_column(sa.String(20), default="open")
    answered_version: Mapped[int | None]
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
