"""The access matrix: every route of the app's URL map × method × kind of caller, with the expected answer.

A route that is not in the table fails the suite, so a new endpoint cannot land without someone deciding who
may use it. Every request carries a body the route accepts, so that an answer shows access, not validation.
The targets are the objects of patient A on ward A: "same ward" staff work there, "other ward" staff on ward B.
"""

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from tests.support import ApiClient, Factories
from wardtrack.checkins.models import DIALOG_ITEMS
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.patients.models import Designation

#: The kinds of caller, in the order of the table's columns. Outsiders come first, so that what an insider's
#: write changes cannot hide what an outsider was allowed to do.
CALLERS = ("anonymous", "patient_other", "nurse_other", "leader_other", "patient_self", "nurse", "leader", "admin")
OK = "ok"  # any answer but 401, 403, 404, 405 or a 5xx: the caller got past access (a 409 or 422 is the body's fault)

_ = OK
# (method, rule): one expected answer per caller, in CALLERS order:
# anonymous, patient_other, nurse_other, leader_other, patient_self, nurse, leader, admin.
TABLE = {
    ("GET", "/"): (_, _, _, _, _, _, _, _),
    ("GET", "/api/v1/auth/csrf"): (401, _, _, _, _, _, _, _),
    # The feed's location mapping: admins only. No point of care is mapped in this world, so an admin's read and
    # delete find nothing (the reads and the delete run before the PUT).
    ("GET", "/api/v1/adt/locations"): (401, 403, 403, 403, 403, 403, 403, _),
    ("GET", "/api/v1/adt/locations/<string:point_of_care>"): (401, 403, 403, 403, 403, 403, 403, 404),
    ("PUT", "/api/v1/adt/locations/<string:point_of_care>"): (401, 403, 403, 403, 403, 403, 403, _),
    ("DELETE", "/api/v1/adt/locations/<string:point_of_care>"): (401, 403, 403, 403, 403, 403, 403, 404),
    ("POST", "/api/v1/auth/login"): (_, _, _, _, _, _, _, _),
    ("POST", "/api/v1/auth/logout"): (401, _, _, _, _, _, _, _),
    ("POST", "/api/v1/contacts"): (401, 403, 404, 404, 403, _, _, _),
    ("POST", "/api/v1/contacts/<int:contact_id>/retract"): (401, 403, 404, 404, 403, _, _, 403),
    ("POST", "/api/v1/contacts/batch"): (401, 403, _, _, 403, _, _, _),
    ("GET", "/api/v1/digests"): (401, 403, 403, _, 403, 403, _, _),
    ("GET", "/api/v1/docs"): (_, _, _, _, _, _, _, _),
    ("GET", "/api/v1/docs/assets/<path:filename>"): (_, _, _, _, _, _, _, _),
    ("GET", "/api/v1/emergency-access"): (401, 403, 403, _, 403, 403, _, _),
    ("POST", "/api/v1/emergency-access/<int:access_id>/review"): (401, 403, 403, 404, 403, 403, _, _),
    ("PATCH", "/api/v1/episodes/<int:episode_id>"): (401, 403, 403, 404, 403, 403, _, _),
    ("POST", "/api/v1/flags/<int:flag_id>/<any(acknowledge, resolve):action>"): (401, 403, 403, 404, 403, 403, _, _),
    ("POST", "/api/v1/maintenance-plans/<int:plan_id>/end"): (401, 403, 403, 404, 403, 403, _, _),
    ("GET", "/api/v1/me"): (401, _, _, _, _, _, _, _),
    ("GET", "/api/v1/me/access-log"): (401, _, 403, 403, _, 403, 403, 403),
    ("GET", "/api/v1/me/check-ins"): (401, _, 403, 403, _, 403, 403, 403),
    ("POST", "/api/v1/me/check-ins"): (401, _, 403, 403, _, 403, 403, 403),
    ("PATCH", "/api/v1/me/check-ins/<int:check_in_id>"): (401, 404, 403, 403, _, 403, 403, 403),
    ("GET", "/api/v1/me/check-ins/due"): (401, _, 403, 403, _, 403, 403, 403),
    ("GET", "/api/v1/me/check-ins/people"): (401, _, 403, 403, _, 403, 403, 403),
    ("GET", "/api/v1/me/crisis-plan"): (401, 404, 403, 403, _, 403, 403, 403),
    ("GET", "/api/v1/me/crisis-plan/suggestions"): (401, _, 403, 403, _, 403, 403, 403),
    ("POST", "/api/v1/me/crisis-plan/suggestions"): (401, _, 403, 403, _, 403, 403, 403),
    ("GET", "/api/v1/me/safety-person"): (401, 404, 403, 403, _, 403, 403, 403),
    ("GET", "/api/v1/openapi.json"): (_, _, _, _, _, _, _, _),
    ("POST", "/api/v1/outside-admissions/<int:admission_id>/review"): (401, 403, 403, 404, 403, 403, _, _),
    ("POST", "/api/v1/patients"): (401, 403, 403, _, 403, 403, _, _),
    ("GET", "/api/v1/patients/<int:patient_id>"): (401, 404, 404, 404, _, _, _, _),
    ('DELETE', "/api/v1/patients/<int:patient_id>/<any('safety-person', 'primary-contact', 'therapist'):role>"):
        (401, 403, 403, 404, 403, 403, _, _),
    ('PUT', "/api/v1/patients/<int:patient_id>/<any('safety-person', 'primary-contact', 'therapist'):role>"):
        (401, 403, 403, 404, 403, 403, _, _),
    ("GET", "/api/v1/patients/<int:patient_id>/check-ins"): (401, 403, 404, 404, 403, _, _, _),
    ("GET", "/api/v1/patients/<int:patient_id>/contacts"): (401, 403, 404, 404, 403, _, _, _),
    ("GET", "/api/v1/patients/<int:patient_id>/continuity"): (401, 403, 404, 404, 403, _, _, _),
    ("GET", "/api/v1/patients/<int:patient_id>/crisis-plan"): (401, 403, 404, 404, 403, _, _, _),
    ("PUT", "/api/v1/patients/<int:patient_id>/crisis-plan"): (401, 403, 404, 404, 403, _, _, 403),
    ("GET", "/api/v1/patients/<int:patient_id>/crisis-plan/suggestions"): (401, 403, 404, 404, 403, _, _, _),
    ("POST", "/api/v1/patients/<int:patient_id>/crisis-plan/suggestions/<int:suggestion_id>/answer"):
        (401, 403, 404, 404, 403, _, _, 403),
    ("GET", "/api/v1/patients/<int:patient_id>/crisis-plan/versions"): (401, 403, 404, 404, 403, _, _, _),
    ("POST", "/api/v1/patients/<int:patient_id>/emergency-access"): (401, 403, _, _, 403, _, _, 403),
    ("POST", "/api/v1/patients/<int:patient_id>/episodes"): (401, 403, 403, 403, 403, 403, _, _),
    ("GET", "/api/v1/patients/<int:patient_id>/flags"): (401, 403, 404, 404, 403, _, _, _),
    ("GET", "/api/v1/patients/<int:patient_id>/maintenance-plans"): (401, 403, 404, 404, 403, _, _, _),
    ("POST", "/api/v1/patients/<int:patient_id>/maintenance-plans"): (401, 403, 403, 404, 403, 403, _, _),
    ("GET", "/api/v1/patients/<int:patient_id>/relationships"): (401, 403, 404, 404, 403, _, _, _),
    ("GET", "/api/v1/patients/<int:patient_id>/timeline"): (401, 403, 404, 404, 403, _, _, _),
    ("GET", "/api/v1/professionals"): (401, 403, _, _, 403, _, _, _),
    ("POST", "/api/v1/professionals"): (401, 403, 403, 403, 403, _, _, _),
    ("GET", "/api/v1/professionals/<int:professional_id>"): (401, 403, _, _, 403, _, _, _),
    ("DELETE", "/api/v1/push/subscriptions"): (401, _, _, _, _, _, _, _),
    ("POST", "/api/v1/push/subscriptions"): (401, _, _, _, _, _, _, _),
    ("GET", "/api/v1/push/vapid-public-key"): (401, _, _, _, _, _, _, _),
    ("GET", "/api/v1/reminders"): (401, 403, _, _, 403, _, _, _),
    ("POST", "/api/v1/reminders/<int:reminder_id>/done"): (401, 403, 404, 404, 403, 404, _, _),
    ("POST", "/api/v1/reminders/<int:reminder_id>/snooze"): (401, 403, 404, 404, 403, 404, _, _),
    ("GET", "/api/v1/users"): (401, 403, 403, 403, 403, 403, 403, _),
    ("POST", "/api/v1/users"): (401, 403, 403, 403, 403, 403, 403, _),
    ("GET", "/api/v1/users/<int:user_id>"): (401, 403, 403, 403, 403, 403, 403, _),
    ("PATCH", "/api/v1/users/<int:user_id>"): (401, 403, 403, 403, 403, 403, 403, _),
    ("GET", "/api/v1/wards"): (401, 403, _, _, 403, _, _, _),
    ("POST", "/api/v1/wards"): (401, 403, 403, 403, 403, 403, 403, _),
    ("GET", "/api/v1/wards/<int:ward_id>"): (401, 403, _, _, 403, _, _, _),
    ("GET", "/api/v1/wards/<int:ward_id>/board"): (401, 403, 403, 403, 403, _, _, _),
    ("GET", "/api/v1/wards/<int:ward_id>/check-in-summary"): (401, 403, 403, 403, 403, _, _, _),
    ("GET", "/api/v1/wards/<int:ward_id>/continuity-history"): (401, 403, 403, 403, 403, _, _, _),
    ("GET", "/api/v1/wards/<int:ward_id>/flags"): (401, 403, 403, 403, 403, _, _, _),
    ("GET", "/api/v1/wards/<int:ward_id>/patients"): (401, 403, 403, 403, 403, _, _, _),
    ("GET", "/api/v1/wards/<int:ward_id>/policy"): (401, 403, 403, 403, 403, 403, _, _),
    ("PUT", "/api/v1/wards/<int:ward_id>/policy"): (401, 403, 403, 403, 403, 403, _, _),
    ("GET", "/board"): (_, _, _, _, _, _, _, _),
    # FHIR R4 (docs/fhir.md): a search without its patient parameter is a 400 (past access), so staff-only
    # searches show 403 for patients, and the patient's own searches answer them.
    ("GET", "/fhir/r4/AuditEvent"): (401, _, 403, 403, _, 403, 403, 403),
    ("GET", "/fhir/r4/CarePlan"): (401, _, _, _, _, _, _, _),
    ("GET", "/fhir/r4/CareTeam"): (401, 403, _, _, 403, _, _, _),
    ("GET", "/fhir/r4/CodeSystem/wardtrack-audit-action"): (401, _, _, _, _, _, _, _),
    ("GET", "/fhir/r4/CodeSystem/wardtrack-check-in-share"): (401, _, _, _, _, _, _, _),
    ("GET", "/fhir/r4/CodeSystem/wardtrack-consent-provision"): (401, _, _, _, _, _, _, _),
    ("GET", "/fhir/r4/CodeSystem/wardtrack-contact-kind"): (401, _, _, _, _, _, _, _),
    ("GET", "/fhir/r4/CodeSystem/wardtrack-crisis-plan-section"): (401, _, _, _, _, _, _, _),
    ("GET", "/fhir/r4/CodeSystem/wardtrack-designation-kind"): (401, _, _, _, _, _, _, _),
    ("GET", "/fhir/r4/CodeSystem/wardtrack-episode-kind"): (401, _, _, _, _, _, _, _),
    ("GET", "/fhir/r4/CodeSystem/wardtrack-flag-code"): (401, _, _, _, _, _, _, _),
    ("GET", "/fhir/r4/CodeSystem/wardtrack-flag-severity"): (401, _, _, _, _, _, _, _),
    ("GET", "/fhir/r4/CodeSystem/wardtrack-profession"): (401, _, _, _, _, _, _, _),
    ("GET", "/fhir/r4/CodeSystem/wardtrack-ward-setting"): (401, _, _, _, _, _, _, _),
    ("GET", "/fhir/r4/Consent"): (401, _, _, _, _, _, _, _),
    ("GET", "/fhir/r4/Encounter"): (401, 403, _, _, 403, _, _, _),
    ("GET", "/fhir/r4/EpisodeOfCare"): (401, 403, _, _, 403, _, _, _),
    ("GET", "/fhir/r4/Flag"): (401, 403, _, _, 403, _, _, _),
    ("GET", "/fhir/r4/Location/<int:ward_id>"): (401, 403, _, _, 403, _, _, _),
    ("GET", "/fhir/r4/Organization/<int:ward_id>"): (401, 403, _, _, 403, _, _, _),
    ("GET", "/fhir/r4/Patient"): (401, _, _, _, _, _, _, _),
    ("GET", "/fhir/r4/Patient/<int:patient_id>"): (401, 404, 404, 404, _, _, _, _),
    ("GET", "/fhir/r4/Practitioner/<int:professional_id>"): (401, 403, _, _, 403, _, _, _),
    ("GET", "/fhir/r4/PractitionerRole"): (401, 403, _, _, 403, _, _, _),
    ("GET", "/fhir/r4/Questionnaire/wardtrack-dialog"): (401, _, _, _, _, _, _, _),
    ("GET", "/fhir/r4/Questionnaire/wardtrack-relationship"): (401, _, _, _, _, _, _, _),
    ("GET", "/fhir/r4/QuestionnaireResponse"): (401, _, _, _, _, _, _, _),
    ("GET", "/fhir/r4/metadata"): (_, _, _, _, _, _, _, _),
    ("GET", "/healthz"): (_, _, _, _, _, _, _, _),
    ("GET", "/language"): (_, _, _, _, _, _, _, _),
    ("GET", "/log"): (_, _, _, _, _, _, _, _),
    ("GET", "/login"): (_, _, _, _, _, _, _, _),
    ("GET", "/manifest.webmanifest"): (_, _, _, _, _, _, _, _),
    ("GET", "/me"): (_, _, _, _, _, _, _, _),
    ("GET", "/me/check-ins"): (_, _, _, _, _, _, _, _),
    ("GET", "/offline"): (_, _, _, _, _, _, _, _),
    ("GET", "/patients/<int:patient_id>"): (_, _, _, _, _, _, _, _),
    ("GET", "/patients/<int:patient_id>/crisis-plan"): (_, _, _, _, _, _, _, _),
    ("GET", "/readyz"): (_, _, _, _, _, _, _, _),
    # loopback only, and never through the proxy (tests/core/test_metrics.py); the test client is loopback
    ("GET", "/metrics"): (_, _, _, _, _, _, _, _),
    ("GET", "/reminders"): (_, _, _, _, _, _, _, _),
    ("GET", "/sw.js"): (_, _, _, _, _, _, _, _),
}



