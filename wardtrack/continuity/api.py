"""Flags and ward policies."""

from dataclasses import asdict

from flask.views import MethodView
from flask_smorest import Blueprint

from wardtrack.access.api import audited_read, audited_ward_read
from wardtrack.auth.access import current_user, require
from wardtrack.auth.models import LEADERS, STAFF
from wardtrack.continuity import operations, queries
from wardtrack.continuity.facts import policy_from
from wardtrack.continuity.models import WardPolicy
from wardtrack.continuity.rules import Policy
from wardtrack.continuity.schemas import (
    FlagSchema,
    NoteSchema,
    PatientFlagQuery,
    PolicySchema,
    ThresholdsSchema,
    WardFlagQuery,
)
from wardtrack.core.pagination import page_schema
from wardtrack.core.schemas import problem_doc
from wardtrack.extensions import db
from wardtrack.organisation.queries import get_staff_ward

blp = Blueprint(
    "continuity", __name__, url_prefix="/api/v1", description="Continuity flags and ward policies"
)
FlagPage = page_schema(FlagSchema, "FlagPage")


@blp.get("/patients/<int:patient_id>/flags")
@require(*STAFF)
@blp.arguments(PatientFlagQuery, location="query")
@blp.response(200, FlagPage)
@blp.alt_response(404, **problem_doc("No such patient within reach"))
def patient_flags(args, patient_id):
    """The patient's flags, newest first, resolved ones included unless `status` says otherwise;
    audited."""
    return audited_read("flags.read", patient_id, _fresh_flags, **args)


def _seen(result: dict) -> dict:
    return {**result, "items": queries.seen_by(current_user(), result["items"])}


def _fresh_flags(patient_id, **args):
    operations.refresh([patient_id])
    return _seen(queries.patient_flags(patient_id, **args))


@blp.get("/wards/<int:ward_id>/flags")
@require(*STAFF)
@blp.arguments(WardFlagQuery, location="query")
@blp.response(200, FlagPage)
@blp.alt_response(404, **problem_doc("No such ward"))
def ward_flags(args, ward_id):
    """Flags of the patients with an active episode on the ward, newest first; unresolved ones by
    default."""
    return audited_ward_read("ward.flags.list", ward_id, _fresh_ward_flags, **args)


def _fresh_ward_flags(ward_id, **args):
    operations.refresh(queries.ward_patient_ids(ward_id))
    return _seen(queries.ward_flags(ward_id, **args))


@blp.post("/flags/<int:flag_id>/<any(acknowledge, resolve):action>")
@require(*LEADERS)
@blp.arguments(NoteSchema)
@blp.response(200, FlagSchema)
@blp.alt_response(404, **problem_doc("No such flag within reach"))
@blp.alt_response(409, **problem_doc("Already acknowledged or resolved"))
def settle_flag(body, flag_id, action):
    """Acknowledge (open → acknowledged) or resolve a flag with a note; team leaders and admins."""
    flag = queries.get_flag(current_user(), flag_id)
    change = operations.acknowledge if action == "acknowledge" else operations.resolve
    flag = change(current_user(), flag, body["note"])
    (seen,) = queries.seen_by(current_user(), [flag])
    db.session.commit()
    return seen


def _policy_view(ward_id: int) -> dict:
    stored = db.session.get(WardPolicy, ward_id)
    overrides = {name: value for name, value in (stored.thresholds if stored else {}).items()
                 if name in Policy.names()}
    return {
        "ward_id": ward_id,
        "thresholds": asdict(policy_from(overrides)),
        "defaults": asdict(Policy()),
        "overrides": overrides,
        "updated_at": stored.updated_at if stored else None,
    }


@blp.route("/wards/<int:ward_id>/policy")
class WardPolicyView(MethodView):
    @require(*LEADERS)
    @blp.response(200, PolicySchema)
    @blp.alt_response(404, **problem_doc("No such ward"))
    def get(self, ward_id):
        """Every threshold of the ward with its effective value, the ward's overrides and the
        defaults."""
        get_staff_ward(current_user(), ward_id)
        return _policy_view(ward_id)

    @require(*LEADERS)
    @blp.arguments(ThresholdsSchema)
    @blp.response(200, PolicySchema)
    @blp.alt_response(404, **problem_doc("No such ward"))
    def put(self, body, ward_id):
        """Replace the ward's thresholds: names left out take the default. The ward's flags
        follow."""
        get_staff_ward(current_user(), ward_id)
        operations.set_policy(current_user(), ward_id, body)
        db.session.commit()
        return _policy_view(ward_id)
