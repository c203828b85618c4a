"""The FHIR R4 endpoint: every resource it emits validates with fhir.resources (R4B), reads follow reach
(404 out of it, an empty Bundle for a search on a patient out of it), every read of a patient's data is an
audit event in their access log, the CapabilityStatement is the routes, and searches page."""

import uuid
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from fhir.resources.R4B import get_fhir_model_class

from tests.support import ApiClient
from wardtrack.audit.models import AuditEvent
from wardtrack.auth.operations import issue_token
from wardtrack.checkins.models import DIALOG_ITEMS, RELATIONSHIP_ITEMS
from wardtrack.core.time import utcnow
from wardtrack.extensions import db

FHIR = "/fhir/r4"


def valid(body: dict) -> dict:
    """Parse a resource with its fhir.resources R4B model (a Bundle's entries each too); any validation
    error fails the test."""
    get_fhir_model_class(body["resourceType"]).model_validate(body)
    for entry in body.get("entry", ()):
        get_fhir_model_class(entry["resource"]["resourceType"]).model_validate(entry["resource"])
    return body


def get(api, path, status=200) -> dict:
    response = api.get(path)
    assert response.status_code == status, (path, response.get_data(as_text=True))
    assert response.mimetype == "application/fhir+json", path
    return valid(response.get_json())


def resources_of(bundle: dict) -> list[dict]:
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "searchset"
    return [entry["resource"] for entry in bundle.get("entry", ())]


def _iso(delta=timedelta(0)):
    return (utcnow() - delta).isoformat()


@pytest.fixture
def w(ward_setup, make, login, runner):
    """Patient A on ward A with two contacts (one retracted), a safety person, a crisis plan with an advance
    directive, two check-ins (the relationship one low, so that it raises a flag) and swept flags."""
    w = ward_setup
    w.patient_user = make.user("pa", "patient", patient=w.patient_a)
    w.leader_api, w.nurse_api = login(w.leader), login(w.nurse)
    w.other_api, w.patient_api = login(w.other_nurse), login(w.patient_user)
    contacts = []
    for kind, minutes in (("conversation", 30), ("phone", None), ("group", 45)):
        body = {"client_id": str(uuid.uuid4()), "patient_id": w.patient_a.id, "professional_id":
                w.nurse_professional.id, "occurred_at": _iso(timedelta(hours=len(contacts) + 1)), "kind": kind,
                "ward_id": w.ward_a.id, **({"duration_minutes": minutes} if minutes else {})}
        response = w.nurse_api.post("/api/v1/contacts", json=body)
        assert response.status_code == 201, response.get_json()
        contacts.append(response.get_json()["id"])
    w.contacts = contacts
    retracted = w.nurse_api.post(f"/api/v1/contacts/{contacts[1]}/retract", json={"reason": "wrong patient"})
    assert retracted.status_code == 200, retracted.get_json()
    make.designation(w.patient_a, w.doctor)
    plan = {"warning_signs": ["sleeping badly"], "support_contacts": [{"name": "Kari", "phone": "+47 912 34 567"}],
            "treatment_preferences": "Talk first; olanzapine has helped.", "treatment_refusals": "No haloperidol.",
            "patient_controlled_admission": {"agreed": True, "ward_id": w.ward_a.id, "max_days_per_stay": 5,
                                             "min_days_between_stays": 30,
                                             "valid_until": (date.today() + timedelta(days=300)).isoformat(),
                                             "how_to_ask": "Call the ward"},
            "note": "Reviewed at discharge", "reviewed_with_patient": True}
    assert w.leader_api.put(f"/api/v1/patients/{w.patient_a.id}/crisis-plan", json=plan).status_code == 201
    relationship = w.patient_api.post("/api/v1/me/check-ins", json={
        "kind": "relationship", "professional_id": w.doctor.id, "scores": dict.fromkeys(RELATIONSHIP_ITEMS, 0),
        "what_would_help": "More time to talk", "share": "team_leader"})
    assert relationship.status_code == 201, relationship.get_json()
    dialog = w.patient_api.post("/api/v1/me/check-ins", json={
        "kind": "dialog", "scores": dict.fromkeys(DIALOG_ITEMS, 5), "more_help": ["job"], "share": "ward"})
    assert dialog.status_code == 201, dialog.get_json()
    w.relationship_check_in, w.dialog_check_in = relationship.get_json()["id"], dialog.get_json()["id"]
    assert runner.invoke(args=["flags", "sweep"]).exit_code == 0
    return w


