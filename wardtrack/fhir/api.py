"""The read-only FHIR R4 endpoint under /fhir/r4: the same callers, reach and audit as the API, in
FHIR's JSON (docs/fhir.md).

Every route is declared through `read()` or `search()`, which also fill CAPABILITIES, so that the
CapabilityStatement at /metadata lists exactly what the routes serve. A read of something unknown
or out of reach is a 404 OperationOutcome; a search on a patient out of reach is an empty Bundle
(and no audit event: nothing was read)."""

import functools
import json
import re
from urllib.parse import urlencode

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from flask import Blueprint, Response, request
from werkzeug.exceptions import HTTPException

from wardtrack.audit.operations import record
from wardtrack.auth.access import current_user, require
from wardtrack.auth.models import ROLES, STAFF
from wardtrack.checkins import queries as checkins
from wardtrack.continuity import operations as continuity_operations
from wardtrack.continuity.queries import seen_by
from wardtrack.core.db import MAX_ID
from wardtrack.core.errors import DomainError, Invalid, NotFound
from wardtrack.core.pagination import decode_cursor, encode_cursor
from wardtrack.core.time import utcnow
from wardtrack.crisisplans import envelope
from wardtrack.crisisplans import queries as crisisplans
from wardtrack.extensions import db
from wardtrack.fhir import queries, resources
from wardtrack.fhir.codes import CODE_SYSTEMS, setting
from wardtrack.fhir.resources import FHIR_JSON, QUESTIONNAIRES
from wardtrack.organisation.queries import get_professional, get_ward

bp = Blueprint("fhir", __name__, url_prefix="/fhir/r4")
FHIR_VERSION = "4.0.1"
PATIENT_TOO = (*STAFF, "patient")
DEFAULT_COUNT, MAX_COUNT = 50, 500
#: Accepted by every search besides its own parameters.
PAGING = ("_count", "_cursor")
#: {resource type: {"read": bool, "search": {name: (FHIR search type, documentation)}}}
CAPABILITIES: dict[str, dict] = {}
_ISSUE_CODES = {400: "invalid", 401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported",
                409: "conflict", 413: "too-long", 422: "invalid", 429: "throttled"}


class BadSearch(DomainError):
    status = 400


def fhir(body: dict, status: int = 200, headers=None) -> Response:
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=FHIR_JSON)
    if headers:
        response.headers.extend(headers)
    return response


def _outcome_response(status: int, detail: str) -> Response:
    db.session.rollback()
    code = _ISSUE_CODES.get(status, "processing" if status < 500 else "exception")
    headers = {"WWW-Authenticate": 'Bearer realm="wardtrack"'} if status == 401 else None
    return fhir(resources.outcome("error", code, detail), status, headers)


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError):
    status = 400 if isinstance(error, Invalid) else error.status
    return _outcome_response(status, error.detail)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    return _outcome_response(error.code or 500, error.description or "")


def _declare(kind: str, interaction: str, params: dict | None = None) -> None:
    entry = CAPABILITIES.setdefault(kind, {"read": False, "search": None})
    if interaction == "read":
        entry["read"] = True
    else:
        entry["search"] = params


def read(kind: str, rule: str, *roles: str):
    """A read route, `GET /fhir/r4/<kind>/<id>`; the view returns the resource (a dict)."""
    _declare(kind, "read")

    def decorator(view):
        @functools.wraps(view)
        def wrapped(**kwargs):
            return fhir(view(**kwargs))

        guarded = require(*roles)(wrapped) if roles else wrapped
        bp.add_url_rule(f"/{kind}/{rule}", endpoint=view.__name__, view_func=guarded, methods=["GET"])
        return view

    return decorator


def search(kind: str, params: dict, *roles: str):
    """A search route, `GET /fhir/r4/<kind>?…`: unknown or repeated parameters are a 400; the view
    gets the parameters and returns every matching resource ([(type, resource)]), and the search
    answers a page of them as a `searchset` Bundle."""
    _declare(kind, "search", params)

    def decorator(view):
        @functools.wraps(view)
        def wrapped():
            args, count, offset = _search_args(kind, params)
            found = view(**args)
            db.session.commit()  # the audit events the view recorded
            return fhir(_bundle(kind, found, count, offset))

        bp.add_url_rule(f"/{kind}", endpoint=view.__name__, view_func=require(*roles)(wrapped), methods=["GET"])
        return view

    return decorator


def _search_args(kind: str, params: dict) -> tuple[dict, int, int]:
    args = {}
    for name in request.args:
        values = request.args.getlist(name)
        if name not in params and name not in PAGING:
            known = ", ".join([*params, *PAGING])
            raise BadSearch(f"Unknown search parameter {name!r} for {kind}; supported: {known}.")
        if len(values) != 1:
            raise BadSearch(f"Search parameter {name!r} may be given once.")
        if name in params:
            args[name] = values[0]
    missing = [name for name in params if name not in args]
    if missing:
        raise BadSearch(f"{kind} is searched by {' and '.join(missing)}.")
    count = request.args.get("_count", str(DEFAULT_COUNT))
    if not count.isdigit() or int(count) < 1:
        raise BadSearch("_count must be a positive whole number.")
    offset = 0
    if "_cursor" in request.args:
        try:
            cursor_kind, offset = decode_cursor(request.args["_cursor"], 2, (str, int))
        except DomainError:
            raise BadSearch("_cursor is not one this server gave out.") from None
        if cursor_kind != kind or offset < 0:
            raise BadSearch("_cursor is not one this server gave out.")
    return args, min(int(count), MAX_COUNT), offset


