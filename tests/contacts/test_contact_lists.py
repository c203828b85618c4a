"""GET /patients/{id}/contacts and GET /patients/{id}/relationships."""

from datetime import timedelta

import pytest

from tests.patients.helpers import audit_count, iso, parse_z, problem
from wardtrack.core.pagination import encode_cursor
from wardtrack.core.time import utcnow


def post(api, contact_body, **fields) -> dict:
    response = api.post("/api/v1/contacts", json=contact_body(**fields))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_contacts_newest_first(ward_setup, nurse_api, contact_body):
    now = utcnow().replace(microsecond=0)
    made = [post(nurse_api, contact_body, occurred_at=iso(now - timedelta(hours=hours))) for hours in (5, 1, 3)]
    url = f"/api/v1/patients/{ward_setup.patient_a.id}/contacts"
    response = nurse_api.get(url)
    assert response.status_code == 200
    body = response.get_json()
    assert [item["id"] for item in body["items"]] == [made[1]["id"], made[2]["id"], made[0]["id"]]
    assert body["items"][0] == made[1] and body["next_cursor"] is None
    assert audit_count("contacts.read", ward_setup.patient_a.id) == 1
    other = nurse_api.get(f"/api/v1/patients/{ward_setup.patient_b.id}/contacts")
    problem(other, 404)


def test_since_and_until(ward_setup, nurse_api, contact_body):
    now = utcnow().replace(microsecond=0)
    stamps = {hours: now - timedelta(hours=hours) for hours in (1, 2, 3, 4)}
    ids = {hours: post(nurse_api, contact_body, occurred_at=iso(at))["id"] for hours, at in stamps.items()}
    url = f"/api/v1/patients/{ward_setup.patient_a.id}/contacts"

    def listed(**query):
        response = nurse_api.get(url, query_string=query)
        assert response.status_code == 200, response.get_json()
        return [item["id"] for item in response.get_json()["items"]]

    assert listed(since=iso(stamps[3])) == [ids[1], ids[2], ids[3]]
    assert listed(until=iso(stamps[2])) == [ids[3], ids[4]]
    assert listed(since=iso(stamps[3]), until=iso(stamps[1])) == [ids[2], ids[3]]
    problem(nurse_api.get(url, query_string={"since": iso(stamps[1]), "until": iso(stamps[1])}), 422, "until")
    problem(nurse_api.get(url, query_string={"since": iso(stamps[1]), "until": iso(stamps[2])}), 422, "until")
    problem(nurse_api.get(url, query_string={"since": "2026-01-01T00:00:00"}), 422, "since")
    problem(nurse_api.get(url, query_string={"until": "tomorrow"}), 422, "until")
    problem(nurse_api.get(url, query_string={"since": "0001-01-01T00:00:00+14:00"}), 422, "since")
    problem(nurse_api.get(url, query_string={"limit": 501}), 422, "limit")
    problem(nurse_api.get(url, query_string={"cursor": "not-ours"}), 422, "cursor")


def test_cursor_walk_with_ties(ward_setup, nurse_api, contact_body):
    at = iso(utcnow().replace(microsecond=0) - timedelta(hours=2))
    tied = [post(nurse_api, contact_body, occurred_at=at)["id"] for _ in range(5)]
    later = post(nurse_api, contact_body, occurred_at=iso(utcnow() - timedelta(hours=1)))["id"]
    earlier = post(nurse_api, contact_body, occurred_at=iso(utcnow() - timedelta(hours=3)))["id"]
    url = f"/api/v1/patients/{ward_setup.patient_a.id}/contacts"
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = nurse_api.get(url, query_string=query).get_json()
        seen += [item["id"] for item in body["items"]]
        pages, cursor = pages + 1, body["next_cursor"]
        if cursor is None:
            break
    assert seen == [later, *sorted(tied, reverse=True), earlier]
    assert pages == 4