def searches(w) -> dict[str, str]:
    a = w.patient_a.id
    return {
        "Patient": "Patient?identifier=PA-1", "PractitionerRole": f"PractitionerRole?practitioner=Practitioner/"
        f"{w.doctor.id}", "CareTeam": f"CareTeam?subject=Patient/{a}", "EpisodeOfCare": f"EpisodeOfCare?patient={a}",
        "Encounter": f"Encounter?subject=Patient/{a}", "Flag": f"Flag?subject=Patient/{a}",
        "CarePlan": f"CarePlan?subject=Patient/{a}", "Consent": f"Consent?patient=Patient/{a}",
        "QuestionnaireResponse": f"QuestionnaireResponse?subject=Patient/{a}",
        "AuditEvent": f"AuditEvent?patient=Patient/{a}",
    }


def test_the_capability_statement_is_exactly_the_routes(app, client):
    derived = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(f"{FHIR}/") or rule.rule == f"{FHIR}/metadata":
            continue
        parts = rule.rule.removeprefix(f"{FHIR}/").split("/")
        derived.add((parts[0], "read" if len(parts) == 2 else "search-type"))
        assert rule.methods - {"HEAD", "OPTIONS"} == {"GET"}, rule.rule  # read-only
    statement = get(ApiClient(client), f"{FHIR}/metadata")
    assert statement["resourceType"] == "CapabilityStatement" and statement["fhirVersion"] == "4.0.1"
    (rest,) = statement["rest"]
    listed = {(item["type"], interaction["code"]) for item in rest["resource"] for interaction in item["interaction"]}
    assert listed == derived
    params = {item["type"]: [p["name"] for p in item.get("searchParam", ())] for item in rest["resource"]}
    assert params["Patient"] == ["identifier"] and params["Flag"] == ["subject"]


def test_every_read_and_search_validates_for_staff_in_reach(w):
    leader = w.leader_api
    patient = get(leader, f"{FHIR}/Patient/{w.patient_a.id}")
    assert patient["identifier"][0] == {"use": "official", "system": "urn:wardtrack:patient-identifier",
                                        "value": "PA-1"}
    assert patient["name"][0]["text"] == "Patient A" and patient["active"] is True
    practitioner = get(leader, f"{FHIR}/Practitioner/{w.doctor.id}")
    assert practitioner["qualification"][0]["code"]["coding"][0]["code"] == "psychiatrist"
    organization = get(leader, f"{FHIR}/Organization/{w.ward_a.id}")
    location = get(leader, f"{FHIR}/Location/{w.ward_a.id}")
    assert organization["name"] == location["name"] == "Ward A"
    for kind, search in searches(w).items():
        if kind in ("AuditEvent", "QuestionnaireResponse"):
            continue  # the patient's own (AuditEvent) and by the sharing choice (below)
        found = resources_of(get(leader, f"{FHIR}/{search}"))
        assert found and {r["resourceType"] for r in found} == {kind}, kind
    roles = resources_of(get(leader, f"{FHIR}/{searches(w)['PractitionerRole']}"))
    assert roles[0]["organization"]["reference"] == f"Organization/{w.ward_a.id}"
    assert roles[0]["code"][0]["coding"][0]["code"] == "psychiatrist" and "start" in roles[0]["period"]


