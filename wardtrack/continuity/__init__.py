"""Continuity of care: measures, flag rules, flags and the ward board."""


def init_app(app) -> None:
    """Listen to patient_changed (see operations.on_patient_changed). Blinker keeps one connection
    per receiver, so a second app in the same process connects nothing twice."""
    from wardtrack.continuity import operations
    from wardtrack.core.signals import patient_changed

    patient_changed.connect(operations.on_patient_changed, weak=False)
