"""Patient, episode and designation schemas."""

from marshmallow import ValidationError, fields, validate, validates_schema

from wardtrack.core.pagination import PageArgs
from wardtrack.core.schemas import StrictSchema, Text, UtcDateTime, id_field, no_control_characters
from wardtrack.patients.models import EPISODE_KINDS, LEGAL_STATUSES, LOCATION_LENGTH

_EDGE, _INNER = r"[^\s\u0000-\u001f\u007f]", r"[^\u0000-\u001f\u007f]"


def _trimmed_pattern(min_length: int) -> str:
    """The rule as the OpenAPI document states it: white space around, then at least min_length
    characters from a non-space to a non-space, no control characters between."""
    core = (
        f"{_EDGE}(?:{_INNER}*{_EDGE})?"
        if min_length <= 1
        else f"{_EDGE}{_INNER}{{{min_length - 2},}}{_EDGE}"
    )
    return rf"^\s*{core}\s*$"


class Trimmed(fields.String):
    """A one-line string, trimmed before its length is checked."""

    def __init__(self, min_length: int, max_length: int, **kwargs):
        metadata = {"pattern": _trimmed_pattern(min_length), **kwargs.pop("metadata", {})}
        super().__init__(
            validate=[validate.Length(min=min_length, max=max_length), no_control_characters],
            metadata=metadata,
            **kwargs,
        )

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def _location(**kwargs) -> Text:
    return Text(
        LOCATION_LENGTH,
        allow_none=True,
        metadata={
            "description": "Room or bed, to tell patients apart where one is picked",
            "example": "Room 12 bed 2",
        },
        **kwargs,
    )


class EpisodeSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    patient_id = fields.Integer(dump_only=True)
    ward_id = id_field(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(EPISODE_KINDS))
    started_at = UtcDateTime(required=True)
    ended_at = UtcDateTime(load_default=None, allow_none=True)
    legal_status = fields.String(required=True, validate=validate.OneOf(LEGAL_STATUSES))
    location = _location(load_default=None)


class EpisodeCreateSchema(EpisodeSchema):
    """What POST …/episodes takes: an episode, and a reason when the patient is outside the caller's
    reach."""

    reason = Trimmed(
        10,
        500,
        load_only=True,
        load_default=None,
        metadata={
            "description": (
                "Required to admit a patient who is outside your reach (known on another ward): "
                "why. Shown to the patient and to the team leaders of the patient's previous ward "
                "for review."
            ),
            "example": "Transferred from ward 1 after an assessment in the emergency room tonight.",
        },
    )


class EpisodePatchSchema(StrictSchema):
    """What PATCH /episodes/{id} takes: the discharge time, the room or bed, or both."""

    class Meta(StrictSchema.Meta):
        description = (
            "Give ended_at, location or both (an empty body is a 422 on ended_at); location null "
            "clears it."
        )

    ended_at = UtcDateTime()
    location = _location()

    @validates_schema
    def _something(self, data, **_kwargs):
        if not data:
            raise ValidationError("Give ended_at, location or both.", "ended_at")


class ProfessionalBrief(StrictSchema):
    id = fields.Integer()
    name = fields.String()
    profession = fields.String()
    work_phone = fields.String(allow_none=True)


class KeyPersonSchema(StrictSchema):
    kind = fields.String()
    professional = fields.Nested(ProfessionalBrief)
    since = UtcDateTime(attribute="started_at")
    chosen_by_patient = fields.Boolean()


class PatientCreateSchema(StrictSchema):
    display_name = Text(required=True)
    # \Z, not $: "$" also matches before a trailing new line, which would then be stored.
    identifier = fields.String(
        required=True,
        validate=validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9./-]{0,63}\Z",
                                 error="1–64 letters, digits, dots, slashes or dashes."),
    )


class PatientSchema(PatientCreateSchema):
    id = fields.Integer(dump_only=True)
    active_episode = fields.Nested(EpisodeSchema, dump_only=True, allow_none=True)
    key_people = fields.List(fields.Nested(KeyPersonSchema), dump_only=True)


class PatientBrief(StrictSchema):
    id = fields.Integer()
    display_name = fields.String()
    identifier = fields.String()
    active_episode = fields.Nested(EpisodeSchema, allow_none=True)
    last_contact_at = UtcDateTime(
        allow_none=True,
        metadata={
            "description": (
                "With order=recent: the latest contact on this ward in the last 30 days, if any"
            )
        },
    )
    location = fields.String(
        attribute="active_episode.location",
        allow_none=True,
        metadata={
            "description": (
                "Room or bed of the ward episode, if recorded: tells patients of one name apart"
            )
        },
    )
    identifier_tail = fields.Function(
        lambda row: row["identifier"][-3:],
        metadata={
            "type": "string",
            "description": "The identifier's last 3 characters, shown beside the name",
        },
    )


class WardPatientsQuery(PageArgs):
    q = Text(max_length=100, load_default=None)
    order = fields.String(
        load_default="name",
        validate=validate.OneOf(("name", "recent")),
        metadata={
            "description": (
                "name (default), or recent: most recently seen on this ward first, then by name"
            )
        },
    )


class DesignationSchema(StrictSchema):
    professional_id = id_field(required=True)
    chosen_by_patient = fields.Boolean(required=True)


class MySafetyPersonSchema(StrictSchema):
    name = fields.String()
    profession = fields.String()
    work_phone = fields.String(allow_none=True)
    since = UtcDateTime()
    chosen_by_patient = fields.Boolean()
