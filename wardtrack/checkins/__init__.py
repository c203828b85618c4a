"""Relationship check-ins and life-and-care (DIALOG-style) check-ins: what the patient says about
the professionals they see and about their life and care, and who may read it."""


def init_app(app) -> None:
    """Make the sealed free texts known to key rotation, the key check and readiness."""
    from wardtrack.checkins.models import CheckIn, CheckInText, associated_data
    from wardtrack.core.envelope import register_sealed
    from wardtrack.extensions import db

    def associated(row: CheckInText) -> bytes:
        return associated_data(db.session.get(CheckIn, row.check_in_id).patient_id, row.check_in_id)

    register_sealed(app, "check-in texts", CheckInText, associated)
