"""Schemas of a patient's continuity measures and of the ward board."""

from marshmallow import fields, validate

from wardtrack.continuity.schemas import ReasonSchema
from wardtrack.core.schemas import StrictSchema, UtcDateTime
from wardtrack.organisation.models import PROFESSIONS


class ContinuityQuery(StrictSchema):
    days = fields.Integer(load_default=90, validate=validate.Range(min=1, max=3650),
                          metadata={"description": "Window length in days, ending now."})
    profession = fields.String(
        load_default=None,
        validate=validate.OneOf(PROFESSIONS),
        metadata={"description": "Only contacts with professionals of this profession."},
    )


class MeasuresSchema(StrictSchema):
    """The measures of PRODUCT.md; undefined values are null, never 0."""

    window_days = fields.Integer()
    contacts = fields.Integer()
    distinct_professionals = fields.Integer()
    new_professionals = fields.Integer()
    upc = fields.Float(allow_none=True)
    coc = fields.Float(allow_none=True)
    secon = fields.Float(allow_none=True)
    kpc = fields.Float(allow_none=True)


class SnapshotSchema(MeasuresSchema):
    computed_at = UtcDateTime(metadata={"description": "When recomputation stored these measures."})


class BoardFlagSchema(StrictSchema):
    """A flag on the board; `detail` is English, `reasons` language-neutral (null until
    recomputed)."""

    id = fields.Integer()
    code = fields.String()
    severity = fields.String()
    status = fields.String()
    detail = fields.String()
    reasons = fields.List(fields.Nested(ReasonSchema), allow_none=True)
    opened_at = UtcDateTime()


class BoardPersonSchema(StrictSchema):
    professional_id = fields.Integer()
    name = fields.String()
    profession = fields.String()
    since = UtcDateTime(metadata={"description": "When the designation started."})
    last_contact_at = UtcDateTime(allow_none=True)
    days_since_last_contact = fields.Integer(
        allow_none=True, metadata={"description": "null: never met"}
    )


class BoardPatientBrief(StrictSchema):
    id = fields.Integer()
    display_name = fields.String()
    identifier = fields.String()


class BoardEpisodeSchema(StrictSchema):
    id = fields.Integer()
    kind = fields.String()
    legal_status = fields.String()
    started_at = UtcDateTime()


class BoardPlanSchema(StrictSchema):
    """An active maintenance plan with its next due date (PRODUCT.md: overdue after due_at plus the
    grace)."""

    id = fields.Integer()
    professional_id = fields.Integer()
    professional_name = fields.String()
    interval_days = fields.Integer()
    counts = fields.String(metadata={"enum": ["maintenance", "any"],
                                     "description": "Which contacts with the professional count"})
    last_contact_at = UtcDateTime(
        allow_none=True,
        metadata={
            "description": (
                "The last qualifying contact at any time before; null: never (the plan's start "
                "counts)"
            )
        },
    )
    due_at = UtcDateTime(metadata={"description": "When the next qualifying contact is due"})
    overdue_at = UtcDateTime(
        metadata={"description": "From when the plan is overdue (due_at plus the grace)"}
    )
    overdue = fields.Boolean()


class BoardEntrySchema(StrictSchema):
    patient = fields.Nested(BoardPatientBrief)
    episode = fields.Nested(BoardEpisodeSchema)
    highest_severity = fields.String(allow_none=True)
    flags = fields.List(
        fields.Nested(BoardFlagSchema), metadata={"description": "Open and acknowledged flags"}
    )
    safety_person = fields.Nested(BoardPersonSchema, allow_none=True)
    primary_contact = fields.Nested(BoardPersonSchema, allow_none=True)
    last_contact_at = UtcDateTime(allow_none=True)
    days_since_last_contact = fields.Integer(allow_none=True)
    measures_30d = fields.Nested(SnapshotSchema, allow_none=True)
    measures_90d = fields.Nested(SnapshotSchema, allow_none=True)
    maintenance_plans = fields.List(fields.Nested(BoardPlanSchema), metadata={
        "description": "Active maintenance plans, soonest due first"})


class BoardSchema(StrictSchema):
    ward_id = fields.Integer()
    ward_name = fields.String()
    generated_at = UtcDateTime()
    patients = fields.List(
        fields.Nested(BoardEntrySchema),
        metadata={"description": "Flagged patients first, by highest severity; then by name."},
    )


class WardHistoryQuery(StrictSchema):
    weeks = fields.Integer(load_default=12, validate=validate.Range(min=1, max=52),
                           metadata={"description": "How many seven-day weeks, ending now."})


class WardWeekSchema(StrictSchema):
    week_start = UtcDateTime()
    week_end = UtcDateTime()
    patients = fields.Integer(
        metadata={"description": "Patients in care on the ward at the week's end"}
    )
    with_safety_person = fields.Integer()
    safety_person_share = fields.Float(
        allow_none=True, metadata={"description": "null when no patients"}
    )
    contacts = fields.Integer(metadata={"description": "Those patients' contacts in the week"})
    patients_with_contacts = fields.Integer()
    median_kpc = fields.Float(
        allow_none=True,
        metadata={
            "description": (
                "Median of the patients' own kpc in the week; null when nobody had a contact"
            )
        },
    )


class WardHistorySchema(StrictSchema):
    ward_id = fields.Integer()
    weeks = fields.Integer()
    generated_at = UtcDateTime()
    items = fields.List(
        fields.Nested(WardWeekSchema), metadata={"description": "Oldest week first"}
    )
