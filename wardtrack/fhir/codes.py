"""Identifier systems (site settings) and wardtrack's own CodeSystems, which the resources' codes
name and the endpoint serves as `CodeSystem/{id}`."""

from dataclasses import dataclass

from flask import current_app

from wardtrack.access.queries import READS, WITH_REASON
from wardtrack.checkins.models import SHARES
from wardtrack.contacts.models import KINDS as CONTACT_KINDS
from wardtrack.continuity.models import FLAG_CODES, SEVERITIES
from wardtrack.organisation.models import PROFESSIONS, SETTINGS
from wardtrack.patients.models import DESIGNATIONS, EPISODE_KINDS

#: Settings a site may set (app config), with their defaults; docs/fhir.md explains each.
DEFAULTS = {
    "FHIR_CANONICAL_BASE": "urn:wardtrack:fhir",
    "FHIR_PATIENT_IDENTIFIER_SYSTEM": "urn:wardtrack:patient-identifier",
    "FHIR_PRACTITIONER_IDENTIFIER_SYSTEM": "urn:wardtrack:professional",
    "FHIR_WARD_IDENTIFIER_SYSTEM": "urn:wardtrack:ward",
}


def setting(name: str) -> str:
    """A FHIR setting from the app's config, or its default."""
    return current_app.config.get(name) or DEFAULTS[name]


def canonical(kind: str, resource_id: str) -> str:
    """The canonical URL of one of wardtrack's definitions (`CodeSystem`, `Questionnaire`)."""
    return f"{setting('FHIR_CANONICAL_BASE').rstrip('/')}/{kind}/{resource_id}"


def words(code: str) -> str:
    """A code as words: `safety_person` → `Safety person`."""
    text = code.replace("_", " ")
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Codes:
    id: str
    title: str
    description: str
    codes: tuple

    @property
    def url(self) -> str:
        return canonical("CodeSystem", self.id)

    def coding(self, code: str) -> dict:
        if code not in self.codes:
            raise ValueError(f"{code!r} is not in CodeSystem {self.id}")
        return {"system": self.url, "code": code, "display": words(code)}

    def concept(self, code: str, text: str | None = None) -> dict:
        return {"coding": [self.coding(code)], "text": text or words(code)}


CRISIS_PLAN_SECTIONS = ("warning_signs", "coping_strategies", "helpful_people_and_places",
                        "support_contacts", "professional_contacts", "safe_environment",
                        "what_helps_in_crisis", "what_does_not_help", "reasons_for_living")
CONSENT_PROVISIONS = ("treatment_preferences", "treatment_refusals", "patient_controlled_admission")
#: What the patient's access log shows: the reads of their record, and how someone from outside came to it.
AUDIT_ACTIONS = (*READS, *WITH_REASON)

FLAG_CODE = Codes("wardtrack-flag-code", "wardtrack continuity flag codes",
                  "The continuity problems wardtrack flags (docs/flags.md).", FLAG_CODES)
FLAG_SEVERITY = Codes("wardtrack-flag-severity", "wardtrack flag severities",
                      "How urgent a continuity flag is.", SEVERITIES)
CONTACT_KIND = Codes("wardtrack-contact-kind", "wardtrack contact kinds",
                     "The kinds of meeting between a patient and a professional.", CONTACT_KINDS)
DESIGNATION_KIND = Codes("wardtrack-designation-kind", "wardtrack designation kinds",
                         "The named roles of a professional for a patient (key people).",
                         DESIGNATIONS)
EPISODE_KIND = Codes("wardtrack-episode-kind", "wardtrack episode kinds",
                     "An inpatient admission or an outpatient enrolment.", EPISODE_KINDS)
PROFESSION = Codes("wardtrack-profession", "wardtrack professions",
                   "The professions of wardtrack's professionals.", PROFESSIONS)
WARD_SETTING = Codes("wardtrack-ward-setting", "wardtrack ward settings",
                     "The treatment settings of wards.", SETTINGS)
CHECK_IN_SHARE = Codes("wardtrack-check-in-share", "wardtrack check-in sharing choices",
                       "Whom the patient shares a check-in with (docs/checkins.md).", SHARES)
CRISIS_PLAN_SECTION = Codes("wardtrack-crisis-plan-section", "wardtrack crisis plan sections",
                            "The sections of a crisis plan.", CRISIS_PLAN_SECTIONS)
CONSENT_PROVISION = Codes("wardtrack-consent-provision", "wardtrack advance directive provisions",
                          "What a crisis plan's advance directive says.", CONSENT_PROVISIONS)
AUDIT_ACTION = Codes("wardtrack-audit-action", "wardtrack audit actions in the access log",
                     "The audit actions that the patient's access log shows.", AUDIT_ACTIONS)

#: Every CodeSystem served, by id.
CODE_SYSTEMS = {codes.id: codes for codes in (
    FLAG_CODE, FLAG_SEVERITY, CONTACT_KIND, DESIGNATION_KIND, EPISODE_KIND, PROFESSION,
    WARD_SETTING, CHECK_IN_SHARE, CRISIS_PLAN_SECTION, CONSENT_PROVISION, AUDIT_ACTION)}

# HL7's own code systems.
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_CATEGORY = "http://terminology.hl7.org/CodeSystem/consentcategorycodes"
AUDIT_EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
