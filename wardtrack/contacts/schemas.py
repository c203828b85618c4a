"""Contact schemas."""

from marshmallow import fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from wardtrack.contacts.models import KINDS
from wardtrack.core.pagination import PageArgs
from wardtrack.core.schemas import StrictSchema, Text, UtcDateTime, id_field
from wardtrack.patients.schemas import KeyPersonSchema, ProfessionalBrief


class ContactSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    client_id = fields.UUID(required=True)
    patient_id = id_field(required=True)
    professional_id = id_field(required=True)
    occurred_at = UtcDateTime(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    ward_id = id_field(load_default=None, allow_none=True)
    duration_minutes = fields.Integer(strict=True, load_default=None, allow_none=True,
                                      validate=validate.Range(min=1, max=1440))
    confirm_backdated = fields.Boolean(
        load_only=True,
        load_default=False,
        metadata={
            "description": (
                "True when the user confirmed a time before the patient's current episode or "
                "further back than the ward's contact_backdate_hours (72 by default); without it "
                "such a new contact is refused (422 naming occurred_at)"
            )
        },
    )
    recorded_at = UtcDateTime(
        load_only=True,
        load_default=None,
        allow_none=True,
        metadata={
            "description": (
                "When the device recorded the contact, if it waited offline: how far back a time "
                "goes is measured from then, so that a contact logged at the time is not refused "
                "for the days it waited for the network"
            )
        },
    )
    received_at = UtcDateTime(dump_only=True)
    logged_by = fields.Integer(dump_only=True, allow_none=True)
    status = fields.String(
        dump_only=True, metadata={"description": "recorded, or entered_in_error once retracted"}
    )
    retracted_at = UtcDateTime(dump_only=True, allow_none=True)
    retracted_by = fields.Integer(dump_only=True, allow_none=True)
    retraction_reason = fields.String(dump_only=True, allow_none=True)


class RetractSchema(StrictSchema):
    reason = Text(
        required=True, max_length=500, metadata={"description": "Why it was entered in error"}
    )


class ContactBatchSchema(StrictSchema):
    # Items are checked one by one in record_batch, so that a malformed item fails alone (422 in its
    # result) instead of refusing the whole outbox.
    contacts = fields.List(
        fields.Raw(allow_none=True, metadata={"type": "object"}),
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "Up to 500 contacts, each as in POST /contacts."},
    )


class BatchResultSchema(StrictSchema):
    client_id = fields.String(allow_none=True)
    status = fields.Integer()
    contact = fields.Nested(ContactSchema)
    errors = fields.Dict()


class BatchResponseSchema(StrictSchema):
    results = fields.List(fields.Nested(BatchResultSchema))


class ContactQuery(PageArgs):
    since = UtcDateTime(load_default=None)
    until = UtcDateTime(load_default=None)

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("since") and data.get("until") and data["since"] >= data["until"]:
            raise ValidationError("Must be after since.", "until")


class RelationshipQuery(StrictSchema):
    days = fields.Integer(load_default=365, validate=validate.Range(min=1, max=3650))


class SeenProfessionalSchema(StrictSchema):
    professional = fields.Nested(ProfessionalBrief)
    contacts = fields.Integer()
    first_contact_at = UtcDateTime()
    last_contact_at = UtcDateTime()


class RelationshipsSchema(StrictSchema):
    window_days = fields.Integer()
    key_people = fields.List(fields.Nested(KeyPersonSchema))
    professionals = fields.List(fields.Nested(SeenProfessionalSchema))


class TimelineQuery(StrictSchema):
    days = fields.Integer(
        load_default=90,
        validate=validate.Range(min=1, max=3650),
        metadata={"description": "Window length in days, ending now (90 or 365 in the app)."},
    )


class TimelineRowSchema(StrictSchema):
    professional_id = fields.Integer()
    name = fields.String()
    profession = fields.String()
    known_before = fields.Boolean(
        metadata={"description": "The patient had met them before the window"}
    )
    contacts = fields.List(
        UtcDateTime(), metadata={"description": "Times of the contacts, oldest first"}
    )


class TimelineSchema(StrictSchema):
    window_days = fields.Integer()
    since = UtcDateTime()
    until = UtcDateTime()
    contacts = fields.Integer(
        metadata={"description": "Contacts in the window (at most 5000 are listed)"}
    )
    truncated = fields.Boolean(
        metadata={"description": "More than 5000 contacts: the oldest are left out"}
    )
    professionals = fields.List(
        fields.Nested(TimelineRowSchema),
        metadata={"description": "One row per professional, by first contact in the window"},
    )
