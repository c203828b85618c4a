"""The feed's own tables: the message log, the mapping of points of care to wards, the feed's
doctors, the visits the feed has opened, and the record of merged patients."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wardtrack.core.time import utcnow
from wardtrack.extensions import db

#: What became of a message: applied; stale (older than the visit's latest applied event, recorded
#: only); error (answered AE, nothing stored but this row, so a corrected resend is applied).
OUTCOMES = ("applied", "stale", "error")
POINT_OF_CARE_LENGTH = 40


class AdtMessage(db.Model):
    """One message the feed sent, by its control id (MSH-10). Never the message text: the log holds
    no patient data beyond the ids of what the message changed."""

    __tablename__ = "adt_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    control_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    event: Mapped[str] = mapped_column(sa.String(8))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    event_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(sa.String(10))
    error: Mapped[str | None] = mapped_column(sa.String(200))
    patient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("patients.id"), index=True)
    episode_id: Mapped[int | None]


class AdtLocation(db.Model):
    """A point of care (PV1-3.1) of the hospital's feed and the ward it stands for; kept by
    admins."""

    __tablename__ = "adt_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    point_of_care: Mapped[str] = mapped_column(sa.String(POINT_OF_CARE_LENGTH), unique=True)
    ward_id: Mapped[int] = mapped_column(sa.ForeignKey("wards.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AdtDoctor(db.Model):
    """A doctor's identifier in the feed (XCN.1) and the professional made for them."""

    __tablename__ = "adt_doctors"

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(sa.String(64), unique=True)
    professional_id: Mapped[int] = mapped_column(sa.ForeignKey("professionals.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AdtVisit(db.Model):
    """A stay as the feed knows it (PV1-19 visit number, or the patient's latest when none is sent):
    its current episode, the one before a transfer (for A12), and the time of its latest applied
    event (a message older than that changes nothing)."""

    __tablename__ = "adt_visits"
    __table_args__ = (sa.Index("ix_adt_visits_patient_id", "patient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_number: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"))
    episode_id: Mapped[int | None] = mapped_column(sa.ForeignKey("episodes.id"))
    previous_episode_id: Mapped[int | None] = mapped_column(sa.ForeignKey("episodes.id"))
    last_event_at: Mapped[datetime]


class AdtMerge(db.Model):
    """A40: the patient merged away (kept, emptied) and the one that survives."""

    __tablename__ = "adt_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    merged_patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"), unique=True)
    surviving_patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"), index=True)
    control_id: Mapped[str] = mapped_column(sa.String(64))
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
