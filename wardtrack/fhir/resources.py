"""wardtrack's records as FHIR R4 resources, each built with fhir.resources' R4B models (so that it
validates as it is made) and emitted as FHIR JSON. No reads here but those a builder is handed."""

from datetime import UTC, date, datetime, timedelta

from fhir.resources.R4B.auditevent import AuditEvent
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.careteam import CareTeam
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.consent import Consent
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.episodeofcare import EpisodeOfCare
from fhir.resources.R4B.flag import Flag
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from wardtrack.checkins.models import DIALOG_ITEMS, ITEMS, RANGES, RELATIONSHIP_ITEMS, SHARES
from wardtrack.contacts.models import ENTERED_IN_ERROR
from wardtrack.fhir import codes
from wardtrack.fhir.codes import setting, words

FHIR_JSON = "application/fhir+json"
#: Who raises flags and records audit events: wardtrack itself (no Device resource is served).
SYSTEM = {"display": "wardtrack"}
QUESTIONNAIRES = {"relationship": "wardtrack-relationship", "dialog": "wardtrack-dialog"}
_QUESTIONNAIRE_TITLES = {"relationship": "wardtrack relationship check-in",
                         "dialog": "wardtrack life and care check-in (DIALOG)"}


def emit(resource) -> dict:
    """A resource model as FHIR JSON (a dict)."""
    return resource.model_dump(mode="json", by_alias=True, exclude_none=True)


