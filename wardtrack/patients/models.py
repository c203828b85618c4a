"""Patients, episodes (admissions and enrolments) and designations (safety person, ...)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wardtrack.core.db import enum_column
from wardtrack.core.time import utcnow
from wardtrack.extensions import db

EPISODE_KINDS = ("inpatient", "outpatient")
LEGAL_STATUSES = ("voluntary", "involuntary")
#: The key people staff name; the attending doctor (the doctor in charge of the stay) comes from the
#: hospital's feed (docs/adt.md), its changes counted by the high_turnover flag.
KEY_PEOPLE = ("safety_person", "primary_contact", "therapist")
DESIGNATIONS = (*KEY_PEOPLE, "attending_doctor")
LOCATION_LENGTH = 40


class Patient(db.Model):
    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(sa.String(200))
    identifier: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    episodes: Mapped[list["Episode"]] = relationship(
        back_populates="patient", order_by="Episode.started_at"
    )


class Episode(db.Model):
    """A stay with one ward: an inpatient admission or an outpatient enrolment."""

    __tablename__ = "episodes"
    __table_args__ = (
        sa.CheckConstraint("ended_at IS NULL OR ended_at > started_at", name="ends_after_start"),
        sa.Index("ix_episodes_patient_id_started_at", "patient_id", "started_at"),
        sa.Index("ix_episodes_ward_id_ended_at", "ward_id", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"))
    ward_id: Mapped[int] = mapped_column(sa.ForeignKey("wards.id"))
    kind: Mapped[str] = mapped_column(enum_column(EPISODE_KINDS, "episode_kind"))
    legal_status: Mapped[str] = mapped_column(enum_column(LEGAL_STATUSES, "legal_status"))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    # Room or bed ("Room 12 bed 2"): tells two patients of the same name apart where staff pick one.
    location: Mapped[str | None] = mapped_column(sa.String(LOCATION_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    patient: Mapped[Patient] = relationship(back_populates="episodes")

    @property
    def active(self) -> bool:
        return self.ended_at is None


class Designation(db.Model):
    """A named role of a professional for a patient over a period; one active per patient and
    kind."""

    __tablename__ = "designations"
    __table_args__ = (
        sa.CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
        sa.Index("uq_designations_one_active", "patient_id", "kind", unique=True,
                 sqlite_where=sa.text("ended_at IS NULL"),
                 postgresql_where=sa.text("ended_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"), index=True)
    professional_id: Mapped[int] = mapped_column(sa.ForeignKey("professionals.id"), index=True)
    kind: Mapped[str] = mapped_column(enum_column(DESIGNATIONS, "designation_kind"))
    chosen_by_patient: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    professional = relationship("Professional")
