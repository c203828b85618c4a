"""Wards (any treatment setting), professionals and the periods they belong to a ward."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wardtrack.core.db import enum_column
from wardtrack.core.time import utcnow
from wardtrack.extensions import db

SETTINGS = ("acute_ward", "forensic_unit", "community_mental_health_centre",
            "assertive_outreach_team", "outpatient_clinic", "crisis_resolution_team",
            "substance_use_unit", "other")
PROFESSIONS = ("nurse", "psychiatrist", "doctor", "psychologist", "social_worker",
               "occupational_therapist", "peer_worker", "other")


class Ward(db.Model):
    __tablename__ = "wards"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    setting: Mapped[str] = mapped_column(enum_column(SETTINGS, "ward_setting"))
    timezone: Mapped[str] = mapped_column(
        sa.String(60), default="Europe/Oslo", server_default="Europe/Oslo"
    )
    #: A contact logged further back than this (or before the patient's current episode) needs a
    #: confirmation.
    contact_backdate_hours: Mapped[int] = mapped_column(default=72, server_default="72")
    #: A patient with an active episode here is offered a check-in on each key person, and on their
    #: life and care, when they made none in this many days.
    check_in_interval_days: Mapped[int] = mapped_column(default=30, server_default="30")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Professional(db.Model):
    """A member of staff; not every professional has a login (locums, on-call doctors)."""

    __tablename__ = "professionals"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    profession: Mapped[str] = mapped_column(enum_column(PROFESSIONS, "profession"), index=True)
    work_phone: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="professional",
        cascade="all, delete-orphan",
        order_by="Membership.started_on",
    )

    @property
    def ward_ids(self) -> list[int]:
        """The wards this professional belongs to today."""
        return self.ward_ids_on(utcnow().date())

    def ward_ids_on(self, day: date) -> list[int]:
        """The wards this professional belongs to on a day."""
        return sorted({m.ward_id for m in self.memberships
                       if m.started_on <= day and (m.ended_on is None or m.ended_on >= day)})


class Membership(db.Model):
    """A professional belongs to a ward from started_on to ended_on (inclusive; open when null)."""

    __tablename__ = "ward_memberships"
    __table_args__ = (
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    professional_id: Mapped[int] = mapped_column(sa.ForeignKey("professionals.id"), index=True)
    ward_id: Mapped[int] = mapped_column(sa.ForeignKey("wards.id"), index=True)
    started_on: Mapped[date]
    ended_on: Mapped[date | None]

    professional: Mapped[Professional] = relationship(back_populates="memberships")