def _iso(delta=timedelta(0)):
    return (utcnow() - delta).isoformat()


def _plan_body():
    return {"warning_signs": ["sleeping badly"], "support_contacts": [{"name": "Kari", "phone": "+47 912 34 567"}],
            "reviewed_with_patient": True}


def _bodies(w):
    """A valid body for each unsafe route, from the world's ids (a fresh client id per call)."""
    contact = lambda: {"client_id": str(uuid.uuid4()), "patient_id": w.patient_a.id,  # noqa: E731
                       "professional_id": w.nurse_prof.id, "occurred_at": _iso(timedelta(minutes=5)),
                       "kind": "conversation", "ward_id": w.ward_a.id}
    return {
        "/api/v1/auth/login": lambda: {"username": "nobody", "password": "wrong-password"},
        "/api/v1/users": lambda: {"username": f"u{uuid.uuid4().hex[:8]}", "password": "a-long-enough-pass",
                                  "role": "nurse", "ward_ids": [w.ward_a.id]},
        "/api/v1/users/<int:user_id>": lambda: {"ward_ids": [w.ward_a.id]},
        "/api/v1/wards": lambda: {"name": f"Ward {uuid.uuid4().hex[:6]}", "setting": "acute_ward"},
        "/api/v1/wards/<int:ward_id>/policy": lambda: {"turnover_doctors": 4},
        "/api/v1/professionals": lambda: {"name": "Olav Oncall", "profession": "doctor",
                                          "ward_ids": [w.ward_a.id]},
        "/api/v1/patients": lambda: {"display_name": "New Patient", "identifier": uuid.uuid4().hex[:10]},
        "/api/v1/patients/<int:patient_id>/episodes": lambda: {
            "ward_id": w.ward_a.id, "kind": "outpatient", "started_at": _iso(), "legal_status": "voluntary"},
        "/api/v1/episodes/<int:episode_id>": lambda: {"ended_at": _iso()},
        "/api/v1/contacts": contact,
        "/api/v1/contacts/batch": lambda: {"contacts": [contact()]},
        "/api/v1/contacts/<int:contact_id>/retract": lambda: {"reason": "wrong patient"},
        "/api/v1/flags/<int:flag_id>/<any(acknowledge, resolve):action>": lambda: {"note": "seen"},
        "/api/v1/patients/<int:patient_id>/<any('safety-person', 'primary-contact', 'therapist'):role>":
            lambda: {"professional_id": w.doctor.id, "chosen_by_patient": True},
        "/api/v1/patients/<int:patient_id>/crisis-plan": _plan_body,
        "/api/v1/patients/<int:patient_id>/maintenance-plans": lambda: {"professional_id": w.doctor.id,
                                                                        "interval_days": 60},
        "/api/v1/maintenance-plans/<int:plan_id>/end": lambda: {},
        "/api/v1/reminders/<int:reminder_id>/done": lambda: {},
        "/api/v1/reminders/<int:reminder_id>/snooze": lambda: {"until": (utcnow() + timedelta(days=3)).date()
                                                               .isoformat()},
        "/api/v1/patients/<int:patient_id>/emergency-access": lambda: {
            "reason": "Arrived at the emergency room in crisis; need the crisis plan now."},
        "/api/v1/emergency-access/<int:access_id>/review": lambda: {"note": "justified"},
        "/api/v1/outside-admissions/<int:admission_id>/review": lambda: {"note": "agreed transfer"},
        "/api/v1/me/crisis-plan/suggestions": lambda: {"text": "Call my sister before the crisis team"},
        "/api/v1/patients/<int:patient_id>/crisis-plan/suggestions/<int:suggestion_id>/answer":
            lambda: {"version": 1},
        "/api/v1/me/check-ins": lambda: {"kind": "dialog", "scores": dict.fromkeys(DIALOG_ITEMS, 4)},
        "/api/v1/me/check-ins/<int:check_in_id>": lambda: {"share": "ward"},
        "/api/v1/adt/locations/<string:point_of_care>": lambda: {"ward_id": w.ward_a.id},
        "/api/v1/push/subscriptions": lambda: {"endpoint": "https://fcm.googleapis.com/fcm/send/abc",
                                               "keys": {"p256dh": "B" + "A" * 86, "auth": "A" * 22}},
    }


