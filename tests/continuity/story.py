"""A world for the continuity stories: admissions and contacts go through the API, so that the change
signal queues the patient and the flag lists recompute them, as in production."""

import uuid
from datetime import timedelta

from flask import current_app

from wardtrack.core.crypto import load_keyring
from wardtrack.core.time import utcnow
from wardtrack.crisisplans.envelope import seal
from wardtrack.crisisplans.models import CrisisPlanVersion
from wardtrack.extensions import db

DAY = timedelta(days=1)


def ago(days: float) -> str:
    """A timestamp `days` ago, with an offset as clients send it."""
    return (utcnow().replace(microsecond=0) - days * DAY).isoformat()


class Story:
    def __init__(self, make, login):
        self.make = make
        self.ward_a, self.ward_b = make.ward("Ward A"), make.ward("Ward B")
        self.nurse_professional = make.professional("Nina Nurse", "nurse", [self.ward_a])
        self.nurse_user = make.user("nina", "nurse", wards=[self.ward_a], professional=self.nurse_professional)
        self.leader_user = make.user("tom", "team_leader", wards=[self.ward_a])
        self.leader_b_user = make.user("berit", "team_leader", wards=[self.ward_b])
        self.admin_user = make.user("ada", "admin")
        self.nurse, self.leader, self.admin = login(self.nurse_user), login(self.leader_user), login(self.admin_user)
        self.login = login

    def professional(self, name: str, profession: str = "psychiatrist", ward=None):
        return self.make.professional(name, profession, [ward or self.ward_a])

    def patient(self, name: str = "Patient P", with_plan: bool = True):
        """A patient; with a current crisis plan unless told otherwise, so that stories about other flags
        are not crowded by no_crisis_plan."""
        patient = self.make.patient(name)
        if with_plan:
            add_plan(patient)
        return patient

    def admit(self, patient, started_days_ago: float, ended_days_ago: float | None = None, ward=None,
              kind: str = "inpatient") -> dict:
        body = {"ward_id": (ward or self.ward_a).id, "kind": kind, "started_at": ago(started_days_ago),
                "legal_status": "voluntary"}
        if ended_days_ago is not None:
            body["ended_at"] = ago(ended_days_ago)
        response = self.admin.post(f"/api/v1/patients/{patient.id}/episodes", json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def contact(self, patient, professional, days_ago: float, kind: str = "conversation", api=None) -> dict:
        body = {"client_id": str(uuid.uuid4()), "patient_id": patient.id, "professional_id": professional.id,
                "occurred_at": ago(days_ago), "kind": kind}
        response = (api or self.nurse).post("/api/v1/contacts", json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def contacts(self, patient, items, api=None) -> None:
        """Several contacts in one batch: items of (professional, days_ago[, kind])."""
        body = [{"client_id": str(uuid.uuid4()), "patient_id": patient.id, "professional_id": item[0].id,
                 "occurred_at": ago(item[1]), "kind": item[2] if len(item) > 2 else "conversation"}
                for item in items]
        response = (api or self.nurse).post("/api/v1/contacts/batch", json={"contacts": body})
        assert response.status_code == 200, response.get_json()
        assert {r["status"] for r in response.get_json()["results"]} == {201}, response.get_json()

    def name_safety_person(self, patient, professional=None) -> None:
        response = self.leader.put(f"/api/v1/patients/{patient.id}/safety-person",
                                   json={"professional_id": (professional or self.nurse_professional).id,
                                         "chosen_by_patient": True})
        assert response.status_code == 200, response.get_json()

    def flags(self, patient, status: str | None = None, api=None) -> list[dict]:
        query = f"?status={status}" if status else ""
        response = (api or self.leader).get(f"/api/v1/patients/{patient.id}/flags{query}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()["items"]

    def open_flags(self, patient, api=None) -> dict[str, dict]:
        """Unresolved flags by code."""
        return {flag["code"]: flag for flag in self.flags(patient, "unresolved", api)}


def add_plan(patient, days_ago: float = 0, version: int = 1) -> CrisisPlanVersion:
    """A crisis-plan version straight into the table (no signal), written `days_ago`."""
    row = CrisisPlanVersion(patient_id=patient.id, version=version, created_at=utcnow() - days_ago * DAY,
                            author_name="Nina Nurse", author_role="nurse", reviewed_with_patient=True,
                            **seal(load_keyring(current_app.config), patient.id, version, {"note": "plan"}))
    db.session.add(row)
    db.session.commit()
    return row