def _bundle(kind: str, found: list, count: int, offset: int) -> dict:
    root = request.url_root.rstrip("/") + bp.url_prefix
    page = found[offset:offset + count]
    links = [{"relation": "self", "url": request.url}, _cursor_link("first", kind, 0)]
    if offset + count < len(found):
        links.append(_cursor_link("next", kind, offset + count))
    if offset > 0:
        links.append(_cursor_link("previous", kind, max(offset - count, 0)))
    entries = [{"fullUrl": f"{root}/{resource['resourceType']}/{resource['id']}", "resource": resource,
                "search": {"mode": "match" if resource["resourceType"] == kind else "include"}}
               for resource in page]
    return resources.emit(Bundle(type="searchset", total=len(found), link=links, entry=entries or None,
                                 timestamp=resources.instant(utcnow())))


def _cursor_link(relation: str, kind: str, offset: int) -> dict:
    params = [(name, value) for name, value in request.args.items(multi=True) if name != "_cursor"]
    if offset:
        params.append(("_cursor", encode_cursor([kind, offset])))
    query = urlencode(params)
    return {"relation": relation, "url": request.base_url + (f"?{query}" if query else "")}


def _id(value: str, kind: str) -> int:
    """`Patient/12` or `12` (for a reference to `kind`) as an id; a 400 for anything else."""
    match = re.fullmatch(rf"(?:{kind}/)?([0-9]{{1,12}})", value.strip())
    if match is None:
        raise BadSearch(f"{value!r} is not a reference to a {kind} (`{kind}/<id>`).")
    return int(match.group(1))


def _patient(value: str):
    """The patient a search names, when the caller reaches them; None otherwise (an empty Bundle)."""
    return queries.patient_in_reach(current_user(), _id(value, "Patient"))


def _audit(action: str, kind: str, patient_id: int, object_id=None) -> None:
    record(action, patient_id=patient_id, object_type=f"fhir.{kind}",
           object_id=patient_id if object_id is None else object_id)


# The server's own description.

@bp.get("/metadata")
def metadata():
    """The CapabilityStatement: exactly the interactions and search parameters the routes serve."""
    return fhir(capability_statement())


def capability_statement() -> dict:
    described = []
    for kind in sorted(CAPABILITIES):
        entry = CAPABILITIES[kind]
        interactions = ([{"code": "read"}] if entry["read"] else []) + (
            [{"code": "search-type"}] if entry["search"] is not None else [])
        item = {"type": kind, "interaction": interactions}
        if entry["search"]:
            item["searchParam"] = [{"name": name, "type": kind_, "documentation": doc}
                                   for name, (kind_, doc) in entry["search"].items()]
        described.append(item)
    return resources.emit(CapabilityStatement(
        status="active", date=resources.instant(utcnow()), kind="instance", fhirVersion=FHIR_VERSION,
        format=["json"], publisher="wardtrack",
        software={"name": "wardtrack"},
        implementation={"description": "wardtrack read-only FHIR endpoint",
                        "url": request.url_root.rstrip("/") + bp.url_prefix},
        rest=[{"mode": "server",
               "documentation": "Read-only. Searches page with _count (at most 500) and the links' _cursor.",
               "security": {"description": "A bearer token (flask users token) or a wardtrack session; "
                                           "the API's roles, reach and audit apply (docs/fhir.md)."},
               "resource": described}]))


# Who and where.

@read("Patient", "<int:patient_id>", *PATIENT_TOO)
def read_patient(patient_id):
    patient = queries.patient_in_reach(current_user(), patient_id)
    if patient is None:
        raise NotFound(f"No Patient/{patient_id} within your reach.")
    resource = resources.patient(patient, queries.has_active_episode(patient.id))
    _audit("patient.read", "Patient", patient.id)
    db.session.commit()
    return resource


@search("Patient", {"identifier": ("token", "The patient's identifier: `[system|]value`")}, *PATIENT_TOO)
def search_patients(identifier):
    system, bar, value = identifier.rpartition("|")
    if bar and system and system != setting("FHIR_PATIENT_IDENTIFIER_SYSTEM"):
        return []
    found = []
    for patient in queries.patients_by_identifier(current_user(), value if bar else identifier):
        found.append(resources.patient(patient, queries.has_active_episode(patient.id)))
        _audit("patient.read", "Patient", patient.id)
    return found


@read("Practitioner", "<int:professional_id>", *STAFF)
def read_practitioner(professional_id):
    return resources.practitioner(get_professional(professional_id))


