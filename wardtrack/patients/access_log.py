"""A patient's access log: who read their record and crisis plan, from the audit trail."""

import sqlalchemy as sa

from wardtrack.audit.models import AuditEvent
from wardtrack.auth.models import EmergencyAccess, User
from wardtrack.core.pagination import decode_cursor, page
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional
from wardtrack.patients.models import OutsideAdmission
from wardtrack.patients.operations import OUTSIDE_ADMISSION_ACTION

GRANT = "emergency_access.grant"
# How someone from outside came to reach the patient: these items carry the reason they gave.
WITH_REASON = {GRANT: EmergencyAccess, OUTSIDE_ADMISSION_ACTION: OutsideAdmission}
# The audit actions that read a patient's record or crisis plan (the version list shows who wrote it when).
READS = ("patient.read", "contacts.read", "relationships.read", "continuity.read", "flags.read", "crisis_plan.read",
         "crisis_plan.versions.read")


def access_log(user: User, limit: int, cursor: str | None) -> dict:
    """Reads of the user's own record and crisis plan by others, and emergency accesses and admissions from
    outside the admitter's reach, with their reasons.

    Newest first, one item per audit event (one per read). The patient's own reads are left out.
    `who` is the reader's professional name when their account is linked to one, else the username.
    """
    query = (
        sa.select(AuditEvent.id, AuditEvent.at, AuditEvent.actor_role, AuditEvent.action, AuditEvent.object_id,
                  sa.func.coalesce(Professional.name, User.username).label("who"))
        .join(User, User.id == AuditEvent.actor_user_id)
        .outerjoin(Professional, Professional.id == User.professional_id)
        .where(AuditEvent.patient_id == user.patient_id, AuditEvent.action.in_((*READS, *WITH_REASON)),
               AuditEvent.actor_user_id != user.id, AuditEvent.actor_role != "patient")
        .order_by(AuditEvent.id.desc()).limit(limit + 1)
    )
    if cursor:
        (last_id,) = decode_cursor(cursor, 1, (int,))
        query = query.where(AuditEvent.id < last_id)
    rows = db.session.execute(query).all()
    reasons = {action: _reasons(model, [row.object_id for row in rows if row.action == action], user.patient_id)
               for action, model in WITH_REASON.items()}
    items = [{"id": row.id, "at": row.at, "who": row.who, "role": row.actor_role, "action": row.action,
              **({"reason": reasons[row.action].get(row.object_id)} if row.action in reasons else {})}
             for row in rows]
    result = page(items, limit, lambda item: [item["id"]])
    for item in result["items"]:
        del item["id"]
    return result


def _reasons(model, object_ids: list[str], patient_id: int) -> dict[str, str]:
    """The reasons of the grants (or outside admissions) the audit events point at, by the events' object ids."""
    ids = [int(value) for value in object_ids if value and value.isdigit()]
    if not ids:
        return {}
    found = db.session.execute(sa.select(model.id, model.reason).where(
        model.id.in_(ids), model.patient_id == patient_id))
    return {str(row_id): reason for row_id, reason in found}
