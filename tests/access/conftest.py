"""Break-the-glass fixtures: a nurse of ward B who needs patient A of ward A, and helpers around grants."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from wardtrack.access.models import EmergencyAccess
from wardtrack.core.time import utcnow
from wardtrack.extensions import db

REASON = "Patient arrived at our crisis team at night; need the crisis plan and key people."


@pytest.fixture
def glass(ward_setup, make, login):
    """ward_setup plus logins: `stranger` (nurse on ward B, outside patient A's reach), `leader` (team
    leader of ward A), and patient A's and patient B's own accounts."""
    olga = make.professional("Olga Outreach", "nurse", [ward_setup.ward_b])
    ward_setup.other_nurse.professional_id = olga.id
    db.session.commit()
    return ward_setup.with_(leader_b=make.user("lena", "team_leader", wards=[ward_setup.ward_b]),
                            pat_a=make.user("pat-a", "patient", patient=ward_setup.patient_a),
                            pat_b=make.user("pat-b", "patient", patient=ward_setup.patient_b),
                            stranger=login(ward_setup.other_nurse))


def break_glass(api, patient, reason=REASON):
    """POST the emergency-access request; returns the response."""
    return api.post(f"/api/v1/patients/{patient.id}/emergency-access", json={"reason": reason})


def expire(grant_id: int) -> None:
    """Travel in time: move a grant wholly into the past."""
    past = utcnow() - timedelta(hours=5)
    db.session.execute(sa.update(EmergencyAccess).where(EmergencyAccess.id == grant_id)
                       .values(granted_at=past, expires_at=past + timedelta(hours=3)))
    db.session.commit()
