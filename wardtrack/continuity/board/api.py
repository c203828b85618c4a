"""Continuity measures of a patient and the team leader's ward board."""

from flask_smorest import Blueprint

from wardtrack.access.api import audited_read, audited_ward_read
from wardtrack.audit.operations import record
from wardtrack.auth.access import current_user, require
from wardtrack.auth.models import STAFF
from wardtrack.continuity import operations
from wardtrack.continuity.board import queries, ward_history
from wardtrack.continuity.board.schemas import (
    BoardSchema,
    ContinuityQuery,
    MeasuresSchema,
    WardHistoryQuery,
    WardHistorySchema,
)
from wardtrack.core.schemas import problem_doc
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.organisation.queries import get_staff_ward

blp = Blueprint(
    "board", __name__, url_prefix="/api/v1", description="Continuity measures and the ward board"
)


@blp.get("/patients/<int:patient_id>/continuity")
@require(*STAFF)
@blp.arguments(ContinuityQuery, location="query")
@blp.response(200, MeasuresSchema)
@blp.alt_response(404, **problem_doc("No such patient within your reach"))
def patient_continuity(args, patient_id):
    """Continuity measures over the last `days` days, optionally for one profession, computed
    live."""
    return audited_read(
        "continuity.read", patient_id, queries.patient_measures, args["days"], args["profession"]
    )


@blp.get("/wards/<int:ward_id>/board")
@require(*STAFF)
@blp.response(200, BoardSchema)
@blp.alt_response(403, **problem_doc("Not staff of this ward"))
@blp.alt_response(404, **problem_doc("No such ward"))
def ward_board(ward_id):
    """The ward board: every patient with an active episode here, flagged patients first.

    For the staff of the ward (nurses, team leaders) and admins, like the ward's patient and flag
    lists. Reads maintained snapshots and who-met-whom summaries, never contact history, in a number
    of queries that does not grow with the number of patients.
    """
    ward = get_staff_ward(current_user(), ward_id)
    board = queries.board_patients(ward.id)
    operations.refresh([entry["patient"]["id"] for entry in board])
    patients = queries.ward_board(current_user(), board)
    record("ward.board.read", object_type="ward", object_id=ward.id)
    db.session.commit()
    return {
        "ward_id": ward.id,
        "ward_name": ward.name,
        "generated_at": utcnow(),
        "patients": patients,
    }


@blp.get("/wards/<int:ward_id>/continuity-history")
@require(*STAFF)
@blp.arguments(WardHistoryQuery, location="query")
@blp.response(200, WardHistorySchema)
@blp.alt_response(403, **problem_doc("Not staff of this ward"))
@blp.alt_response(404, **problem_doc("No such ward"))
def ward_continuity_history(args, ward_id):
    """The ward picture over time: per week, the share of patients with a safety person and the
    median kpc.

    For the staff of the ward and admins, like the board. Aggregates only: no patient is named.
    """
    return audited_ward_read("ward.continuity_history.read", ward_id, ward_history.ward_history,
                             args["weeks"])
