"""The demo team leader's own ward holds at least one patient of every flag kind, and the severities tell
them apart: read through the board API as the demo team leader, after `flask demo seed`."""

from collections import Counter

import pytest
import sqlalchemy as sa

from wardtrack.continuity.models import FLAG_CODES
from wardtrack.crisisplans.models import CrisisPlanVersion
from wardtrack.demo.catalogue import LEADER_PASSWORD, PROFILES
from wardtrack.extensions import db
from wardtrack.reminders.models import MaintenancePlan


@pytest.fixture
def board(runner, client):
    result = runner.invoke(args=["demo", "seed", "--patients", str(len(PROFILES))])
    assert result.exit_code == 0, result.output
    login = client.post("/api/v1/auth/login", json={"username": "leader", "password": LEADER_PASSWORD})
    assert login.status_code == 200, login.get_json()
    [ward_id] = client.get("/api/v1/me").get_json()["ward_ids"]
    response = client.get(f"/api/v1/wards/{ward_id}/board")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_leaders_ward_shows_every_kind_of_flag(board):
    flags = [flag for entry in board["patients"] for flag in entry["flags"]]
    assert {flag["code"] for flag in flags} == set(FLAG_CODES)
    assert {flag["severity"] for flag in flags} == {"high", "medium", "low"}
    assert Counter(flag["severity"] for flag in flags)["high"] < len(flags) / 2  # not everything is urgent
    assert board["ward_name"] == "Akuttpost 1"


def test_not_every_patient_lacks_a_crisis_plan_and_plans_show_their_due_dates(board):
    patients = board["patients"]
    without = [e for e in patients if any(f["code"] == "no_crisis_plan" for f in e["flags"])]
    assert 0 < len(without) < len(patients)
    plans = [plan for entry in patients for plan in entry["maintenance_plans"]]
    assert {plan["overdue"] for plan in plans} == {True, False}
    assert all(plan["due_at"] for plan in plans)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CrisisPlanVersion)) > 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MaintenancePlan)) >= 3


def test_ward_names_not_ids_in_the_transition_flag(board):
    [moved] = [f for e in board["patients"] for f in e["flags"] if f["code"] == "transition_without_known_professional"]
    assert moved["detail"].startswith("Moved to Akuttpost 1 ")
    assert moved["severity"] == "high"