def instant(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def period(start, end) -> dict:
    text = instant if isinstance(start, datetime) else day
    return {key: value for key, value in (("start", text(start)), ("end", text(end))) if value}


def ref(kind: str, resource_id, display: str | None = None) -> dict:
    reference = {"reference": f"{kind}/{resource_id}"}
    if display:
        reference["display"] = display
    return reference


def outcome(severity: str, code: str, diagnostics: str) -> dict:
    return emit(OperationOutcome(issue=[{"severity": severity, "code": code,
                                         "diagnostics": diagnostics}]))


# Who and where.

def patient(row, active: bool = True) -> dict:
    return emit(Patient(
        id=str(row.id), active=active,
        meta={"lastUpdated": instant(row.created_at)},
        identifier=[{"use": "official", "system": setting("FHIR_PATIENT_IDENTIFIER_SYSTEM"),
                     "value": row.identifier}],
        name=[{"text": row.display_name}]))


def _practitioner_identifier(professional_id: int) -> list:
    return [{"system": setting("FHIR_PRACTITIONER_IDENTIFIER_SYSTEM"), "value": str(professional_id)}]


def practitioner(row) -> dict:
    telecom = [{"system": "phone", "value": row.work_phone, "use": "work"}] if row.work_phone else None
    return emit(Practitioner(
        id=str(row.id), active=True, identifier=_practitioner_identifier(row.id),
        name=[{"text": row.name}], telecom=telecom,
        qualification=[{"code": codes.PROFESSION.concept(row.profession)}]))


def practitioner_role(membership, professional, today: date) -> dict:
    active = membership.started_on <= today and (membership.ended_on is None or membership.ended_on >= today)
    telecom = ([{"system": "phone", "value": professional.work_phone, "use": "work"}]
               if professional.work_phone else None)
    return emit(PractitionerRole(
        id=str(membership.id), active=active,
        period=period(membership.started_on, membership.ended_on),
        practitioner=ref("Practitioner", professional.id, professional.name),
        organization=ref("Organization", membership.ward_id),
        location=[ref("Location", membership.ward_id)],
        code=[codes.PROFESSION.concept(professional.profession)], telecom=telecom))


def _ward_identifier(ward) -> list:
    return [{"system": setting("FHIR_WARD_IDENTIFIER_SYSTEM"), "value": str(ward.id)}]


def organization(ward) -> dict:
    return emit(Organization(
        id=str(ward.id), active=True, name=ward.name, identifier=_ward_identifier(ward),
        type=[codes.WARD_SETTING.concept(ward.setting)]))


def location(ward) -> dict:
    return emit(Location(
        id=str(ward.id), status="active", mode="instance", name=ward.name,
        identifier=_ward_identifier(ward), type=[codes.WARD_SETTING.concept(ward.setting)],
        managingOrganization=ref("Organization", ward.id, ward.name)))


# The patient's care.

def care_team(patient_row, designations) -> dict:
    """One CareTeam per patient: every designation, past ones too, as a participant with its period."""
    participants = [{
        "role": [codes.DESIGNATION_KIND.concept(d.kind)],
        "member": ref("Practitioner", d.professional_id, d.professional.name if d.professional else None),
        "period": period(d.started_at, d.ended_at),
    } for d in designations]
    return emit(CareTeam(
        id=str(patient_row.id), status="active", name="Key people",
        subject=ref("Patient", patient_row.id), participant=participants or None))


def episode_of_care(row) -> dict:
    return emit(EpisodeOfCare(
        id=str(row.id), status="active" if row.ended_at is None else "finished",
        type=[codes.EPISODE_KIND.concept(row.kind)], patient=ref("Patient", row.patient_id),
        managingOrganization=ref("Organization", row.ward_id), period=period(row.started_at, row.ended_at)))


_VIRTUAL = {"phone", "video"}


def encounter(contact, professional_name: str | None, episode) -> dict:
    """A contact as an Encounter: a retracted one is `entered-in-error`."""
    if contact.kind in _VIRTUAL:
        klass = {"system": codes.ACT_CODE, "code": "VR", "display": "virtual"}
    elif episode is not None and episode.kind == "inpatient":
        klass = {"system": codes.ACT_CODE, "code": "IMP", "display": "inpatient encounter"}
    else:
        klass = {"system": codes.ACT_CODE, "code": "AMB", "display": "ambulatory"}
    end = (contact.occurred_at + timedelta(minutes=contact.duration_minutes)
           if contact.duration_minutes else None)
    ward_id = contact.ward_id or (episode.ward_id if episode is not None else None)
    return emit(Encounter(
        id=str(contact.id),
        status="entered-in-error" if contact.status == ENTERED_IN_ERROR else "finished",
        identifier=[{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{contact.client_id}"}],
        **{"class": klass},
        type=[codes.CONTACT_KIND.concept(contact.kind)], subject=ref("Patient", contact.patient_id),
        episodeOfCare=[ref("EpisodeOfCare", episode.id)] if episode is not None else None,
        participant=[{"individual": ref("Practitioner", contact.professional_id, professional_name)}],
        period=period(contact.occurred_at, end),
        length={"value": contact.duration_minutes, "unit": "min", "system": "http://unitsofmeasure.org",
                "code": "min"} if contact.duration_minutes else None,
        serviceProvider=ref("Organization", ward_id) if ward_id else None))


def _get(flag, name):
    return flag[name] if isinstance(flag, dict) else getattr(flag, name)


def flag(row) -> dict:
    """A continuity flag (a Flag row, or the dict continuity.queries.seen_by gives for a check-in
    flag): open and acknowledged are `active`, resolved is `inactive`."""
    status = "inactive" if _get(row, "status") == "resolved" else "active"
    return emit(Flag(
        id=str(_get(row, "id")), status=status,
        category=[{"coding": [{"system": codes.FLAG_CATEGORY, "code": "clinical", "display": "Clinical"}]},
                  codes.FLAG_SEVERITY.concept(_get(row, "severity"))],
        code=codes.FLAG_CODE.concept(_get(row, "code"), _get(row, "detail")),
        subject=ref("Patient", _get(row, "patient_id")),
        period=period(_get(row, "opened_at"), _get(row, "resolved_at")),
        author=SYSTEM))


def _lines(section: str, value) -> list[str]:
    if section == "support_contacts":
        return [" ".join(filter(None, (c.get("name"), c.get("phone")))) for c in value]
    if section == "professional_contacts":
        return [" ".join(filter(None, (c.get("name"), f"({c['when']})" if c.get("when") else None,
                                       c.get("phone")))) for c in value]
    return [str(item) for item in value]


def care_plan(row, content: dict) -> dict:
    """The latest crisis-plan version, decrypted, as a CarePlan: one activity per section."""
    activities = [{"detail": {"code": codes.CRISIS_PLAN_SECTION.concept(section), "status": "in-progress",
                              "description": "\n".join(_lines(section, content[section]))}}
                  for section in codes.CRISIS_PLAN_SECTIONS if content.get(section)]
    notes = [{"text": content["note"]}] if content.get("note") else []
    if row.reviewed_with_patient:
        notes.append({"text": "Reviewed with the patient."})
    return emit(CarePlan(
        id=str(row.id), status="active", intent="plan", title="Crisis plan",
        meta={"versionId": str(row.version), "lastUpdated": instant(row.created_at)},
        subject=ref("Patient", row.patient_id), created=instant(row.created_at),
        author={"display": f"{row.author_name} ({row.author_role})"},
        activity=activities or None, note=notes or None))


def has_directive(content: dict) -> bool:
    return any(content.get(name) for name in codes.CONSENT_PROVISIONS)


def _admission_text(agreement: dict) -> str:
    parts = ["Patient-controlled admission " + ("agreed" if agreement.get("agreed") else "not agreed")]
    if agreement.get("max_days_per_stay"):
        parts.append(f"up to {agreement['max_days_per_stay']} days per stay")
    if agreement.get("min_days_between_stays"):
        parts.append(f"at least {agreement['min_days_between_stays']} days between stays")
    if agreement.get("how_to_ask"):
        parts.append(f"how to ask: {agreement['how_to_ask']}")
    return "; ".join(parts)


def consent(row, content: dict) -> dict:
    """The crisis plan's advance directive as a Consent (scope `adr`): treatment preferences
    (permit), refusals (deny) and patient-controlled admission (permit when agreed)."""
    provisions = []
    if content.get("treatment_preferences"):
        provisions.append({"type": "permit", "code": [{
            **codes.CONSENT_PROVISION.concept("treatment_preferences"), "text": content["treatment_preferences"]}]})
    if content.get("treatment_refusals"):
        provisions.append({"type": "deny", "code": [{
            **codes.CONSENT_PROVISION.concept("treatment_refusals"), "text": content["treatment_refusals"]}]})
    agreement = content.get("patient_controlled_admission")
    if agreement:
        until = agreement.get("valid_until")
        provision = {"type": "permit" if agreement.get("agreed") else "deny",
                     "code": [{**codes.CONSENT_PROVISION.concept("patient_controlled_admission"),
                               "text": _admission_text(agreement)}]}
        if until:
            provision["period"] = {"end": day(until) if isinstance(until, date) else str(until)}
        if agreement.get("ward_id"):
            provision["actor"] = [{"role": {"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "PRCP",
                "display": "primary information recipient"}]}, "reference": ref("Organization", agreement["ward_id"])}]
        provisions.append(provision)
    return emit(Consent(
        id=str(row.id), status="active",
        meta={"versionId": str(row.version), "lastUpdated": instant(row.created_at)},
        scope={"coding": [{"system": codes.CONSENT_SCOPE, "code": "adr",
                           "display": "Advanced Care Directive"}]},
        category=[{"coding": [{"system": codes.CONSENT_CATEGORY, "code": "acd",
                               "display": "Advance Directive"}]}],
        patient=ref("Patient", row.patient_id), dateTime=instant(row.created_at),
        performer=[ref("Patient", row.patient_id)],
        policyRule={"text": "The patient's crisis plan, written with the ward"},
        sourceReference=ref("CarePlan", row.id),
        provision={"type": "permit", "provision": provisions} if provisions else None))


# Check-ins.

def questionnaire(kind: str) -> dict:
    """The Questionnaire of a check-in kind: its items, the free text and the sharing choice."""
    low, high = RANGES[kind]
    items = []
    if kind == "relationship":
        items.append({"linkId": "professional", "text": "The person this check-in is about",
                      "type": "reference", "required": True})
    for name in ITEMS[kind]:
        items.append({"linkId": name, "text": f"{words(name)} ({low}–{high})", "type": "integer",
                      "required": True})
        if kind == "dialog":
            items.append({"linkId": f"{name}.more_help", "text": f"I want more help with: {words(name)}",
                          "type": "boolean"})
    if kind == "relationship":
        items.append({"linkId": "what_would_help", "text": "What would help?", "type": "string"})
    shares = [s for s in SHARES if kind == "relationship" or s != "team_leader_and_person"]
    items.append({"linkId": "share", "text": "Who may read this check-in", "type": "choice",
                  "answerOption": [{"valueCoding": codes.CHECK_IN_SHARE.coding(s)} for s in shares]})
    questionnaire_id = QUESTIONNAIRES[kind]
    return emit(Questionnaire(
        id=questionnaire_id, url=codes.canonical("Questionnaire", questionnaire_id),
        name=questionnaire_id.replace("-", "_"), title=_QUESTIONNAIRE_TITLES[kind], status="active",
        subjectType=["Patient"], item=items))


def questionnaire_response(view: dict) -> dict:
    """A check-in (checkins.queries.view) as a QuestionnaireResponse."""
    kind = view["kind"]
    items = []
    if kind == "relationship":
        items.append({"linkId": "professional", "answer": [{"valueReference": ref(
            "Practitioner", view["professional_id"], view["professional_name"])}]})
    more_help = set(view["more_help"] or ())
    for name in (RELATIONSHIP_ITEMS if kind == "relationship" else DIALOG_ITEMS):
        if name in view["scores"]:
            items.append({"linkId": name, "answer": [{"valueInteger": view["scores"][name]}]})
        if kind == "dialog":
            items.append({"linkId": f"{name}.more_help", "answer": [{"valueBoolean": name in more_help}]})
    if view.get("what_would_help"):
        items.append({"linkId": "what_would_help", "answer": [{"valueString": view["what_would_help"]}]})
    items.append({"linkId": "share", "answer": [{"valueCoding": codes.CHECK_IN_SHARE.coding(view["share"])}]})
    return emit(QuestionnaireResponse(
        id=str(view["id"]), status="completed",
        questionnaire=codes.canonical("Questionnaire", QUESTIONNAIRES[kind]),
        subject=ref("Patient", view["patient_id"]), authored=instant(view["created_at"]),
        author=ref("Patient", view["patient_id"]), source=ref("Patient", view["patient_id"]),
        item=items))


# The access log.

def audit_event(item: dict) -> dict:
    """One item of the patient's access log: who read the record (or came to it from outside), when."""
    action = item["action"]
    agent = {"requestor": True, "who": {"display": item["who"]},
             "role": [{"text": item["role"]}]}
    if item.get("reason"):
        agent["purposeOfUse"] = [{"text": item["reason"]}]
    return emit(AuditEvent(
        id=str(item["id"]),
        type={"system": codes.AUDIT_EVENT_TYPE, "code": "rest", "display": "RESTful Operation"},
        subtype=[codes.AUDIT_ACTION.coding(action)], action="R" if action.endswith(".read") else "E",
        recorded=instant(item["at"]), outcome="0", agent=[agent],
        source={"observer": SYSTEM},
        entity=[{"what": ref("Patient", item["patient_id"])}]))


# Definitions.

def code_system(system: codes.Codes) -> dict:
    return emit(CodeSystem(
        id=system.id, url=system.url, name=system.id.replace("-", "_"), title=system.title,
        status="active", content="complete", caseSensitive=True, description=system.description,
        count=len(system.codes), concept=[{"code": code, "display": words(code)} for code in system.codes]))
