"""Reads of the feed's tables."""

import sqlalchemy as sa

from wardtrack.adt.models import AdtLocation
from wardtrack.core.errors import NotFound
from wardtrack.extensions import db


def list_locations() -> list[AdtLocation]:
    """Every mapped point of care, by name."""
    return list(db.session.scalars(sa.select(AdtLocation).order_by(AdtLocation.point_of_care)))


def get_location(point_of_care: str) -> AdtLocation:
    """One mapping; 404 when the point of care is not mapped."""
    found = db.session.scalar(
        sa.select(AdtLocation).where(AdtLocation.point_of_care == point_of_care))
    if found is None:
        raise NotFound(f"No mapping for the point of care {point_of_care}.")
    return found
