"""Break-the-glass: granting emergency access to a patient outside one's reach, and reviewing grants.

The grant itself and the reach rule that honours it live in `auth`; this module needs patients and
professionals, which `auth` may not import.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from wardtrack.audit.operations import record
from wardtrack.auth.access import patient_reach
from wardtrack.auth.models import EmergencyAccess, User
from wardtrack.core.errors import Conflict, Forbidden, NotFound
from wardtrack.core.pagination import decode_cursor, page
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional
from wardtrack.patients.models import Patient

OBJECT_TYPE = "emergency_access"
STATUSES = ("unreviewed", "reviewed")


def grant(user: User, patient_id: int, reason: str) -> EmergencyAccess:
    """Open a patient outside the user's wards for EMERGENCY_ACCESS_HOURS, audited as `emergency_access.grant`.

    404 for an unknown patient; 409 when the user already reaches the patient through their wards
    (a grant would only add noise to the review list). A live grant may be renewed with a new reason.
    """
    if db.session.get(Patient, patient_id) is None:
        raise NotFound(f"No patient {patient_id}.")
    reached = sa.select(Patient.id).where(Patient.id == patient_id, patient_reach(user, Patient.id, grants=False))
    if db.session.scalar(reached) is not None:
        raise Conflict(f"Patient {patient_id} is already within your reach; no emergency access is needed.")
    now = utcnow()
    access = EmergencyAccess(user_id=user.id, patient_id=patient_id, reason=reason, granted_at=now,
                             expires_at=now + timedelta(hours=current_app.config["EMERGENCY_ACCESS_HOURS"]))
    db.session.add(access)
    db.session.flush()
    record("emergency_access.grant", patient_id=patient_id, object_type=OBJECT_TYPE, object_id=access.id)
    return access


def _reviewable(user: User):
    """SQL condition on EmergencyAccess: admins review every grant, team leaders those for patients their
    wards reach (the same rule as their own reach, grants left out)."""
    return patient_reach(user, EmergencyAccess.patient_id, grants=False)


def review(user: User, access_id: int, note: str) -> EmergencyAccess:
    """Mark a grant reviewed with a note, audited as `emergency_access.review`.

    404 for a grant the user may not review; 403 for one's own grant; 409 when already reviewed.
    The update is conditional, so that two leaders reviewing at once cannot both succeed.
    """
    access = db.session.scalar(sa.select(EmergencyAccess).where(EmergencyAccess.id == access_id, _reviewable(user)))
    if access is None:
        raise NotFound(f"No emergency access {access_id} for you to review.")
    if access.user_id == user.id:
        raise Forbidden("Someone else must review your own emergency access.")
    done = db.session.execute(
        sa.update(EmergencyAccess).where(EmergencyAccess.id == access_id, EmergencyAccess.reviewed_at.is_(None))
        .values(reviewed_at=utcnow(), reviewed_by=user.id, review_note=note))
    if done.rowcount != 1:
        raise Conflict(f"Emergency access {access_id} was already reviewed.")
    record("emergency_access.review", patient_id=access.patient_id, object_type=OBJECT_TYPE, object_id=access.id)
    db.session.refresh(access)
    return access


def _item(access: EmergencyAccess, who: str, now) -> dict:
    return {"id": access.id, "patient_id": access.patient_id, "user_id": access.user_id, "who": who,
            "reason": access.reason, "granted_at": access.granted_at, "expires_at": access.expires_at,
            "active": access.expires_at > now, "reviewed_at": access.reviewed_at,
            "reviewed_by": access.reviewed_by, "review_note": access.review_note}


def grant_view(access: EmergencyAccess) -> dict:
    """A grant ready for EmergencyAccessSchema."""
    user = db.session.get(User, access.user_id)
    professional = db.session.get(Professional, user.professional_id) if user.professional_id else None
    return _item(access, professional.name if professional else user.username, utcnow())


def for_review(user: User, status: str | None, limit: int, cursor: str | None) -> dict:
    """Grants the user reviews, newest first; `status` narrows to unreviewed or reviewed ones."""
    grantee, professional = aliased(User, name="grantee"), aliased(Professional, name="grantee_professional")
    query = (sa.select(EmergencyAccess, sa.func.coalesce(professional.name, grantee.username))
             .join(grantee, grantee.id == EmergencyAccess.user_id)
             .outerjoin(professional, professional.id == grantee.professional_id)
             .where(_reviewable(user)).order_by(EmergencyAccess.id.desc()).limit(limit + 1))
    if status == "unreviewed":
        query = query.where(EmergencyAccess.reviewed_at.is_(None))
    elif status == "reviewed":
        query = query.where(EmergencyAccess.reviewed_at.is_not(None))
    if cursor:
        (last_id,) = decode_cursor(cursor, 1, (int,))
        query = query.where(EmergencyAccess.id < last_id)
    now = utcnow()
    rows = [_item(access, who, now) for access, who in db.session.execute(query)]
    return page(rows, limit, lambda row: [row["id"]])

