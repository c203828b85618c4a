"""Ward and professional schemas."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import ValidationError, fields, validate

from wardtrack.core.pagination import PageArgs
from wardtrack.core.schemas import PHONE, StrictSchema, Text, id_field
from wardtrack.organisation.models import PROFESSIONS, SETTINGS


def _time_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError("Not an IANA time zone such as Europe/Oslo.") from None


class WardSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    name = Text(required=True)
    setting = fields.String(required=True, validate=validate.OneOf(SETTINGS))
    timezone = fields.String(
        load_default="Europe/Oslo", validate=[validate.Length(min=1, max=60), _time_zone]
    )
    contact_backdate_hours = fields.Integer(
        strict=True,
        load_default=72,
        validate=validate.Range(min=1, max=8760),
        metadata={
            "description": "A contact logged further back than this, or "
            "before the patient's current episode, needs confirm_backdated"
        },
    )
    check_in_interval_days = fields.Integer(
        strict=True, load_default=30, validate=validate.Range(min=1, max=365),
        metadata={"description": "A check-in is offered when none was made in this many days"})


class ProfessionalSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    name = Text(required=True)
    profession = fields.String(required=True, validate=validate.OneOf(PROFESSIONS))
    ward_ids = fields.List(id_field(), required=True, validate=validate.Length(min=1, max=20))
    work_phone = fields.String(load_default=None, allow_none=True, validate=PHONE)


class ProfessionalQuery(PageArgs):
    ward_id = id_field(strict=False, load_default=None)
    profession = fields.String(load_default=None, validate=validate.OneOf(PROFESSIONS))
    q = Text(max_length=100, load_default=None)