def _arguments(w):
    """What each URL variable stands for: an object of patient A on ward A."""
    return {"patient_id": w.patient_a.id, "ward_id": w.ward_a.id, "episode_id": w.episode_a,
            "contact_id": w.contact_a, "flag_id": w.flag_a, "plan_id": w.plan_a,
            "reminder_id": w.reminder_a, "access_id": w.access_c, "admission_id": w.admission_d,
            "suggestion_id": w.suggestion_a, "check_in_id": w.check_in_a,
            "user_id": w.target_user.id,
            "professional_id": w.doctor.id, "filename": "swagger-ui.css", "action": "acknowledge",
            "role": "safety-person", "point_of_care": "WA-1"}


@pytest.fixture
def world(ward_setup, make, login, runner):
    """ward_setup's wards and staff, a login for each kind of caller, and one object of each kind for patient A."""
    w = ward_setup.with_(make=make, nurse_prof=ward_setup.nurse_professional)
    patient_c = make.patient("Patient C", "PC-1")
    make.episode(patient_c, w.ward_a, started=timedelta(days=4))
    b_professional = make.professional("Bodil Nurse", "nurse", [w.ward_b])
    w.nurse_other = make.user("bodil", "nurse", wards=[w.ward_b], professional=b_professional)
    w.leader_other = make.user("lars", "team_leader", wards=[w.ward_b])
    w.patient_self = make.user("pa", "patient", patient=w.patient_a)
    w.patient_other = make.user("pb", "patient", patient=w.patient_b)
    w.target_user = make.user("target", "nurse", wards=[w.ward_a])
    make.user("matrix", "nurse", wards=[w.ward_a])
    leader = login(w.leader)
    nurse = login(w.nurse)
    contact = nurse.post("/api/v1/contacts", json=_bodies(w)["/api/v1/contacts"]())
    assert contact.status_code == 201, contact.get_json()
    w.contact_a = contact.get_json()["id"]
    plan = leader.post(f"/api/v1/patients/{w.patient_a.id}/maintenance-plans",
                       json={"professional_id": w.doctor.id, "interval_days": 7})
    assert plan.status_code == 201, plan.get_json()
    w.plan_a = plan.get_json()["id"]
    assert leader.put(f"/api/v1/patients/{w.patient_a.id}/crisis-plan", json=_plan_body()).status_code == 201
    assert runner.invoke(args=["flags", "sweep"]).exit_code == 0
    with time_machine.travel(utcnow() + timedelta(days=6), tick=False):  # the plan's reminder has come due
        assert runner.invoke(args=["reminders", "sweep"]).exit_code == 0
    flags = leader.get(f"/api/v1/patients/{w.patient_a.id}/flags").get_json()["items"]
    w.flag_a = flags[0]["id"]
    make.designation(w.patient_a, w.doctor)
    suggestion = login(w.patient_self).post("/api/v1/me/crisis-plan/suggestions", json={"text": "Call Kari"})
    assert suggestion.status_code == 201, suggestion.get_json()
    w.suggestion_a = suggestion.get_json()["id"]
    check_in = login(w.patient_self).post("/api/v1/me/check-ins", json=_bodies(w)["/api/v1/me/check-ins"]())
    assert check_in.status_code == 201, check_in.get_json()
    w.check_in_a = check_in.get_json()["id"]
    reminders = leader.get("/api/v1/reminders").get_json()["items"]
    w.reminder_a = next(r["id"] for r in reminders if r["patient_id"] == w.patient_a.id)
    grant = login(w.nurse_other).post(f"/api/v1/patients/{patient_c.id}/emergency-access",
                                         json=_bodies(w)["/api/v1/patients/<int:patient_id>/emergency-access"]())
    assert grant.status_code == 201, grant.get_json()
    w.access_c = grant.get_json()["id"]
    # Patient D of ward A, admitted to ward B by its team leader from outside his reach: ward A reviews it.
    patient_d = make.patient("Patient D", "PD-1")
    make.episode(patient_d, w.ward_a, kind="outpatient", started=timedelta(days=4))
    admitted = login(w.leader_other).post(f"/api/v1/patients/{patient_d.id}/episodes", json={
        "ward_id": w.ward_b.id, "kind": "outpatient", "started_at": _iso(), "legal_status": "voluntary",
        "reason": "Moved to our outreach team after a joint meeting."})
    assert admitted.status_code == 201, admitted.get_json()
    w.admission_d = next(item["id"] for item in leader.get("/api/v1/emergency-access").get_json()["items"]
                            if item["kind"] == "outside_admission")
    record = leader.get(f"/api/v1/patients/{w.patient_a.id}").get_json()
    w.episode_a = record["active_episode"]["id"]
    return w


