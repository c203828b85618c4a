"""Reads of the feed's tables."""

import sqlalchemy as sa

from wardtrack.adt.models import POINT_OF_CARE_LENGTH, AdtLocation
from wardtrack.core.errors import NotFound
from wardtrack.extensions import db


def list_locations() -> list[AdtLocation]:
    """Every mapped point of care, by name."""
    return list(db.session.scalars(sa.select(AdtLocation).order_by(AdtLocation.point_of_care)))


def get_location(point_of_care: str) -> AdtLocation:
    """One mapping; 404 when the point of care is not mapped (or could not be: no control
    characters, which PostgreSQL would refuse to compare)."""
    if not usable(point_of_care):
        raise NotFound(f"No mapping for the point of care {point_of_care!r}.")
    found = db.session.scalar(
        sa.select(AdtLocation).where(AdtLocation.point_of_care == point_of_care))
    if found is None:
        raise NotFound(f"No mapping for the point of care {point_of_care}.")
    return found


def usable(point_of_care: str) -> bool:
    """Whether a text can be a point of care: 1 to 40 characters, no HL7 delimiter, no control
    character."""
    return 0 < len(point_of_care) <= POINT_OF_CARE_LENGTH and not any(
        ch in "|^~\\&" or ord(ch) < 32 or ord(ch) == 127 for ch in point_of_care)
