"""GET /api/v1/patients/{id}/continuity: live measures with hand-checked numbers, filters, nulls and access."""

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from wardtrack.audit.models import AuditEvent
from wardtrack.contacts.models import Contact
from wardtrack.core.time import utcnow
from wardtrack.extensions import db


def add_contacts(patient, *visits):
    """Insert contacts straight into the table: (professional, days ago) pairs."""
    now = utcnow()
    db.session.execute(sa.insert(Contact), [
        {"client_id": uuid.uuid4(), "patient_id": patient.id, "professional_id": professional.id,
         "kind": "conversation", "occurred_at": now - timedelta(days=days_ago), "received_at": now}
        for professional, days_ago in visits])
    db.session.commit()


@pytest.fixture
def story(ward_setup, make):
    """Dora (psychiatrist) met the patient 100 days ago; in the last 30 days: Dora, Nils, Nils, Dora, Nora."""
    nils = make.professional("Nils Nurse", "nurse", [ward_setup.ward_a])
    nora = make.professional("Nora Nurse", "nurse", [ward_setup.ward_a])
    dora = ward_setup.doctor
    add_contacts(ward_setup.patient_a, (dora, 100), (dora, 20), (nils, 15), (nils, 10), (dora, 5), (nora, 2))
    return ward_setup.with_(api=ward_setup.login(ward_setup.nurse))


def continuity(api, patient, **query):
    return api.get(f"/api/v1/patients/{patient.id}/continuity", query_string=query)


def test_measures_over_the_window_by_hand(story):
    response = continuity(story.api, story.patient_a, days=30)
    assert response.status_code == 200
    # N = 5: Dora 2, Nils 2, Nora 1. Dora was known before the window, Nils and Nora are new.
    assert response.get_json() == {
        "window_days": 30, "contacts": 5, "distinct_professionals": 3, "new_professionals": 2,
        "upc": pytest.approx(2 / 5), "coc": pytest.approx((4 + 4 + 1 - 5) / (5 * 4)),
        "secon": pytest.approx(1 / 4),  # D-N, N-N, N-D, D-N: one repeat
        "kpc": pytest.approx(3 / 5),  # Dora twice (met before), Nils the second time
    }


def test_default_window_is_90_days_and_a_longer_one_reaches_further_back(story):
    assert continuity(story.api, story.patient_a).get_json()["window_days"] == 90
    assert continuity(story.api, story.patient_a).get_json()["contacts"] == 5
    year = continuity(story.api, story.patient_a, days=365).get_json()
    assert (year["contacts"], year["new_professionals"], year["kpc"]) == (6, 3, pytest.approx(3 / 6))


def test_profession_filter(story):
    nurses = continuity(story.api, story.patient_a, days=30, profession="nurse").get_json()
    assert nurses == {"window_days": 30, "contacts": 3, "distinct_professionals": 2, "new_professionals": 2,
                      "upc": pytest.approx(2 / 3), "coc": pytest.approx(1 / 3), "secon": pytest.approx(1 / 2),
                      "kpc": pytest.approx(1 / 3)}
    doctors = continuity(story.api, story.patient_a, days=30, profession="psychiatrist").get_json()
    assert (doctors["contacts"], doctors["new_professionals"], doctors["upc"], doctors["coc"], doctors["secon"],
            doctors["kpc"]) == (2, 0, 1.0, 1.0, 1.0, 1.0)


def test_undefined_measures_are_null(story):
    none = continuity(story.api, story.patient_a, days=30, profession="psychologist").get_json()
    assert none == {"window_days": 30, "contacts": 0, "distinct_professionals": 0, "new_professionals": 0,
                    "upc": None, "coc": None, "secon": None, "kpc": None}
    one = continuity(story.api, story.patient_a, days=3).get_json()
    assert (one["contacts"], one["upc"], one["coc"], one["secon"], one["kpc"]) == (1, 1.0, None, None, 0.0)


def test_the_read_is_audited(story):
    continuity(story.api, story.patient_a)
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "continuity.read")).one()
    assert (event.patient_id, event.actor_user_id) == (story.patient_a.id, story.nurse.id)


def test_out_of_reach_is_404_and_unknown_too(story):
    other = story.login(story.other_nurse)
    assert continuity(other, story.patient_a).status_code == 404
    assert story.api.get("/api/v1/patients/999999/continuity").status_code == 404


def test_patient_role_is_403_and_anonymous_401(story, make, client):
    me = make.user("pia", "patient", patient=story.patient_a)
    assert continuity(story.login(me), story.patient_a).status_code == 403
    assert client.get(f"/api/v1/patients/{story.patient_a.id}/continuity").status_code == 401


@pytest.mark.parametrize("query, field", [
    ({"days": 0}, "days"), ({"days": 3651}, "days"), ({"days": "week"}, "days"),
    ({"profession": "surgeon"}, "profession"), ({"profession": ""}, "profession"),
])
def test_bad_query_is_422_naming_the_field(story, query, field):
    response = continuity(story.api, story.patient_a, **query)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert field in str(response.get_json()["errors"])


def test_admin_and_team_leader_read_too(story):
    for user in (story.admin, story.leader):
        assert continuity(story.login(user), story.patient_a, days=30).get_json()["contacts"] == 5
