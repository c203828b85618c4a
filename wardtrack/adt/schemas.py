"""The location mapping on the wire."""

from marshmallow import fields

from wardtrack.core.schemas import StrictSchema, id_field


class LocationSchema(StrictSchema):
    point_of_care = fields.String(dump_only=True, metadata={"description": "PV1-3.1 as the feed sends it"})
    ward_id = id_field(required=True)
    updated_at = fields.DateTime(dump_only=True)
