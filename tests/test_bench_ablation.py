"""The ablated app of `python -m bench --ablate`: the parts it names are really off, and on again afterwards."""

import uuid

import pytest

from bench.ablation import switch_off
from wardtrack.audit.models import AuditEvent
from wardtrack.continuity.models import RecomputeQueue
from wardtrack.core.time import utcnow
from wardtrack.extensions import db


def _post_contact(api, setup) -> int:
    response = api.post("/api/v1/contacts", json={
        "client_id": str(uuid.uuid4()), "patient_id": setup.patient_a.id, "kind": "conversation",
        "professional_id": setup.nurse_professional.id, "occurred_at": utcnow().isoformat()})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _recorded(contact_id: int) -> bool:
    return db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "contact.create", AuditEvent.object_id == str(contact_id))) == 1


def _queued(patient_id: int) -> bool:
    return db.session.get(RecomputeQueue, patient_id) is not None


@pytest.mark.parametrize(("parts", "recorded", "queued"), [
    ({"audit"}, False, True), ({"effects"}, True, False), ({"audit", "effects"}, False, False)])
def test_the_named_parts_are_off_until_switched_on_again(ward_setup, login, parts, recorded, queued):
    api, patient_id = login(ward_setup.nurse), ward_setup.patient_a.id
    db.session.execute(db.delete(RecomputeQueue))
    db.session.commit()

    switch_on = switch_off(parts)
    try:
        contact_id = _post_contact(api, ward_setup)
    finally:
        switch_on()
    assert (_recorded(contact_id), _queued(patient_id)) == (recorded, queued)

    db.session.execute(db.delete(RecomputeQueue))
    db.session.commit()
    contact_id = _post_contact(api, ward_setup)
    assert (_recorded(contact_id), _queued(patient_id)) == (True, True)


def test_an_unknown_part_is_refused():
    with pytest.raises(ValueError, match="unknown parts"):
        switch_off({"auth"})
