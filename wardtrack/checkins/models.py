"""A check-in, its item scores (one row per item) and its sealed free text."""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wardtrack.core.db import enum_column
from wardtrack.core.envelope import Sealed
from wardtrack.extensions import db

if TYPE_CHECKING:
    from wardtrack.organisation.models import Professional

KINDS = ("relationship", "dialog")
#: Relationship items, 0 (never) to 4 (always).
RELATIONSHIP_ITEMS = ("listened", "person", "together", "safe", "advocate", "speak_up")
LIFE_ITEMS = ("mental_health", "physical_health", "job", "accommodation", "leisure", "friendships",
              "partner_family", "personal_safety")
TREATMENT_ITEMS = ("medication", "practical_help", "meetings")
#: Life-and-care items, satisfaction 1 to 7.
DIALOG_ITEMS = LIFE_ITEMS + TREATMENT_ITEMS
ITEMS = {"relationship": RELATIONSHIP_ITEMS, "dialog": DIALOG_ITEMS}
RANGES = {"relationship": (0, 4), "dialog": (1, 7)}
SHARES = ("ward", "team_leader", "team_leader_and_person")
DEFAULT_SHARE = "team_leader"
WHAT_WOULD_HELP_LENGTH = 500


def _quoted(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


class CheckIn(db.Model):
    """One check-in by a patient: on one professional (relationship) or on their life and care
    (dialog). `share` is the patient's choice of who reads it; `ward_id` is the ward of the
    patient's current episode when it was made, for the ward's anonymous figures."""

    __tablename__ = "check_ins"
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'relationship' AND professional_id IS NOT NULL)"
            " OR (kind = 'dialog' AND professional_id IS NULL)",
            name="professional_for_relationship"),
        sa.CheckConstraint("share <> 'team_leader_and_person' OR kind = 'relationship'",
                           name="person_share_for_relationship"),
        sa.Index("ix_check_ins_patient_id_created_at", "patient_id", "created_at"),
        sa.Index("ix_check_ins_ward_id_created_at", "ward_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Chosen by the phone, so that a form sent twice (a double tap, a retry) is stored once.
    client_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid(), unique=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"))
    kind: Mapped[str] = mapped_column(enum_column(KINDS, "check_in_kind"))
    professional_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("professionals.id"), index=True)
    ward_id: Mapped[int | None] = mapped_column(sa.ForeignKey("wards.id"))
    share: Mapped[str] = mapped_column(enum_column(SHARES, "check_in_share"))
    created_at: Mapped[datetime]

    professional: Mapped["Professional | None"] = relationship()
    items: Mapped[list["CheckInItem"]] = relationship(
        order_by="CheckInItem.item", cascade="all, delete-orphan")
    text: Mapped["CheckInText | None"] = relationship(cascade="all, delete-orphan")

    @property
    def scores(self) -> dict[str, int]:
        return {row.item: row.score for row in self.items}

    @property
    def more_help(self) -> list[str]:
        asked = {row.item for row in self.items if row.more_help}
        return [item for item in DIALOG_ITEMS if item in asked]


class CheckInItem(db.Model):
    """One item's score; the database refuses a score out of its item's range and more help asked
    on a relationship item."""

    __tablename__ = "check_in_items"
    __table_args__ = (
        sa.CheckConstraint(
            f"(item IN ({_quoted(RELATIONSHIP_ITEMS)}) AND score BETWEEN 0 AND 4)"
            f" OR (item IN ({_quoted(DIALOG_ITEMS)}) AND score BETWEEN 1 AND 7)",
            name="score_range"),
        sa.CheckConstraint(f"more_help = false OR item IN ({_quoted(DIALOG_ITEMS)})",
                           name="more_help_on_dialog"),
    )

    check_in_id: Mapped[int] = mapped_column(sa.ForeignKey("check_ins.id"), primary_key=True)
    item: Mapped[str] = mapped_column(
        enum_column(RELATIONSHIP_ITEMS + DIALOG_ITEMS, "check_in_item"), primary_key=True)
    score: Mapped[int]
    more_help: Mapped[bool] = mapped_column(default=False)


class CheckInText(Sealed, db.Model):
    """The free text `what_would_help` of a relationship check-in, sealed under
    `check_in|<patient_id>|<check_in_id>` (see core/envelope.py); there is no plain-text column."""

    __tablename__ = "check_in_texts"

    check_in_id: Mapped[int] = mapped_column(sa.ForeignKey("check_ins.id"), primary_key=True)


def associated_data(patient_id: int, check_in_id: int) -> bytes:
    """What binds a check-in's sealed text to its row."""
    return f"check_in|{patient_id}|{check_in_id}".encode()
