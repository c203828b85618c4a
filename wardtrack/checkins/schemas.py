"""Check-ins on the wire."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from wardtrack.checkins.models import (
    DIALOG_ITEMS,
    ITEMS,
    KINDS,
    RANGES,
    SHARES,
    WHAT_WOULD_HELP_LENGTH,
)
from wardtrack.core.pagination import page_schema
from wardtrack.core.schemas import StrictSchema, Text, UtcDateTime, id_field

_SHARE_DOC = {"description": "Who reads it: `ward` (only the ward's anonymous figures), "
                             "`team_leader`, or `team_leader_and_person` (relationship only)",
              "enum": list(SHARES)}


def score_errors(kind: str, scores) -> dict:
    """Errors by field (`scores.<item>`) for a kind's scores: every item present, none unknown,
    each an integer in its kind's range."""
    if not isinstance(scores, dict):
        return {"scores": ["An object of item scores."]}
    low, high = RANGES[kind]
    errors = {f"scores.{key}": ["Unknown item."] for key in scores if key not in ITEMS[kind]}
    for item in ITEMS[kind]:
        value = scores.get(item)
        if item not in scores:
            errors[f"scores.{item}"] = ["Missing item."]
        elif type(value) is not int or not low <= value <= high:
            errors[f"scores.{item}"] = [f"An integer from {low} to {high}."]
    return errors


class CheckInBodySchema(StrictSchema):
    """What POST /me/check-ins takes."""

    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    client_id = fields.UUID(load_default=None, metadata={
        "description": "Chosen by the phone: the same id sent again stores nothing new (200)"})
    professional_id = id_field(load_default=None, metadata={
        "description": "Relationship only: the professional rated"})
    scores = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True, metadata={
        "description": "Relationship: the six items 0-4; dialog: the eleven items 1-7"})
    what_would_help = Text(WHAT_WOULD_HELP_LENGTH, multiline=True, load_default=None, metadata={
        "description": "Relationship only; stored encrypted"})
    more_help = fields.List(fields.String(validate=validate.OneOf(DIALOG_ITEMS)),
                            load_default=list, metadata={"description": "Dialog only"})
    share = fields.String(load_default=None, validate=validate.OneOf(SHARES), metadata=_SHARE_DOC)

    @validates_schema
    def _by_kind(self, data, **_kwargs):
        kind = data.get("kind")
        if kind not in KINDS:
            return
        errors = score_errors(kind, data.get("scores"))
        if kind == "relationship":
            if data.get("professional_id") is None:
                errors["professional_id"] = ["Required for a relationship check-in."]
            if data.get("more_help"):
                errors["more_help"] = ["Only on a life and care check-in."]
        else:
            for name in ("professional_id", "what_would_help"):
                if data.get(name) is not None:
                    errors[name] = ["Only on a relationship check-in."]
            if data.get("share") == "team_leader_and_person":
                errors["share"] = ["Only a relationship check-in can be shared with a person."]
        if errors:
            raise ValidationError(errors)


class ShareBodySchema(StrictSchema):
    share = fields.String(required=True, validate=validate.OneOf(SHARES), metadata=_SHARE_DOC)


class CheckInSchema(Schema):
    id = fields.Integer()
    patient_id = fields.Integer()
    kind = fields.String(metadata={"enum": list(KINDS)})
    professional_id = fields.Integer(allow_none=True)
    professional_name = fields.String(allow_none=True, metadata={
        "description": "Relationship: the rated professional's name"})
    ward_id = fields.Integer(allow_none=True)
    created_at = UtcDateTime()
    share = fields.String(metadata={"enum": list(SHARES)})
    scores = fields.Dict(keys=fields.String(), values=fields.Integer())
    more_help = fields.List(fields.String())
    what_would_help = fields.String(allow_none=True, metadata={
        "description": "Null when none was written (or it cannot be decrypted)"})
    score = fields.Float(allow_none=True, metadata={"description": "Relationship: mean of the six"})
    life_mean = fields.Float(allow_none=True, metadata={"description": "Dialog: mean of the eight"})
    treatment_mean = fields.Float(allow_none=True, metadata={
        "description": "Dialog: mean of the three"})


CheckInPageSchema = page_schema(CheckInSchema, "CheckInPage")


class DueItemSchema(Schema):
    kind = fields.String(metadata={"enum": list(KINDS)})
    professional_id = fields.Integer()
    name = fields.String()
    role = fields.String(metadata={"description": "The designation: safety_person, ..."})
    occasion = fields.String(metadata={
        "enum": ["discharge", "interval"],
        "description": "Asked after a recent discharge, or because none was made in the interval"})


class DueListSchema(Schema):
    items = fields.List(fields.Nested(DueItemSchema))


class PersonSchema(Schema):
    professional_id = fields.Integer()
    name = fields.String()
    profession = fields.String()
    roles = fields.List(fields.String(), metadata={
        "description": "The person's designations for the patient now; empty for one only met"})


class PeopleSchema(Schema):
    items = fields.List(fields.Nested(PersonSchema))


class WeekSchema(Schema):
    week = fields.String(metadata={"description": "ISO week, e.g. 2026-W49 (UTC)"})
    suppressed = fields.Boolean()
    patients = fields.Integer(allow_none=True, metadata={"description": "Null when suppressed"})
    relationship_mean = fields.Float(allow_none=True)
    life_mean = fields.Float(allow_none=True)
    treatment_mean = fields.Float(allow_none=True)


class SummarySchema(Schema):
    ward_id = fields.Integer()
    min_patients = fields.Integer()
    weeks = fields.List(fields.Nested(WeekSchema))
