"""Break-the-glass opens the crisis plan too, and the patient sees each read of it once."""

from tests.access.conftest import REASON, break_glass, expire
from tests.core.problems import assert_problem
from tests.crisisplans.conftest import PLAN


def test_a_grant_opens_the_crisis_plan_and_the_patient_sees_every_read(glass, login):
    patient, stranger = glass.patient_a, glass.stranger
    url = f"/api/v1/patients/{patient.id}/crisis-plan"
    assert login(glass.nurse).put(url, json=PLAN).status_code == 201
    assert_problem(stranger.get(url), 404)
    grant = break_glass(stranger, patient).get_json()
    assert stranger.get(url).status_code == 200
    assert stranger.get(url).status_code == 200
    assert stranger.get(f"{url}/versions").status_code == 200
    mine = login(glass.pat_a)
    assert mine.get("/api/v1/me/crisis-plan").status_code == 200  # the patient's own read is not listed
    items = mine.get("/api/v1/me/access-log").get_json()["items"]
    assert [(i["action"], i["who"]) for i in items] == [
        ("crisis_plan.versions.read", "Olga Outreach"), ("crisis_plan.read", "Olga Outreach"),
        ("crisis_plan.read", "Olga Outreach"), ("emergency_access.grant", "Olga Outreach")]
    assert items[-1]["reason"] == REASON
    expire(grant["id"])
    assert_problem(stranger.get(url), 404)
    assert login(glass.pat_b).get("/api/v1/me/access-log").get_json()["items"] == []