@search("PractitionerRole", {"practitioner": ("reference", "`Practitioner/<id>`: the ward memberships")},
        *STAFF)
def search_practitioner_roles(practitioner):
    professional_id = _id(practitioner, "Practitioner")
    if professional_id > MAX_ID:
        return []
    try:
        professional = get_professional(professional_id)
    except NotFound:
        return []
    today = utcnow().date()
    return [resources.practitioner_role(m, professional, today) for m in queries.memberships(professional.id)]


@read("Organization", "<int:ward_id>", *STAFF)
def read_organization(ward_id):
    return resources.organization(get_ward(ward_id))


@read("Location", "<int:ward_id>", *STAFF)
def read_location(ward_id):
    return resources.location(get_ward(ward_id))


# The patient's care.

_SUBJECT = {"subject": ("reference", "`Patient/<id>`")}
_PATIENT = {"patient": ("reference", "`Patient/<id>`")}


@search("CareTeam", _SUBJECT, *STAFF)
def search_care_teams(subject):
    patient = _patient(subject)
    if patient is None:
        return []
    found = [resources.care_team(patient, queries.designations(patient.id))]
    _audit("relationships.read", "CareTeam", patient.id)
    return found


@search("EpisodeOfCare", _PATIENT, *STAFF)
def search_episodes(patient):
    patient = _patient(patient)
    if patient is None:
        return []
    found = [resources.episode_of_care(e) for e in reversed(queries.episodes(patient.id))]
    _audit("patient.read", "EpisodeOfCare", patient.id)
    return found


@search("Encounter", _SUBJECT, *STAFF)
def search_encounters(subject):
    patient = _patient(subject)
    if patient is None:
        return []
    episodes = queries.episodes(patient.id)
    found = [resources.encounter(contact, name, queries.episode_at(episodes, contact.occurred_at))
             for contact, name in queries.contacts(patient.id)]
    _audit("contacts.read", "Encounter", patient.id)
    return found


@search("Flag", _SUBJECT, *STAFF)
def search_flags(subject):
    patient = _patient(subject)
    if patient is None:
        return []
    continuity_operations.refresh([patient.id])  # as the API's flag list: never older than the contacts
    found = [resources.flag(flag) for flag in seen_by(current_user(), queries.flags(patient.id))]
    _audit("flags.read", "Flag", patient.id)
    return found


def _plan(reference, resource_type: str):
    """The referenced patient's latest crisis-plan version and its decrypted content, the read audited
    as the API audits it (the version list's read when there is none yet); None out of reach or
    without a plan."""
    patient = _patient(reference)
    if patient is None:
        return None
    row = crisisplans.latest(patient.id)
    if row is None:
        _audit("crisis_plan.versions.read", resource_type, patient.id)
        return None
    content = crisisplans.plan_view(envelope.keyring(), row)
    _audit("crisis_plan.read", resource_type, patient.id, row.id)
    return row, content


@search("CarePlan", _SUBJECT, *PATIENT_TOO)
def search_care_plans(subject):
    found = _plan(subject, "CarePlan")
    return [resources.care_plan(*found)] if found else []


@search("Consent", _PATIENT, *PATIENT_TOO)
def search_consents(patient):
    found = _plan(patient, "Consent")
    return [resources.consent(*found)] if found and resources.has_directive(found[1]) else []


# Check-ins.

@search("QuestionnaireResponse", _SUBJECT, *PATIENT_TOO)
def search_questionnaire_responses(subject):
    """The patient's own check-ins, all of them; for staff, those the patient's sharing choice lets
    them read (checkins.queries.visible_to)."""
    patient = _patient(subject)
    if patient is None:
        return []
    user = current_user()
    condition = None if user.role == "patient" else checkins.visible_to(user)
    views = checkins.check_ins(patient.id, MAX_ID, None, condition)["items"]
    _audit("check_ins.read", "QuestionnaireResponse", patient.id)
    return [resources.questionnaire_response(view) for view in views]


def _questionnaire_view(kind: str):
    def view():
        return resources.questionnaire(kind)

    view.__name__ = f"read_questionnaire_{kind}"
    return view


for _kind, _questionnaire_id in QUESTIONNAIRES.items():
    read("Questionnaire", _questionnaire_id, *ROLES)(_questionnaire_view(_kind))


# The access log.

@search("AuditEvent", _PATIENT, "patient")
def search_audit_events(patient):
    """The patient's own access log (patients only, as GET /api/v1/me/access-log)."""
    user = current_user()
    patient = _patient(patient)
    if patient is None or patient.id != user.patient_id:
        return []
    found = [resources.audit_event(item) for item in queries.access_log(patient.id, user.id)]
    _audit("access_log.read", "AuditEvent", patient.id)
    return found


# wardtrack's own CodeSystems.

def _code_system_view(system_id: str):
    def view():
        return resources.code_system(CODE_SYSTEMS[system_id])

    view.__name__ = f"read_code_system_{system_id.replace('-', '_')}"
    return view


for _system_id in CODE_SYSTEMS:
    read("CodeSystem", _system_id, *ROLES)(_code_system_view(_system_id))
