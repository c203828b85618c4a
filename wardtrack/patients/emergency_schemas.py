"""Schemas for break-the-glass grants, their review, and the patient's access log."""

from marshmallow import fields, validate

from wardtrack.core.pagination import PageArgs
from wardtrack.core.schemas import StrictSchema, UtcDateTime, no_control_characters
from wardtrack.patients.emergency import STATUSES


class _Trimmed(fields.String):
    """A one-line string, trimmed before its length is checked."""

    def __init__(self, min_length: int, max_length: int, **kwargs):
        super().__init__(validate=[validate.Length(min=min_length, max=max_length), no_control_characters], **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class EmergencyAccessRequest(StrictSchema):
    reason = _Trimmed(10, 500, required=True, metadata={
        "description": "Why the record must be opened now; shown to the patient and the reviewing team leader.",
        "example": "Patient arrived at the emergency room in crisis; need the crisis plan."})


class EmergencyReviewRequest(StrictSchema):
    note = _Trimmed(1, 1000, required=True)


class EmergencyAccessSchema(StrictSchema):
    id = fields.Integer()
    patient_id = fields.Integer()
    user_id = fields.Integer(metadata={"description": "The staff member who broke the glass"})
    who = fields.String(metadata={"description": "Their professional name, else their username"})
    reason = fields.String()
    granted_at = UtcDateTime()
    expires_at = UtcDateTime()
    active = fields.Boolean(metadata={"description": "Not yet expired"})
    reviewed_at = UtcDateTime(allow_none=True)
    reviewed_by = fields.Integer(allow_none=True)
    review_note = fields.String(allow_none=True)


class EmergencyAccessQuery(PageArgs):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))


class AccessLogItem(StrictSchema):
    at = UtcDateTime()
    who = fields.String()
    role = fields.String()
    action = fields.String(metadata={"example": "crisis_plan.read"})
    reason = fields.String(metadata={"description": "Only for emergency_access.grant"})
