"""Writes of the location mapping (admins): a point of care of the feed → a ward."""

from wardtrack.adt.models import POINT_OF_CARE_LENGTH, AdtLocation
from wardtrack.adt.queries import get_location, usable
from wardtrack.audit.operations import record
from wardtrack.core.errors import Invalid, NotFound
from wardtrack.extensions import db
from wardtrack.organisation.models import Ward


def put_location(point_of_care: str, ward_id: int) -> tuple[AdtLocation, bool]:
    """Map a point of care to a ward (create or change); (mapping, created). 422 naming the field
    for an unknown ward or an unusable point of care."""
    if not usable(point_of_care):
        raise Invalid("point_of_care", f"Must be 1 to {POINT_OF_CARE_LENGTH} characters without HL7 "
                      "delimiters or control characters.")
    if db.session.get(Ward, ward_id) is None:
        raise Invalid("ward_id", f"No such ward: {ward_id}.")
    try:
        location, created = get_location(point_of_care), False
    except NotFound:
        location, created = AdtLocation(point_of_care=point_of_care), True
        db.session.add(location)
    location.ward_id = ward_id
    db.session.flush()
    record("adt.location.set", object_type="adt_location", object_id=location.id)
    return location, created


def delete_location(point_of_care: str) -> None:
    """Remove a mapping; 404 when there is none. Later messages naming it are answered AE."""
    location = get_location(point_of_care)
    db.session.delete(location)
    db.session.flush()
    record("adt.location.delete", object_type="adt_location", object_id=location.id)
