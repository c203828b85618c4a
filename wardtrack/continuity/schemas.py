"""Flag and ward-policy schemas."""

from dataclasses import fields as dataclass_fields

from marshmallow import fields, validate

from wardtrack.continuity.models import FLAG_CODES, FLAG_STATUSES, SEVERITIES
from wardtrack.continuity.queries import UNRESOLVED
from wardtrack.continuity.rules import Policy
from wardtrack.core.pagination import PageArgs
from wardtrack.core.schemas import StrictSchema, Text, UtcDateTime

# The range each threshold may take. Windows over contacts stop at 365 days: recomputation loads the
# contacts of the last facts.HISTORY_DAYS one by one.
RANGES: dict[str, tuple[float, float]] = {
    "turnover_doctors": (1, 50),
    "turnover_days": (1, 365),
    "turnover_kpc_below": (0, 1),
    "turnover_kpc_days": (1, 365),
    "turnover_kpc_min_contacts": (1, 50),
    "turnover_min_episode_days": (0, 365),
    "stranger_grace_hours": (0, 168),
    "stranger_lookback_days": (1, 365),
    "readmission_count": (1, 50),
    "readmission_days": (1, 3650),
    "extensive_admissions_over": (1, 50),
    "extensive_stay_days": (1, 3650),
    "crisis_plan_max_age_days": (1, 3650),
    "crisis_plan_admission_days": (1, 365),
    "crisis_plan_inpatient_days": (0, 365),
    "crisis_plan_outpatient_admission_days": (1, 3650),
    "maintenance_grace_days": (0, 365),
    "transition_escalate_days": (1, 365),
    "strain_drop": (0.5, 4),
    "strain_below": (0, 4),
}
assert set(RANGES) == set(Policy.names()), "every threshold needs a range"


class StrictFloat(fields.Float):
    """A JSON number, never a string holding one."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def _threshold(name: str, kind: type) -> fields.Field:
    low, high = RANGES[name]
    options = {"validate": validate.Range(min=low, max=high),
               "metadata": {"description": f"{low}–{high}; default {getattr(Policy(), name)}"}}
    return StrictFloat(**options) if kind is float else fields.Integer(strict=True, **options)


ThresholdsSchema = StrictSchema.from_dict(
    {f.name: _threshold(f.name, f.type) for f in dataclass_fields(Policy)}, name="Thresholds")


class PolicySchema(StrictSchema):
    ward_id = fields.Integer()
    thresholds = fields.Nested(
        ThresholdsSchema, metadata={"description": "Every threshold's effective value"}
    )
    overrides = fields.Nested(
        ThresholdsSchema, metadata={"description": "Only those the ward has changed"}
    )
    defaults = fields.Nested(ThresholdsSchema)
    updated_at = UtcDateTime(allow_none=True)


class ReasonSchema(StrictSchema):
    """One language-neutral part of why a flag holds; pages word it with `reason_<key>` in their
    language."""

    key = fields.String(
        metadata={"description": "e.g. turnover_doctors, stranger_decision, no_safety_person"}
    )
    params = fields.Dict(
        keys=fields.String(),
        metadata={
            "description": (
                "Plain JSON values: counts, days, names, ISO dates (YYYY-MM-DD), contact kind "
                "codes, shares 0–1"
            )
        },
    )


class FlagSchema(StrictSchema):
    """A flag; `detail` is the English sentence, `reasons` the same in a form any language can
    word."""

    id = fields.Integer()
    patient_id = fields.Integer()
    code = fields.String(metadata={"enum": list(FLAG_CODES)})
    subject = fields.String(
        metadata={"description": "Tells apart several flags of one code, e.g. per episode"}
    )
    severity = fields.String(metadata={"enum": list(SEVERITIES)})
    status = fields.String(metadata={"enum": list(FLAG_STATUSES)})
    detail = fields.String(metadata={"description": "Why, in English"})
    reasons = fields.List(
        fields.Nested(ReasonSchema),
        allow_none=True,
        metadata={
            "description": (
                "Why, language-neutral; null on flags stored before reasons existed (use detail)"
            )
        },
    )
    opened_at = UtcDateTime()
    updated_at = UtcDateTime()
    acknowledged_at = UtcDateTime(allow_none=True)
    acknowledged_by = fields.Integer(allow_none=True)
    acknowledge_note = fields.String(allow_none=True)
    resolved_at = UtcDateTime(allow_none=True)
    resolved_by = fields.Integer(
        allow_none=True, metadata={"description": "null when resolved automatically"}
    )
    resolve_note = fields.String(allow_none=True)
    suppressed = fields.Boolean(metadata={
        "description": "Resolved by hand while the condition held: not reopened until it clears"})


_STATUS = validate.OneOf((*FLAG_STATUSES, UNRESOLVED))


class PatientFlagQuery(PageArgs):
    status = fields.String(
        load_default=None,
        validate=_STATUS,
        metadata={
            "description": (
                "open, acknowledged, resolved, or unresolved (open or acknowledged); all when "
                "absent"
            )
        },
    )


class WardFlagQuery(PageArgs):
    status = fields.String(
        load_default=UNRESOLVED,
        validate=_STATUS,
        metadata={
            "description": (
                "open, acknowledged, resolved, or unresolved (the default: open or acknowledged)"
            )
        },
    )


class NoteSchema(StrictSchema):
    note = Text(max_length=1000, required=True)