def test_care_team_encounters_and_episodes_carry_their_codes(w):
    a = w.patient_a.id
    (team,) = resources_of(get(w.leader_api, f"{FHIR}/CareTeam?subject=Patient/{a}"))
    (member,) = team["participant"]
    assert member["member"]["reference"] == f"Practitioner/{w.doctor.id}"
    assert member["role"][0]["coding"][0]["code"] == "safety_person" and "start" in member["period"]
    encounters = {int(e["id"]): e for e in resources_of(get(w.leader_api, f"{FHIR}/Encounter?subject={a}"))}
    assert set(encounters) == set(w.contacts)
    talk, phone, group = (encounters[i] for i in w.contacts)
    assert talk["status"] == "finished" and talk["class"]["code"] == "IMP"
    assert talk["type"][0]["coding"][0]["code"] == "conversation" and talk["length"]["value"] == 30
    assert talk["participant"][0]["individual"]["reference"] == f"Practitioner/{w.nurse_professional.id}"
    assert phone["status"] == "entered-in-error" and phone["class"]["code"] == "VR"
    (episode,) = resources_of(get(w.leader_api, f"{FHIR}/EpisodeOfCare?patient={a}"))
    assert episode["status"] == "active" and talk["episodeOfCare"][0]["reference"] == f"EpisodeOfCare/{episode['id']}"
    assert episode["managingOrganization"]["reference"] == f"Organization/{w.ward_a.id}"


def test_crisis_plan_and_advance_directive(w):
    a = w.patient_a.id
    for api in (w.leader_api, w.patient_api):  # staff in reach, and the patient their own
        (plan,) = resources_of(get(api, f"{FHIR}/CarePlan?subject=Patient/{a}"))
        sections = {act["detail"]["code"]["coding"][0]["code"]: act["detail"]["description"]
                    for act in plan["activity"]}
        assert sections["warning_signs"] == "sleeping badly" and "Kari" in sections["support_contacts"]
        (consent,) = resources_of(get(api, f"{FHIR}/Consent?patient={a}"))
        assert consent["scope"]["coding"][0]["code"] == "adr"
        kinds = {p["code"][0]["coding"][0]["code"]: p for p in consent["provision"]["provision"]}
        assert kinds["treatment_refusals"]["type"] == "deny"
        assert kinds["treatment_preferences"]["code"][0]["text"].startswith("Talk first")
        assert kinds["patient_controlled_admission"]["type"] == "permit"
    reads = db.session.scalars(sa.select(AuditEvent.object_type).where(
        AuditEvent.action == "crisis_plan.read", AuditEvent.patient_id == a)).all()
    assert reads.count("fhir.CarePlan") == 2 and reads.count("fhir.Consent") == 2


def test_check_ins_follow_the_patients_sharing_choice(w):
    path = f"{FHIR}/QuestionnaireResponse?subject=Patient/{w.patient_a.id}"
    own = {int(r["id"]): r for r in resources_of(get(w.patient_api, path))}
    assert set(own) == {w.relationship_check_in, w.dialog_check_in}
    led = resources_of(get(w.leader_api, path))
    assert [int(r["id"]) for r in led] == [w.relationship_check_in]  # shared with the team leader only
    answers = {item["linkId"]: item["answer"][0] for item in led[0]["item"]}
    assert answers["what_would_help"]["valueString"] == "More time to talk"
    assert answers["share"]["valueCoding"]["code"] == "team_leader"
    assert resources_of(get(w.nurse_api, path)) == []
    for kind in ("relationship", "dialog"):
        questionnaire = get(w.nurse_api, f"{FHIR}/Questionnaire/wardtrack-{kind}")
        assert questionnaire["url"] == own[w.relationship_check_in if kind == "relationship"
                                           else w.dialog_check_in]["questionnaire"]
        link_ids = {item["linkId"] for item in questionnaire["item"]}
        assert {item["linkId"] for item in own[w.dialog_check_in if kind == "dialog"
                                               else w.relationship_check_in]["item"]} <= link_ids


def test_flags_read_as_the_api_shows_them_to_each_reader(w):
    a = w.patient_a.id
    for api in (w.leader_api, w.nurse_api):
        flags = {int(f["id"]): f for f in resources_of(get(api, f"{FHIR}/Flag?subject=Patient/{a}"))}
        shown = {f["id"]: f for f in api.get(f"/api/v1/patients/{a}/flags?limit=500").get_json()["items"]}
        assert set(flags) == set(shown)
        for flag_id, flag in flags.items():
            assert flag["code"]["coding"][0]["code"] == shown[flag_id]["code"]
            assert flag["code"]["text"] == shown[flag_id]["detail"]  # seen_by: the sharing choice holds
            assert flag["status"] == ("inactive" if shown[flag_id]["status"] == "resolved" else "active")
    strain = [f for f in resources_of(get(w.leader_api, f"{FHIR}/Flag?subject={a}"))
              if f["code"]["coding"][0]["code"] == "relationship_strain"]
    assert strain