@pytest.mark.parametrize("keyset", [
    ["2026-01-01T00:00:00Z", "x"], ["2026-01-01T00:00:00", 1], ["not a time", 1], [1, 1], [None, 1],
    ["2026-01-01T00:00:00Z", None], ["2026-01-01T00:00:00Z", 1.5], ["2026-01-01T00:00:00Z"], {"a": 1},
    ["9999-12-31T23:59:59-14:00", 1],
])
def test_tampered_cursor_is_422(ward_setup, nurse_api, keyset):
    cursor = encode_cursor(keyset)  # made by the service itself: only the content is wrong
    url = f"/api/v1/patients/{ward_setup.patient_a.id}/contacts"
    problem(nurse_api.get(url, query_string={"cursor": cursor}), 422, "cursor")


def test_contact_list_access(ward_setup, make, client):
    url = f"/api/v1/patients/{ward_setup.patient_a.id}/contacts"
    own = make.user("pat", "patient", patient=ward_setup.patient_a)
    problem(ward_setup.login(own).get(url), 403)
    problem(client.get(url), 401)
    problem(ward_setup.login(ward_setup.other_nurse).get(url), 404)
    problem(ward_setup.login(ward_setup.nurse).get("/api/v1/patients/999999/contacts"), 404)


def test_relationships(ward_setup, make, nurse_api, contact_body):
    doctor, nurse_professional = ward_setup.doctor, ward_setup.nurse_professional
    patient = ward_setup.patient_a
    make.designation(patient, doctor, "safety_person")
    now = utcnow().replace(microsecond=0)
    for hours in (1, 30, 50):
        post(nurse_api, contact_body, occurred_at=iso(now - timedelta(hours=hours)))
    post(nurse_api, contact_body, professional_id=doctor.id, occurred_at=iso(now - timedelta(hours=10)))
    post(nurse_api, contact_body, professional_id=doctor.id, occurred_at=iso(now - timedelta(days=40)))
    locum = make.professional("Lars Locum", "doctor")
    post(nurse_api, contact_body, professional_id=locum.id, occurred_at=iso(now - timedelta(days=400)))
    url = f"/api/v1/patients/{patient.id}/relationships"
    response = nurse_api.get(url)
    assert response.status_code == 200
    body = response.get_json()
    assert body["window_days"] == 365
    assert [(k["kind"], k["professional"]["id"]) for k in body["key_people"]] == [("safety_person", doctor.id)]
    seen = [(p["professional"]["name"], p["contacts"]) for p in body["professionals"]]
    assert seen == [("Nina Nurse", 3), ("Dora Doctor", 2)]
    nurse_row = body["professionals"][0]
    assert nurse_row["professional"]["id"] == nurse_professional.id
    assert parse_z(nurse_row["last_contact_at"]) == now - timedelta(hours=1)
    assert parse_z(nurse_row["first_contact_at"]) == now - timedelta(hours=50)
    short = nurse_api.get(url, query_string={"days": 30}).get_json()
    assert [(p["professional"]["name"], p["contacts"]) for p in short["professionals"]] == [
        ("Nina Nurse", 3), ("Dora Doctor", 1)]
    long = nurse_api.get(url, query_string={"days": 3650}).get_json()
    assert ("Lars Locum", 1) in [(p["professional"]["name"], p["contacts"]) for p in long["professionals"]]
    assert audit_count("relationships.read", patient.id) == 3


def test_relationships_errors(ward_setup, make, client, nurse_api):
    url = f"/api/v1/patients/{ward_setup.patient_a.id}/relationships"
    empty = nurse_api.get(url).get_json()
    assert empty["professionals"] == [] and empty["key_people"] == []
    for days in (0, 3651, "x"):
        problem(nurse_api.get(url, query_string={"days": days}), 422, "days")
    problem(nurse_api.get(f"/api/v1/patients/{ward_setup.patient_b.id}/relationships"), 404)
    own = make.user("pat", "patient", patient=ward_setup.patient_a)
    problem(ward_setup.login(own).get(url), 403)
    problem(client.get(url), 401)
