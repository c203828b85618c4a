"""Maintenance plans and reminders on the wire."""

from marshmallow import Schema, ValidationError, fields, post_load, validate

from wardtrack.core.schemas import StrictSchema, Text, UtcDateTime, id_field
from wardtrack.reminders.models import PLAN_COUNTS, REMINDER_STATUSES


class MaintenancePlanBodySchema(StrictSchema):
    """What POST …/maintenance-plans takes."""

    professional_id = id_field(required=True)
    interval_days = fields.Integer(
        strict=True, load_default=182, validate=validate.Range(min=7, max=730)
    )
    counts = fields.String(
        load_default=None,
        validate=validate.OneOf(PLAN_COUNTS),
        metadata={
            "description": (
                "Which contacts with the professional keep the plan on time: `maintenance` "
                "contacts only (the default) or `any` contact"
            )
        },
    )
    any_contact_counts = fields.Boolean(
        load_default=None, metadata={"description": "Older form of `counts`"}
    )
    note = Text(500, allow_none=True, load_default=None)

    @post_load
    def _counts(self, data, **_kwargs):
        counts, any_contact = data.pop("counts"), data.pop("any_contact_counts")
        if counts is not None and any_contact is not None and (counts == "any") != any_contact:
            raise ValidationError("Contradicts any_contact_counts; send one of them.", "counts")
        data["any_contact_counts"] = counts == "any" if counts is not None else bool(any_contact)
        return data


class MaintenancePlanSchema(Schema):
    id = fields.Integer()
    patient_id = fields.Integer()
    professional_id = fields.Integer()
    interval_days = fields.Integer()
    counts = fields.String(metadata={"enum": list(PLAN_COUNTS)})
    any_contact_counts = fields.Boolean()
    note = fields.String(allow_none=True)
    started_at = UtcDateTime()
    ended_at = UtcDateTime(allow_none=True)
    active = fields.Function(lambda plan: plan.ended_at is None)


class MaintenancePlanListSchema(Schema):
    items = fields.List(fields.Nested(MaintenancePlanSchema))


class ReminderQuery(StrictSchema):
    status = fields.String(validate=validate.OneOf(REMINDER_STATUSES))


class ReminderSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    plan_id = fields.Integer(allow_none=True)
    patient_id = fields.Integer()
    professional_id = fields.Integer(allow_none=True)
    ward_id = fields.Integer(allow_none=True)
    due_on = fields.Date()
    due_at = UtcDateTime()
    status = fields.String()
    snoozed_until = fields.Date(allow_none=True)
    created_at = UtcDateTime()
    done_at = UtcDateTime(allow_none=True)
    closed_at = UtcDateTime(allow_none=True)


class ReminderItemSchema(ReminderSchema):
    """A reminder in the caller's list, with the names the reminders page shows (staff only, within
    reach)."""

    patient_name = fields.String(metadata={"description": "The patient's display name"})
    professional_name = fields.String(
        allow_none=True, metadata={"description": "The professional's name"}
    )


class ReminderListSchema(Schema):
    items = fields.List(fields.Nested(ReminderItemSchema))


class SnoozeSchema(StrictSchema):
    until = fields.Date(required=True)
