"""A patient's access log: who read their record and crisis plan, from the audit trail."""

import sqlalchemy as sa

from wardtrack.audit.models import AuditEvent
from wardtrack.auth.models import EmergencyAccess, User
from wardtrack.core.pagination import decode_cursor, page
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional

GRANT = "emergency_access.grant"
# The audit actions that read a patient's record or crisis plan (the version list shows who wrote it when).
READS = ("patient.read", "contacts.read", "relationships.read", "continuity.read", "flags.read", "crisis_plan.read",
         "crisis_plan.versions.read")


def access_log(user: User, limit: int, cursor: str | None) -> dict:
    """Reads of the user's own record and crisis plan by others, and emergency accesses with their reasons.

    Newest first, one item per audit event (one per read). The patient's own reads are left out.
    `who` is the reader's professional name when their account is linked to one, else the username.
    """
    query = (
        sa.select(AuditEvent.id, AuditEvent.at, AuditEvent.actor_role, AuditEvent.action, AuditEvent.object_id,
                  sa.func.coalesce(Professional.name, User.username).label("who"))
        .join(User, User.id == AuditEvent.actor_user_id)
        .outerjoin(Professional, Professional.id == User.professional_id)
        .where(AuditEvent.patient_id == user.patient_id, AuditEvent.action.in_((*READS, GRANT)),
               AuditEvent.actor_user_id != user.id, AuditEvent.actor_role != "patient")
        .order_by(AuditEvent.id.desc()).limit(limit + 1)
    )
    if cursor:
        (last_id,) = decode_cursor(cursor, 1, (int,))
        query = query.where(AuditEvent.id < last_id)
    rows = db.session.execute(query).all()
    reasons = _reasons([row.object_id for row in rows if row.action == GRANT], user.patient_id)
    items = [{"id": row.id, "at": row.at, "who": row.who, "role": row.actor_role, "action": row.action,
              **({"reason": reasons.get(row.object_id)} if row.action == GRANT else {})} for row in rows]
    result = page(items, limit, lambda item: [item["id"]])
    for item in result["items"]:
        del item["id"]
    return result


def _reasons(object_ids: list[str], patient_id: int) -> dict[str, str]:
    """The reasons of the grants the audit events point at, by the events' object ids."""
    ids = [int(value) for value in object_ids if value and value.isdigit()]
    if not ids:
        return {}
    found = db.session.execute(sa.select(EmergencyAccess.id, EmergencyAccess.reason).where(
        EmergencyAccess.id.in_(ids), EmergencyAccess.patient_id == patient_id))
    return {str(access_id): reason for access_id, reason in found}
