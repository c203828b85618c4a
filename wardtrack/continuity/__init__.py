"""Continuity of care: measures, flag rules, flags and the ward board."""


def init_app(app) -> None:
    """Listen to patient_changed (see operations.on_patient_changed; blinker keeps one connection
    per receiver, so a second app in the same process connects nothing twice), and count the open
    flags at each scrape of /metrics."""
    from wardtrack.continuity import operations
    from wardtrack.continuity.queries import open_flag_counts
    from wardtrack.core.metrics import register_gauge
    from wardtrack.core.signals import patient_changed

    patient_changed.connect(operations.on_patient_changed, weak=False)
    register_gauge(app, "wardtrack_open_flags", "Flags not resolved, by code and severity",
                   ("code", "severity"), open_flag_counts)
