"""Maintenance plans and the reminders that keep a trusted professional from being silently lost."""


def init_app(app) -> None:
    """Listen to patient_changed (see operations.on_patient_changed). Blinker keeps one connection
    per receiver, so a second app in the same process connects nothing twice."""
    from wardtrack.core.signals import patient_changed
    from wardtrack.reminders import operations

    patient_changed.connect(operations.on_patient_changed, weak=False)
