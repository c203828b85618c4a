"""PUT/DELETE /patients/{id}/safety-person (and primary-contact), the one-active rule, GET /me/safety-person."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tests.patients.helpers import audit_count, parse_z, problem
from wardtrack.extensions import db
from wardtrack.patients.models import Designation

PATHS = [("safety-person", "safety_person"), ("primary-contact", "primary_contact")]


def active(patient, kind) -> list[Designation]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Designation).where(
        Designation.patient_id == patient.id, Designation.kind == kind, Designation.ended_at.is_(None))))


def all_of(patient, kind) -> list[Designation]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Designation).where(
        Designation.patient_id == patient.id, Designation.kind == kind).order_by(Designation.id)))


@pytest.mark.parametrize("path, kind", PATHS)
def test_name_and_rename_a_key_person(ward_setup, make, path, kind):
    patient, doctor = ward_setup.patient_a, ward_setup.doctor
    nurse_professional = ward_setup.nurse_professional
    api = ward_setup.login(ward_setup.leader)
    url = f"/api/v1/patients/{patient.id}/{path}"
    response = api.put(url, json={"professional_id": doctor.id, "chosen_by_patient": True})
    assert response.status_code == 200, response.get_json()
    first = response.get_json()
    assert first["kind"] == kind and first["chosen_by_patient"] is True
    assert first["professional"] == {"id": doctor.id, "name": "Dora Doctor", "profession": "psychiatrist",
                                     "work_phone": None}
    parse_z(first["since"])
    response = api.put(url, json={"professional_id": nurse_professional.id, "chosen_by_patient": False})
    assert response.status_code == 200
    assert response.get_json()["professional"]["id"] == nurse_professional.id
    [current] = active(patient, kind)
    assert current.professional_id == nurse_professional.id and current.chosen_by_patient is False
    earlier, _ = all_of(patient, kind)
    assert earlier.professional_id == doctor.id and earlier.ended_at is not None
    assert audit_count(f"designation.{kind}.set", patient.id) == 2
    key_people = api.get(f"/api/v1/patients/{patient.id}").get_json()["key_people"]
    assert [(p["kind"], p["professional"]["id"]) for p in key_people] == [(kind, nurse_professional.id)]


@pytest.mark.parametrize("path, kind", PATHS)
def test_end_a_key_person(ward_setup, path, kind):
    patient = ward_setup.patient_a
    api = ward_setup.login(ward_setup.leader)
    url = f"/api/v1/patients/{patient.id}/{path}"
    problem(api.delete(url), 404)
    assert api.put(url, json={"professional_id": ward_setup.doctor.id, "chosen_by_patient": True}
                   ).status_code == 200
    response = api.delete(url)
    assert response.status_code == 204 and response.get_data() == b""
    assert active(patient, kind) == [] and len(all_of(patient, kind)) == 1
    assert audit_count(f"designation.{kind}.end", patient.id) == 1
    problem(api.delete(url), 404)


@pytest.mark.parametrize("path, kind", PATHS)
def test_key_person_errors(ward_setup, make, path, kind):
    login, patient, doctor = ward_setup.login, ward_setup.patient_a, ward_setup.doctor
    url = f"/api/v1/patients/{patient.id}/{path}"
    good = {"professional_id": doctor.id, "chosen_by_patient": True}
    problem(login(ward_setup.nurse).put(url, json=good), 403)
    problem(login(ward_setup.nurse).delete(url), 403)
    own = make.user("pat", "patient", patient=patient)
    problem(login(own).put(url, json=good), 403)
    leader = login(ward_setup.leader)
    problem(leader.put(url, json={"professional_id": 999999, "chosen_by_patient": True}), 422, "professional_id")
    problem(leader.put(url, json={"professional_id": doctor.id}), 422, "chosen_by_patient")
    problem(leader.put(url, json={"professional_id": doctor.id, "chosen_by_patient": "maybe"}), 422,
            "chosen_by_patient")
    problem(leader.put(url, json={**good, "extra": 1}), 422, "extra")
    problem(leader.put(f"/api/v1/patients/{ward_setup.patient_b.id}/{path}", json=good), 404)
    problem(leader.delete(f"/api/v1/patients/{ward_setup.patient_b.id}/{path}"), 404)
    problem(leader.put(f"/api/v1/patients/999999/{path}", json=good), 404)
    assert all_of(patient, kind) == [] and all_of(ward_setup.patient_b, kind) == []


def test_safety_person_and_primary_contact_are_independent(ward_setup):
    patient = ward_setup.patient_a
    api = ward_setup.login(ward_setup.admin)
    for path in ("safety-person", "primary-contact"):
        assert api.put(f"/api/v1/patients/{patient.id}/{path}",
                       json={"professional_id": ward_setup.doctor.id, "chosen_by_patient": True}).status_code == 200
    assert api.delete(f"/api/v1/patients/{patient.id}/primary-contact").status_code == 204
    assert len(active(patient, "safety_person")) == 1 and active(patient, "primary_contact") == []


def test_database_refuses_a_second_active_safety_person(ward_setup, make):
    patient = ward_setup.patient_a
    make.designation(patient, ward_setup.doctor, "safety_person")
    make.designation(patient, ward_setup.doctor, "primary_contact")
    with pytest.raises(IntegrityError):
        make.designation(patient, ward_setup.nurse_professional, "safety_person")
    db.session.rollback()
    [only] = active(patient, "safety_person")
    assert only.professional_id == ward_setup.doctor.id
    # an ended one does not count
    only.ended_at = only.started_at
    db.session.commit()
    make.designation(patient, ward_setup.nurse_professional, "safety_person")
    assert len(all_of(patient, "safety_person")) == 2


def test_patient_reads_own_safety_person(ward_setup, make):
    patient = ward_setup.patient_a
    doctor = make.professional("Sara Safe", "psychologist", [ward_setup.ward_a], work_phone="+47 22 00 00 00")
    own = ward_setup.login(make.user("pat", "patient", patient=patient))
    problem(own.get("/api/v1/me/safety-person"), 404)
    ward_setup.login(ward_setup.leader).put(f"/api/v1/patients/{patient.id}/safety-person",
                                                  json={"professional_id": doctor.id, "chosen_by_patient": True})
    response = own.get("/api/v1/me/safety-person")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"name", "profession", "work_phone", "since", "chosen_by_patient"}
    assert (body["name"], body["profession"], body["work_phone"], body["chosen_by_patient"]) == (
        "Sara Safe", "psychologist", "+47 22 00 00 00", True)
    parse_z(body["since"])
    other = ward_setup.login(make.user("pb", "patient", patient=ward_setup.patient_b))
    problem(other.get("/api/v1/me/safety-person"), 404)


def test_staff_have_no_own_safety_person(ward_setup, client):
    problem(ward_setup.login(ward_setup.nurse).get("/api/v1/me/safety-person"), 403)
    problem(client.get("/api/v1/me/safety-person"), 401)


def test_naming_the_same_person_again_keeps_the_designation(ward_setup):
    patient, doctor = ward_setup.patient_a, ward_setup.doctor
    api = ward_setup.login(ward_setup.leader)
    url = f"/api/v1/patients/{patient.id}/safety-person"
    first = api.put(url, json={"professional_id": doctor.id, "chosen_by_patient": True}).get_json()
    again = api.put(url, json={"professional_id": doctor.id, "chosen_by_patient": True})
    assert again.status_code == 200 and again.get_json() == first
    assert len(all_of(patient, "safety_person")) == 1
    assert audit_count("designation.safety_person.set", patient.id) == 1
    changed = api.put(url, json={"professional_id": doctor.id, "chosen_by_patient": False}).get_json()
    assert changed["since"] == first["since"] and changed["chosen_by_patient"] is False
    [only] = all_of(patient, "safety_person")
    assert only.ended_at is None and only.chosen_by_patient is False
    assert audit_count("designation.safety_person.set", patient.id) == 2
