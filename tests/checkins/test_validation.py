"""POST /me/check-ins refuses what it cannot store, naming the field, and writes nothing then."""

import pytest
import sqlalchemy as sa

from tests.checkins.conftest import MINE, dialog, relationship
from tests.conftest import new_client_id
from wardtrack.checkins.models import DIALOG_ITEMS, RELATIONSHIP_ITEMS, CheckIn
from wardtrack.core.time import iso_z, utcnow
from wardtrack.extensions import db


def _stored() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn))


def _refused(response, field):
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"], response.get_json()
    assert _stored() == 0


def test_a_relationship_check_in_is_stored_with_its_score(world, patient):
    response = patient.post(MINE, json=relationship(world.peter.id, 2, what_would_help="More time"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["kind"], body["share"], body["score"], body["professional_id"]) == (
        "relationship", "team_leader", 2.0, world.peter.id)
    assert body["scores"] == dict.fromkeys(RELATIONSHIP_ITEMS, 2)
    assert body["what_would_help"] == "More time" and body["ward_id"] == world.ward_a.id


def test_a_dialog_check_in_has_its_two_means(patient):
    body = dialog(6, 3, more_help=["job", "medication"], share="ward")
    body["scores"]["job"] = 2  # life: (7 * 6 + 2) / 8 = 5.5
    response = patient.post(MINE, json=body)
    assert response.status_code == 201, response.get_json()
    stored = response.get_json()
    assert (stored["life_mean"], stored["treatment_mean"], stored["score"]) == (5.5, 3.0, None)
    assert stored["more_help"] == ["job", "medication"] and stored["share"] == "ward"


@pytest.mark.parametrize("item", RELATIONSHIP_ITEMS)
@pytest.mark.parametrize("value", [None, -1, 5, 2.5, "3", True])
def test_each_relationship_item_missing_or_out_of_range(world, patient, item, value):
    body = relationship(world.peter.id)
    if value is None:
        del body["scores"][item]
    else:
        body["scores"][item] = value
    _refused(patient.post(MINE, json=body), f"scores.{item}")


@pytest.mark.parametrize("item", DIALOG_ITEMS)
@pytest.mark.parametrize("value", [None, 0, 8])
def test_each_dialog_item_missing_or_out_of_range(patient, item, value):
    body = dialog()
    if value is None:
        del body["scores"][item]
    else:
        body["scores"][item] = value
    _refused(patient.post(MINE, json=body), f"scores.{item}")


@pytest.mark.parametrize("kind", ["relationship", "dialog"])
def test_an_unknown_item_is_named(world, patient, kind):
    body = relationship(world.peter.id) if kind == "relationship" else dialog()
    body["scores"]["mood" if kind == "dialog" else "job"] = 3
    _refused(patient.post(MINE, json=body), "scores.mood" if kind == "dialog" else "scores.job")


def test_other_fields_are_checked(world, patient):
    _refused(patient.post(MINE, json=relationship(world.peter.id, what_would_help="x" * 501)),
             "what_would_help")
    _refused(patient.post(MINE, json=dialog(share="team_leader_and_person")), "share")
    _refused(patient.post(MINE, json=dialog(share="everyone")), "share")
    _refused(patient.post(MINE, json=dialog(more_help=["sleep"])), "more_help")
    _refused(patient.post(MINE, json=dialog(professional_id=world.peter.id)), "professional_id")
    _refused(patient.post(MINE, json={**relationship(world.peter.id), "professional_id": None}),
             "professional_id")
    _refused(patient.post(MINE, json={**dialog(), "kind": "mood"}), "kind")


def test_only_a_professional_the_patient_has_a_relationship_with(world, patient):
    _refused(patient.post(MINE, json=relationship(world.doctor.id)), "professional_id")
    _refused(patient.post(MINE, json=relationship(99999)), "professional_id")
    contact = world.login(world.nurse).post("/api/v1/contacts", json={
        "client_id": new_client_id(), "patient_id": world.patient_a.id,
        "professional_id": world.doctor.id, "kind": "conversation", "occurred_at": iso_z(utcnow())})
    assert contact.status_code == 201, contact.get_json()
    assert patient.post(MINE, json=relationship(world.doctor.id)).status_code == 201


def test_staff_cannot_post_check_ins(world):
    response = world.login(world.nurse).post(MINE, json=relationship(world.peter.id))
    assert response.status_code == 403 and _stored() == 0


def test_the_database_refuses_out_of_range_scores(world, patient):
    made = patient.post(MINE, json=relationship(world.peter.id)).get_json()
    for item, score in (("safe", 5), ("safe", -1)):
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(sa.text("UPDATE check_in_items SET score = :score "
                                       "WHERE check_in_id = :id AND item = :item"),
                               {"score": score, "id": made["id"], "item": item})
        db.session.rollback()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.text("UPDATE check_ins SET professional_id = NULL WHERE id = :id"),
                           {"id": made["id"]})
    db.session.rollback()