def test_out_of_reach_reads_are_404_and_searches_empty(w):
    a = w.patient_a.id
    for path in (f"Patient/{a}", "Patient/999999", "Practitioner/999999", "Organization/999999"):
        outcome = get(w.other_api, f"{FHIR}/{path}", 404)
        assert outcome["resourceType"] == "OperationOutcome" and outcome["issue"][0]["code"] == "not-found"
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.patient_id == a))
    for kind, search in searches(w).items():
        if kind in ("PractitionerRole", "AuditEvent"):
            continue
        bundle = get(w.other_api, f"{FHIR}/{search}")
        assert bundle["total"] == 0 and "entry" not in bundle, kind
    get(w.patient_api, f"{FHIR}/Patient/{w.patient_b.id}", 404)  # a patient reaches only themselves
    assert get(w.patient_api, f"{FHIR}/CarePlan?subject=Patient/{w.patient_b.id}")["total"] == 0
    after = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.patient_id == a))
    assert after == before  # nothing was read, nothing is recorded


def test_a_break_the_glass_grant_reads_as_in_the_api_and_the_log_names_its_reason(w):
    a = w.patient_a.id
    get(w.other_api, f"{FHIR}/Patient/{a}", 404)
    reason = "Arrived at the emergency room in crisis; need the crisis plan now."
    granted = w.other_api.post(f"/api/v1/patients/{a}/emergency-access", json={"reason": reason})
    assert granted.status_code == 201, granted.get_json()
    assert get(w.other_api, f"{FHIR}/Patient/{a}")["id"] == str(a)
    assert len(resources_of(get(w.other_api, f"{FHIR}/CarePlan?subject=Patient/{a}"))) == 1
    events = resources_of(get(w.patient_api, f"{FHIR}/AuditEvent?patient={a}"))
    grant = [e for e in events if e["subtype"][0]["code"] == "emergency_access.grant"]
    assert grant and grant[0]["agent"][0]["purposeOfUse"][0]["text"] == reason and grant[0]["action"] == "E"


def test_roles_and_login(w, client):
    anonymous = get(ApiClient(client), f"{FHIR}/Patient/{w.patient_a.id}", 401)
    assert anonymous["issue"][0]["code"] == "login"
    assert get(w.patient_api, f"{FHIR}/Flag?subject=Patient/{w.patient_a.id}", 403)["issue"][0]["code"] == "forbidden"
    assert get(w.leader_api, f"{FHIR}/AuditEvent?patient={w.patient_a.id}", 403)["resourceType"] == "OperationOutcome"
    bearer = ApiClient(client, bearer=issue_token(w.leader))
    db.session.commit()
    assert get(bearer, f"{FHIR}/Patient/{w.patient_a.id}")["id"] == str(w.patient_a.id)


def test_reads_are_audited_and_shown_in_the_access_log(w):
    a = w.patient_a.id
    for search in searches(w).values():
        if not search.startswith(("PractitionerRole", "AuditEvent")):
            get(w.leader_api, f"{FHIR}/{search}")
    get(w.leader_api, f"{FHIR}/Patient/{a}")
    types = set(db.session.scalars(sa.select(AuditEvent.object_type).where(
        AuditEvent.patient_id == a, AuditEvent.actor_user_id == w.leader.id, AuditEvent.object_type.like("fhir.%"))))
    assert types == {f"fhir.{kind}" for kind in ("Patient", "CareTeam", "EpisodeOfCare", "Encounter", "Flag",
                                                 "CarePlan", "Consent", "QuestionnaireResponse")}
    log = w.patient_api.get("/api/v1/me/access-log?limit=500").get_json()["items"]
    assert {"patient.read", "relationships.read", "contacts.read", "flags.read", "crisis_plan.read",
            "check_ins.read"} <= {item["action"] for item in log if item["who"] == "tom"}
    events = resources_of(get(w.patient_api, f"{FHIR}/AuditEvent?patient=Patient/{a}"))
    assert len(events) == len(log)
    assert {e["subtype"][0]["code"] for e in events} == {item["action"] for item in log}
    assert all(e["agent"][0]["who"]["display"] in {item["who"] for item in log} for e in events)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "access_log.read", AuditEvent.object_type == "fhir.AuditEvent")) == 1
    assert get(w.patient_api, f"{FHIR}/AuditEvent?patient={w.patient_b.id}")["total"] == 0


