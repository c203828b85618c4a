"""The crisis plan body (API.md "Crisis plan body") and the responses around it."""

import re

from marshmallow import Schema, ValidationError, fields, validate

from wardtrack.core.schemas import StrictSchema, Text, UtcDateTime, id_field

# The organisation's phone rule, repeated because crisisplans may not import organisation.
PHONE = validate.Regexp(r"^\+?[0-9][0-9 ()-]{2,29}$", error="A phone number: digits, spaces, dashes, optional +.")
MAX_ITEMS = 30
# Free text may span lines; other control characters (and NUL, which PostgreSQL refuses) may not.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_control(value: str) -> None:
    if _CONTROL.search(value):
        raise ValidationError("Must not contain control characters other than line breaks and tabs.")


class LongText(fields.String):
    """Free text of up to `max_length` characters, trimmed; line breaks allowed."""

    def __init__(self, max_length: int = 4000, **kwargs):
        super().__init__(validate=[validate.Length(min=1, max=max_length), _no_control], **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def short_list(**kwargs) -> fields.List:
    """A list of at most 30 short strings (each ≤ 200 characters)."""
    return fields.List(Text(200), validate=validate.Length(max=MAX_ITEMS), **kwargs)


class SupportContactSchema(StrictSchema):
    name = Text(200, required=True)
    phone = fields.String(validate=PHONE)


class ProfessionalContactSchema(SupportContactSchema):
    when = Text(200)


class AdmissionAgreementSchema(StrictSchema):
    """A patient-controlled admission agreement."""

    agreed = fields.Boolean(required=True)
    ward_id = id_field(allow_none=True)
    max_days_per_stay = fields.Integer(strict=True, load_default=5, validate=validate.Range(min=1, max=14))
    min_days_between_stays = fields.Integer(strict=True, load_default=14, validate=validate.Range(min=0, max=365))
    valid_until = fields.Date(allow_none=True)
    how_to_ask = LongText(1000)


class PlanContentSchema(StrictSchema):
    """The sections of a plan; every one optional."""

    warning_signs = short_list()
    coping_strategies = short_list()
    helpful_people_and_places = short_list()
    support_contacts = fields.List(fields.Nested(SupportContactSchema), validate=validate.Length(max=MAX_ITEMS))
    professional_contacts = fields.List(fields.Nested(ProfessionalContactSchema),
                                        validate=validate.Length(max=MAX_ITEMS))
    safe_environment = short_list()
    what_helps_in_crisis = short_list()
    what_does_not_help = short_list()
    treatment_preferences = LongText()
    treatment_refusals = LongText()
    patient_controlled_admission = fields.Nested(AdmissionAgreementSchema)
    reasons_for_living = short_list()
    note = LongText()


class PlanBodySchema(PlanContentSchema):
    """What PUT takes: the content plus whether it was reviewed with the patient."""

    reviewed_with_patient = fields.Boolean(load_default=False)


class AuthorSchema(Schema):
    name = fields.String()
    role = fields.String()


class VersionSchema(Schema):
    """A version without its content."""

    version = fields.Integer()
    created_at = UtcDateTime()
    created_by = fields.Nested(AuthorSchema)
    reviewed_with_patient = fields.Boolean()


class PlanSchema(PlanContentSchema, VersionSchema):
    """A version with its decrypted content."""

    class Meta:
        unknown = "raise"


class VersionListSchema(Schema):
    items = fields.List(fields.Nested(VersionSchema))
