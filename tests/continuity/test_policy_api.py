"""GET/PUT /wards/{id}/policy: who may, what is valid, what is stored, and that flags follow."""

import pytest

from tests.patients.helpers import audit_count, problem
from wardtrack.continuity.models import WardPolicy
from wardtrack.continuity.rules import Policy
from wardtrack.extensions import db

DEFAULTS = {name: getattr(Policy(), name) for name in Policy.names()}


def policy_url(ward):
    return f"/api/v1/wards/{ward.id}/policy"


def stored_overrides(ward):
    db.session.expire_all()
    row = db.session.get(WardPolicy, ward.id)
    return row.thresholds if row else None


def test_every_threshold_with_its_default(world):
    response = world.leader.get(policy_url(world.ward_a))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["thresholds"] == DEFAULTS == body["defaults"]
    assert body["overrides"] == {} and body["ward_id"] == world.ward_a.id and body["updated_at"] is None
    assert body["thresholds"]["turnover_doctors"] == 4 and body["thresholds"]["turnover_kpc_below"] == 0.5


def test_who_may_read_and_change_the_policy(world):
    problem(world.nurse.get(policy_url(world.ward_a)), 403)
    problem(world.nurse.put(policy_url(world.ward_a), json={"turnover_doctors": 3}), 403)
    leader_b = world.login(world.leader_b_user)
    problem(leader_b.get(policy_url(world.ward_a)), 403)
    problem(leader_b.put(policy_url(world.ward_a), json={"turnover_doctors": 3}), 403)
    problem(world.leader.get("/api/v1/wards/999999/policy"), 404)
    assert world.admin.put(policy_url(world.ward_b), json={"turnover_doctors": 5}).status_code == 200
    assert stored_overrides(world.ward_a) is None


@pytest.mark.parametrize("body, field", [
    ({"turnover_doctors": 0}, "turnover_doctors"), ({"turnover_doctors": 51}, "turnover_doctors"),
    ({"turnover_doctors": "3"}, "turnover_doctors"), ({"turnover_doctors": 3.5}, "turnover_doctors"),
    ({"turnover_doctors": None}, "turnover_doctors"), ({"turnover_doctors": True}, "turnover_doctors"),
    ({"turnover_kpc_below": 1.5}, "turnover_kpc_below"), ({"turnover_kpc_below": -0.1}, "turnover_kpc_below"),
    ({"turnover_kpc_below": "0.4"}, "turnover_kpc_below"), ({"turnover_days": 366}, "turnover_days"),
    ({"readmission_days": 3651}, "readmission_days"), ({"stranger_grace_hours": -1}, "stranger_grace_hours"),
    ({"no_such_threshold": 3}, "no_such_threshold"),
])
def test_invalid_thresholds_are_refused(world, body, field):
    problem(world.leader.put(policy_url(world.ward_a), json=body), 422, field)
    assert stored_overrides(world.ward_a) is None


def test_only_overrides_are_stored_and_put_replaces(world):
    response = world.leader.put(policy_url(world.ward_a), json={
        "turnover_doctors": 3, "turnover_kpc_below": 0.4, "readmission_count": 3})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["overrides"] == {"turnover_doctors": 3, "turnover_kpc_below": 0.4}
    assert body["thresholds"] == {**DEFAULTS, "turnover_doctors": 3, "turnover_kpc_below": 0.4}
    assert body["updated_at"].endswith("Z")
    assert stored_overrides(world.ward_a) == {"turnover_doctors": 3, "turnover_kpc_below": 0.4}
    assert audit_count("ward.policy.update") == 1
    assert world.leader.get(policy_url(world.ward_a)).get_json() == body

    body = world.leader.put(policy_url(world.ward_a), json={"turnover_kpc_below": 1}).get_json()
    assert body["overrides"] == {"turnover_kpc_below": 1} and body["thresholds"]["turnover_doctors"] == 4
    assert world.leader.put(policy_url(world.ward_a), json={}).get_json()["overrides"] == {}
    assert stored_overrides(world.ward_a) == {}


def test_lowering_the_doctor_threshold_raises_the_flag(world):
    patient = world.patient()
    world.admit(patient, started_days_ago=25)
    world.name_safety_person(patient)
    for days_ago, name in ((20, "Dr Aas"), (12, "Dr Berg"), (4, "Dr Dahl")):
        world.contact(patient, world.professional(name), days_ago)
    assert world.open_flags(patient) == {}
    # another ward's policy does not touch this patient
    assert world.admin.put(policy_url(world.ward_b), json={"turnover_doctors": 2}).status_code == 200
    assert world.open_flags(patient) == {}

    assert world.leader.put(policy_url(world.ward_a), json={"turnover_doctors": 3}).status_code == 200
    flag = world.open_flags(patient)["high_turnover"]
    assert flag["detail"] == "3 doctors in 30 days: Dr Aas, Dr Berg, Dr Dahl."

    assert world.leader.put(policy_url(world.ward_a), json={}).status_code == 200
    assert world.open_flags(patient) == {}  # back to the default: the flag resolves itself


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_special_numbers_are_refused(world, number):
    response = world.leader.put(policy_url(world.ward_a), data=f'{{"turnover_kpc_below": {number}}}',
                                headers={"Content-Type": "application/json"})
    # Not JSON (RFC 8259 has no such numbers): the body is refused as a whole before any field is read.
    assert "JSON number" in problem(response, 400)["detail"]
    assert stored_overrides(world.ward_a) is None
