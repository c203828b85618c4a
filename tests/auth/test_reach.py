"""Who reaches which patient (auth.access.patient_reach), seen through GET /api/v1/patients/{id} and directly."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.core.problems import assert_problem
from wardtrack.access.reach import patient_reach
from wardtrack.extensions import db
from wardtrack.patients.models import Patient


@pytest.fixture
def world(ward_setup, make):
    """Besides ward_setup's patients: on ward A one discharged 10 days ago and one 40 days ago."""
    recent, old = make.patient("Recent Discharge", "RD-1"), make.patient("Old Discharge", "OD-1")
    make.episode(recent, ward_setup.ward_a, started=timedelta(days=30), ended=timedelta(days=10))
    make.episode(old, ward_setup.ward_a, started=timedelta(days=60), ended=timedelta(days=40))
    return ward_setup.with_(recent=recent, old=old)


def _status(api, patient):
    return api.get(f"/api/v1/patients/{patient.id}").status_code


def _reached(user) -> set[int]:
    return set(db.session.scalars(sa.select(Patient.id).where(patient_reach(user, Patient.id))))


@pytest.mark.parametrize("who", ["nurse", "leader"])
def test_ward_staff_reach_active_and_recently_discharged_patients_of_their_wards(world, login, who):
    api = login(getattr(world, who))
    assert _status(api, world.patient_a) == 200
    assert _status(api, world.recent) == 200
    assert_problem(api.get(f"/api/v1/patients/{world.old.id}"), 404)
    assert_problem(api.get(f"/api/v1/patients/{world.patient_b.id}"), 404)
    assert _reached(getattr(world, who)) == {world.patient_a.id, world.recent.id}


def test_out_of_reach_and_missing_patients_look_the_same(world, login):
    api = login(world.nurse)
    hidden = api.get(f"/api/v1/patients/{world.patient_b.id}").get_json()
    missing = api.get("/api/v1/patients/99999").get_json()
    assert hidden["status"] == missing["status"] == 404
    assert hidden["detail"].replace(str(world.patient_b.id), "#") == missing["detail"].replace("99999", "#")


def test_an_old_episode_on_the_ward_does_not_hide_a_current_one_elsewhere(world, login, make):
    make.episode(world.old, world.ward_b, started=timedelta(days=5))
    assert _status(login(world.other_nurse), world.old) == 200
    assert_problem(login(world.nurse).get(f"/api/v1/patients/{world.old.id}"), 404)


def test_the_window_follows_the_setting(world, app):
    app.config["REACH_AFTER_DISCHARGE_DAYS"] = 5
    assert _reached(world.nurse) == {world.patient_a.id}
    app.config["REACH_AFTER_DISCHARGE_DAYS"] = 45
    assert _reached(world.nurse) == {world.patient_a.id, world.recent.id, world.old.id}


def test_a_patient_reaches_only_their_own_record(world, make, login):
    api = login(make.user("pat", "patient", patient=world.patient_a))
    assert _status(api, world.patient_a) == 200
    for other in ("patient_b", "recent", "old"):
        assert_problem(api.get(f"/api/v1/patients/{getattr(world, other).id}"), 404)


def test_admin_reaches_everyone(world, login):
    api = login(world.admin)
    for key in ("patient_a", "patient_b", "recent", "old"):
        assert _status(api, getattr(world, key)) == 200
    assert _reached(world.admin) == {getattr(world, k).id for k in ("patient_a", "patient_b", "recent", "old")}


def test_staff_without_wards_reach_nobody(world, make):
    assert _reached(make.user("wanda", "nurse")) == set()
