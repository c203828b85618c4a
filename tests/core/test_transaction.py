"""The request's transaction (core/transaction.py): a session's activity goes into the request's own commit."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.conftest import new_client_id
from tests.patients.helpers import iso
from wardtrack.auth.models import UserSession
from wardtrack.contacts.models import Contact
from wardtrack.core.time import utcnow
from wardtrack.extensions import db


@pytest.fixture
def nurse(make, login):
    ward = make.ward("Ward A")
    professional = make.professional("Nina Nurse", "nurse", [ward])
    patient = make.patient("Patient A", "PA-1")
    make.episode(patient, ward, started=timedelta(days=3))
    api = login(make.user("nina", "nurse", wards=[ward], professional=professional))
    body = {"patient_id": patient.id, "professional_id": professional.id, "kind": "conversation",
            "occurred_at": iso(utcnow().replace(microsecond=0) - timedelta(hours=1))}
    return api, body


@pytest.fixture
def commits():
    """The commits of the app's session while the test runs, each with what it wrote."""
    seen = []

    def count(session):
        seen.append(session)

    sa.event.listen(Session, "after_commit", count)
    yield seen
    sa.event.remove(Session, "after_commit", count)


def _go_stale() -> None:
    db.session.execute(sa.update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()


def _last_seen():
    db.session.expire_all()
    return db.session.scalar(sa.select(UserSession.last_seen_at))


def test_the_touch_goes_into_the_commit_of_the_request_that_writes(nurse, commits):
    api, body = nurse
    _go_stale()
    commits.clear()
    response = api.post("/api/v1/contacts", json={**body, "client_id": new_client_id()})
    assert response.status_code == 201, response.get_json()
    assert len(commits) == 1
    assert utcnow() - _last_seen() < timedelta(minutes=1)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 1


def test_a_request_that_commits_nothing_commits_the_touch_alone(nurse, commits):
    api, _body = nurse
    _go_stale()
    commits.clear()
    assert api.get("/api/v1/me").status_code == 200
    assert len(commits) == 1
    assert utcnow() - _last_seen() < timedelta(minutes=1)


def test_a_refused_write_keeps_nothing_of_the_view_but_the_touch(nurse, commits):
    api, body = nurse
    _go_stale()
    commits.clear()
    response = api.post("/api/v1/contacts", json={**body, "client_id": new_client_id(), "kind": "séance"})
    assert response.status_code == 422
    assert len(commits) == 1
    assert utcnow() - _last_seen() < timedelta(minutes=1)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 0


def test_a_fresh_session_is_not_touched(nurse, commits):
    api, _body = nurse
    before = _last_seen()
    commits.clear()
    assert api.get("/api/v1/me").status_code == 200
    assert commits == []
    assert _last_seen() == before
