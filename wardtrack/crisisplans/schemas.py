"""The crisis plan body (API.md "Crisis plan body") and the responses around it."""

import re

from marshmallow import Schema, ValidationError, fields, validate

from wardtrack.core.schemas import StrictSchema, Text, UtcDateTime, id_field

MAX_ITEMS = 30
# A phone number as people write it: digits with spaces, dashes or brackets between them, an
# optional + in front; 3 digits (113, the emergency number) to 15 (the longest international number,
# E.164). The page (static/js/crisis_plan.js) checks the same rule before sending.
_PHONE_SHAPE = re.compile(r"^\+?[0-9(][0-9 ()-]*[0-9]$")
PHONE_MIN_DIGITS, PHONE_MAX_DIGITS = 3, 15


class PhoneNumber(fields.String):
    """A phone number someone in a crisis can dial: surrounding spaces removed, the shape and digits
    checked."""

    def _deserialize(self, value, attr, data, **kwargs):
        number = super()._deserialize(value, attr, data, **kwargs).strip()
        if len(number) > 30 or not _PHONE_SHAPE.match(number):
            raise ValidationError(
                "A phone number: digits, with spaces, dashes or brackets between them and an "
                "optional + in front."
            )
        digits = sum(ch.isdigit() for ch in number)
        if not PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS:
            raise ValidationError(
                f"A phone number has {PHONE_MIN_DIGITS} to {PHONE_MAX_DIGITS} digits; "
                f"this one has {digits}."
            )
        if re.search(r"[ ()-]{3,}|--|\(\)", number) or number.count("(") != number.count(")"):
            raise ValidationError(
                "A phone number: separators only between digits, brackets in pairs."
            )
        return number


def short_list(**kwargs) -> fields.List:
    """A list of at most 30 short strings (each ≤ 200 characters)."""
    return fields.List(Text(200), validate=validate.Length(max=MAX_ITEMS), **kwargs)


class SupportContactSchema(StrictSchema):
    name = Text(200, required=True)
    phone = PhoneNumber()


class ProfessionalContactSchema(SupportContactSchema):
    when = Text(200)


class AdmissionAgreementSchema(StrictSchema):
    """A patient-controlled admission agreement."""

    agreed = fields.Boolean(required=True)
    ward_id = id_field(allow_none=True)
    max_days_per_stay = fields.Integer(
        strict=True, load_default=5, validate=validate.Range(min=1, max=14)
    )
    min_days_between_stays = fields.Integer(
        strict=True, load_default=14, validate=validate.Range(min=0, max=365)
    )
    valid_until = fields.Date(allow_none=True)
    how_to_ask = Text(1000, multiline=True)


class PlanContentSchema(StrictSchema):
    """The sections of a plan; every one optional."""

    warning_signs = short_list()
    coping_strategies = short_list()
    helpful_people_and_places = short_list()
    support_contacts = fields.List(
        fields.Nested(SupportContactSchema), validate=validate.Length(max=MAX_ITEMS)
    )
    professional_contacts = fields.List(fields.Nested(ProfessionalContactSchema),
                                        validate=validate.Length(max=MAX_ITEMS))
    safe_environment = short_list()
    what_helps_in_crisis = short_list()
    what_does_not_help = short_list()
    treatment_preferences = Text(4000, multiline=True)
    treatment_refusals = Text(4000, multiline=True)
    patient_controlled_admission = fields.Nested(AdmissionAgreementSchema)
    reasons_for_living = short_list()
    note = Text(4000, multiline=True)


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

