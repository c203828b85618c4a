"""POST /contacts/batch: an offline phone's outbox, where each item stands or falls alone."""

import uuid

from tests.contacts.helpers import stored_contacts
from tests.patients.helpers import audit_count, parse_z, problem


def post_batch(api, items):
    response = api.post("/api/v1/contacts/batch", json={"contacts": items})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]


def test_mixed_batch(ward_setup, nurse_api, contact_body):
    resent = contact_body(kind="phone")
    first = nurse_api.post("/api/v1/contacts", json=resent)
    assert first.status_code == 201
    conflicting = contact_body()
    assert nurse_api.post("/api/v1/contacts", json=conflicting).status_code == 201
    good = [contact_body(), contact_body(kind="group", duration_minutes=45)]
    invalid = contact_body(kind="chat", occurred_at="0001-01-01T00:00:00+14:00")
    out_of_reach = contact_body(patient_id=ward_setup.patient_b.id)
    unknown_professional = contact_body(professional_id=999999)
    items = [good[0], invalid, resent, {**conflicting, "kind": "video"}, out_of_reach, unknown_professional, good[1]]
    results = post_batch(nurse_api, items)
    assert [r["client_id"] for r in results] == [item["client_id"] for item in items]
    assert [r["status"] for r in results] == [201, 422, 200, 409, 404, 422, 201]
    assert {"kind", "occurred_at"} <= set(results[1]["errors"]) and "professional_id" in results[5]["errors"]
    assert results[2]["contact"] == first.get_json()
    for result, item in ((results[0], good[0]), (results[6], good[1])):
        contact = result["contact"]
        assert contact["client_id"] == item["client_id"] and contact["kind"] == item["kind"]
        assert contact["logged_by"] == ward_setup.nurse.id and contact["ward_id"] == ward_setup.ward_a.id
        parse_z(contact["occurred_at"]) and parse_z(contact["received_at"])
    for result in (results[1], results[3], results[4], results[5]):
        assert "contact" not in result and result["errors"]
    stored = {str(c.client_id): c for c in stored_contacts()}
    assert set(stored) == {resent["client_id"], conflicting["client_id"], good[0]["client_id"], good[1]["client_id"]}
    assert stored[conflicting["client_id"]].kind == "conversation"
    assert {c.id for c in stored.values()} >= {results[0]["contact"]["id"], results[6]["contact"]["id"]}
    assert audit_count("contact.create") == 4


def test_resending_a_whole_batch_stores_nothing_new(nurse_api, contact_body):
    items = [contact_body() for _ in range(3)]
    first = post_batch(nurse_api, items)
    assert [r["status"] for r in first] == [201, 201, 201]
    again = post_batch(nurse_api, items)
    assert [r["status"] for r in again] == [200, 200, 200]
    assert [r["contact"] for r in again] == [r["contact"] for r in first]
    assert len(stored_contacts()) == 3


def test_the_same_client_id_twice_in_one_batch(nurse_api, contact_body):
    item = contact_body()
    results = post_batch(nurse_api, [item, item, {**item, "kind": "phone"}])
    assert [r["status"] for r in results] == [201, 200, 409]
    assert results[1]["contact"]["id"] == results[0]["contact"]["id"]
    assert len(stored_contacts()) == 1


def test_items_that_are_not_objects_fail_alone(nurse_api, contact_body):
    good = contact_body()
    results = post_batch(nurse_api, [good, "a string", 42, None, [good], {}])
    assert [r["status"] for r in results] == [201, 422, 422, 422, 422, 422]
    assert all(r["client_id"] is None for r in results[1:])
    assert "client_id" in results[5]["errors"]
    assert [str(c.client_id) for c in stored_contacts()] == [good["client_id"]]


def test_client_id_is_echoed_as_sent_or_absent(nurse_api, contact_body):
    upper = str(uuid.uuid4()).upper()
    results = post_batch(nurse_api, [contact_body(client_id=upper), contact_body(client_id={"x": 1}),
                                     contact_body(client_id="not-a-uuid", kind="chat")])
    assert [r["status"] for r in results] == [201, 422, 422]
    assert results[0]["client_id"] == upper and results[0]["contact"]["client_id"] == upper.lower()
    assert results[1]["client_id"] is None
    assert results[2]["client_id"] == "not-a-uuid"
    assert set(results[2]["errors"]) == {"client_id", "kind"}


def test_batch_limits(nurse_api, contact_body):
    items = [contact_body() for _ in range(501)]
    problem(nurse_api.post("/api/v1/contacts/batch", json={"contacts": items}), 422, "contacts")
    problem(nurse_api.post("/api/v1/contacts/batch", json={"contacts": []}), 422, "contacts")
    problem(nurse_api.post("/api/v1/contacts/batch", json={"contacts": "x"}), 422, "contacts")
    problem(nurse_api.post("/api/v1/contacts/batch", json={}), 422, "contacts")
    problem(nurse_api.post("/api/v1/contacts/batch", json={"contacts": items[:1], "extra": 1}), 422, "extra")
    assert stored_contacts() == []
    results = post_batch(nurse_api, items[:500])
    assert {r["status"] for r in results} == {201}
    assert len(stored_contacts()) == 500


def test_batch_access(ward_setup, make, client, contact_body):
    own = make.user("pat", "patient", patient=ward_setup.patient_a)
    problem(ward_setup.login(own).post("/api/v1/contacts/batch", json={"contacts": [contact_body()]}), 403)
    problem(client.post("/api/v1/contacts/batch", json={"contacts": [contact_body()]}), 401)
    assert stored_contacts() == []