def _clients(app, w, login):
    clients = {"anonymous": ApiClient(app.test_client())}
    for caller in CALLERS[1:]:
        clients[caller] = login(getattr(w, caller))
    return clients


def _routes(app):
    """Every (method, rule) of the URL map but the static files; reads first, then writes, sessions last."""
    rows = {(method, rule.rule): rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})}
    # Last: what gives reach (an admission, a grant) or ends a contact or a session.
    last = ("/api/v1/contacts/<int:contact_id>/retract", "/api/v1/patients/<int:patient_id>/episodes",
            "/api/v1/patients/<int:patient_id>/emergency-access", "/api/v1/auth/logout", "/api/v1/auth/login")
    return sorted(rows.items(), key=lambda item: (item[0][1] in last, last.index(item[0][1]) if item[0][1] in last
                                                  else 0, item[0][0] != "GET", item[0]))


def _answer(status: int):
    return status if status in (401, 403, 404, 405) or status >= 500 else OK


def _prepare(w, path_rule, method):
    """Put back what the caller before may have removed, so that each caller meets the same state."""
    if method == "DELETE" and path_rule.endswith(":role>"):
        named = sa.select(Designation.id).where(Designation.patient_id == w.patient_a.id,
                                                Designation.kind == "safety_person", Designation.ended_at.is_(None))
        if db.session.scalar(named) is None:
            w.make.designation(w.patient_a, w.doctor)