@pytest.mark.parametrize("query", ["Encounter?subject=Patient/{a}&name=x", "Encounter?subject=1&subject=2",
                                   "Encounter", "Encounter?subject=Practitioner/1", "Encounter?subject={a}&_count=0",
                                   "Encounter?subject={a}&_cursor=forged.AAAAAAAAAAAAAAAAAAAAAA",
                                   "Patient?family=A"])
def test_unknown_or_bad_parameters_are_a_400_operation_outcome(w, query):
    outcome = get(w.leader_api, f"{FHIR}/{query.format(a=w.patient_a.id)}", 400)
    assert outcome["resourceType"] == "OperationOutcome" and outcome["issue"][0]["code"] == "invalid"


def test_searches_page_with_count_and_cursor(w):
    path = f"{FHIR}/Encounter?subject=Patient/{w.patient_a.id}&_count=2"
    first = get(w.leader_api, path)
    assert first["total"] == 3 and len(first["entry"]) == 2
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert "previous" not in links and parse_qs(urlsplit(links["next"]).query)["_count"] == ["2"]
    second = get(w.leader_api, links["next"].removeprefix("http://localhost"))
    assert len(second["entry"]) == 1
    assert {link["relation"] for link in second["link"]} == {"self", "first", "previous"}
    seen = [e["resource"]["id"] for e in first["entry"] + second["entry"]]
    assert sorted(map(int, seen)) == sorted(w.contacts)
    flag_cursor = parse_qs(urlsplit(links["next"]).query)["_cursor"][0]  # a cursor of another search
    get(w.leader_api, f"{FHIR}/Flag?subject={w.patient_a.id}&_cursor={flag_cursor}", 400)


def test_code_systems_declare_every_code_used(w):
    a = w.patient_a.id
    used = set()

    def walk(value):
        if isinstance(value, dict):
            if "system" in value and "code" in value:
                used.add((value["system"], value["code"]))
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    for search in searches(w).values():
        api = w.patient_api if search.startswith("AuditEvent") else w.leader_api
        walk(get(api, f"{FHIR}/{search}"))
    walk(get(w.patient_api, f"{FHIR}/QuestionnaireResponse?subject={a}"))
    own = {(system, code) for system, code in used if system.startswith("urn:wardtrack:fhir/CodeSystem/")}
    assert own
    for system in {system for system, _ in own}:
        served = get(w.nurse_api, f"{FHIR}/CodeSystem/{system.rsplit('/', 1)[1]}")
        assert served["url"] == system
        codes = {concept["code"] for concept in served["concept"]}
        assert {code for s, code in own if s == system} <= codes


def test_identifier_systems_are_site_settings(app, w):
    app.config.update(FHIR_PATIENT_IDENTIFIER_SYSTEM="urn:oid:2.16.578.1.12.4.1.4.1",
                      FHIR_CANONICAL_BASE="https://fhir.hospital.example/wardtrack")
    patient = get(w.leader_api, f"{FHIR}/Patient/{w.patient_a.id}")
    assert patient["identifier"][0]["system"] == "urn:oid:2.16.578.1.12.4.1.4.1"
    found = get(w.leader_api, f"{FHIR}/Patient?identifier=urn:oid:2.16.578.1.12.4.1.4.1|PA-1")
    assert found["total"] == 1
    assert get(w.leader_api, f"{FHIR}/Patient?identifier=urn:other|PA-1")["total"] == 0
    (flag, *_) = resources_of(get(w.leader_api, f"{FHIR}/Flag?subject={w.patient_a.id}"))
    assert flag["code"]["coding"][0]["system"] == "https://fhir.hospital.example/wardtrack/CodeSystem/wardtrack-flag-code"
