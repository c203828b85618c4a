"""How severe each flag is, by code and condition (PRODUCT.md, docs/flags.md). Pure data."""

#: The severity of each code by condition, against alarm fatigue: high only where someone should act
#: today. Rows are (code, condition, severity, when); the rules take their severities from here, and
#: docs/flags.md shows the same rows (tests/continuity/test_severity.py compares them).
SEVERITY_TABLE: tuple[tuple[str, str, str, str], ...] = (
    ("no_safety_person", "extensive", "high",
     "the patient meets the extensive-hospitalisation criterion"),
    ("no_safety_person", "other", "medium", "otherwise"),
    ("high_turnover", "both", "high", "both the doctor count and the low kpc hold"),
    ("high_turnover", "one", "medium", "one of the two holds"),
    ("stranger_decision", "coercive", "high", "a coercive measure by a stranger"),
    ("stranger_decision", "decision", "medium", "only treatment decisions by strangers"),
    ("readmission_tipping_point", "any", "medium", "always"),
    ("extensive_hospitalisation", "any", "medium", "always (it raises no_safety_person to high)"),
    ("no_crisis_plan", "inpatient", "medium",
     "in an inpatient stay at least crisis_plan_inpatient_days old"),
    ("no_crisis_plan", "outpatient", "low",
     "an outpatient admitted within crisis_plan_outpatient_admission_days"),
    ("crisis_plan_stale", "admission", "medium",
     "not revised since an admission crisis_plan_admission_days old"),
    ("crisis_plan_stale", "age", "low", "only older than crisis_plan_max_age_days"),
    ("maintenance_overdue", "long", "medium", "overdue by a whole interval or more"),
    ("maintenance_overdue", "short", "low", "overdue by less than one interval"),
    ("transition_without_known_professional", "late", "high",
     "the new episode is transition_escalate_days old"),
    ("transition_without_known_professional", "early", "low", "a younger episode"),
    ("relationship_strain", "safety_person", "high",
     "the strained relationship is with the safety person"),
    ("relationship_strain", "other", "medium", "with anyone else"),
    ("help_requested", "any", "medium", "always"),
)
_SEVERITY = {(code, condition): level for code, condition, level, _when in SEVERITY_TABLE}


def severity(code: str, condition: str) -> str:
    """The severity of `code` under `condition`, from SEVERITY_TABLE."""
    return _SEVERITY[(code, condition)]
