"""Schemas for break-the-glass grants, their review, and the patient's access log."""

from marshmallow import fields, validate

from wardtrack.access.queries import KINDS, STATUSES
from wardtrack.core.pagination import PageArgs
from wardtrack.core.schemas import StrictSchema, UtcDateTime
from wardtrack.patients.schemas import Trimmed


class EmergencyAccessRequest(StrictSchema):
    reason = Trimmed(
        10,
        500,
        required=True,
        metadata={
            "description": (
                "Why the record must be opened now; shown to the patient and the reviewing team "
                "leader."
            ),
            "example": "Patient arrived at the emergency room in crisis; need the crisis plan.",
        },
    )


class EmergencyReviewRequest(StrictSchema):
    note = Trimmed(1, 1000, required=True)


class EmergencyAccessSchema(StrictSchema):
    kind = fields.String(
        validate=validate.OneOf(KINDS),
        metadata={
            "description": (
                "emergency_access (a break-the-glass grant; review it at "
                "/emergency-access/{id}/review) or outside_admission (an episode opened for a "
                "patient from outside the admitter's reach; review it at "
                "/outside-admissions/{id}/review)"
            )
        },
    )
    id = fields.Integer(
        metadata={"description": "The grant's or the outside admission's id (see kind)"}
    )
    patient_id = fields.Integer()
    user_id = fields.Integer(
        metadata={"description": "The staff member who broke the glass or admitted"}
    )
    who = fields.String(metadata={"description": "Their professional name, else their username"})
    reason = fields.String()
    granted_at = UtcDateTime(
        metadata={"description": "When the grant was given or the patient admitted"}
    )
    expires_at = UtcDateTime(
        allow_none=True, metadata={"description": "When the grant ends; null for an admission"}
    )
    active = fields.Boolean(
        metadata={"description": "Not yet expired; for an admission, the episode is still open"}
    )
    episode_id = fields.Integer(
        allow_none=True, metadata={"description": "Only for outside_admission"}
    )
    ward_id = fields.Integer(
        allow_none=True, metadata={"description": "Only for outside_admission: admitted to"}
    )
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
    reason = fields.String(
        metadata={"description": "Only for emergency_access.grant and episode.admit_outside"}
    )
