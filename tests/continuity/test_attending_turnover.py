"""The attending doctors the hospital's feed records count in high_turnover, read from the database with the
other designations (no statement more)."""

from datetime import timedelta

from wardtrack.continuity.facts import load_facts
from wardtrack.continuity.operations import recompute
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.patients.models import Designation


def test_four_attending_doctors_in_thirty_days_raise_turnover(ward_setup, make):
    patient, now = ward_setup.patient_a, utcnow()
    for n, (start, end) in enumerate(((28, 20), (20, 11), (11, 4), (4, None))):
        doctor = make.professional(f"Dr Nr{n}", "psychiatrist", [ward_setup.ward_a])
        db.session.add(Designation(patient_id=patient.id, professional_id=doctor.id, kind="attending_doctor",
                                   started_at=now - timedelta(days=start),
                                   ended_at=None if end is None else now - timedelta(days=end)))
    db.session.commit()
    facts = load_facts([patient.id], now)[patient.id]
    assert sorted(a.name for a in facts.attending_doctors) == ["Dr Nr0", "Dr Nr1", "Dr Nr2", "Dr Nr3"]
    recompute([patient.id])
    db.session.commit()
    leader = ward_setup.login(ward_setup.leader)
    flags = leader.get(f"/api/v1/patients/{patient.id}/flags?status=unresolved").get_json()["items"]
    (turnover,) = [f for f in flags if f["code"] == "high_turnover"]
    assert turnover["reasons"][0]["params"]["names"] == ["Dr Nr0", "Dr Nr1", "Dr Nr2", "Dr Nr3"]