def _observe(app, w, login):
    clients, bodies, args = _clients(app, w, login), _bodies(w), _arguments(w)
    observed = {}
    for (method, path_rule), rule in _routes(app):
        _domain, path = rule.build({name: args[name] for name in rule.arguments}, append_unknown=False)
        row = []
        for caller in CALLERS:
            client = clients[caller]
            if path_rule in ("/api/v1/auth/login", "/api/v1/auth/logout"):  # a session of its own
                client = clients["anonymous"] if caller == "anonymous" else login(getattr(w, caller))
            _prepare(w, path_rule, method)
            body = bodies[path_rule]() if method != "GET" and path_rule in bodies else None
            if path_rule == "/api/v1/auth/login":
                client, body = ApiClient(app.test_client()), {"username": "matrix", "password": Factories.PASSWORD}
            kwargs = {} if body is None else {"json": body}
            if method == "PUT" and path_rule.endswith("/crisis-plan"):
                etag = clients["admin"].get(path).headers.get("ETag")
                kwargs["headers"] = {"If-Match": etag} if etag else {}
            row.append(_answer(client.open(path, method=method, **kwargs).status_code))
        observed[(method, path_rule)] = tuple(row)
    return observed


def test_every_route_answers_every_kind_of_caller_as_the_table_says(app, world, login):
    observed = _observe(app, world, login)
    missing = sorted(set(observed) - set(TABLE))
    stale = sorted(set(TABLE) - set(observed))
    wrong = {key: {"expected": TABLE[key], "got": got} for key, got in observed.items()
             if key in TABLE and TABLE[key] != got}
    printable = "\n".join(f"    {key!r}: {value!r}," for key, value in observed.items())
    assert not missing, f"routes missing from the access table:\n{printable}"
    assert not stale, f"the table names routes that no longer exist: {stale}"
    assert not wrong, wrong
