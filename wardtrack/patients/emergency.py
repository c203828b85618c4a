"""Break-the-glass: granting emergency access to a patient outside one's reach, and reviewing grants and
admissions of patients from outside the admitter's reach (patients.operations.admit).

The grant itself and the reach rule that honours it live in `auth`; this module needs patients and
professionals, which `auth` may not import.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from wardtrack.audit.operations import record
from wardtrack.auth.access import patient_reach
from wardtrack.auth.models import EmergencyAccess, User, UserWard
from wardtrack.core.errors import Conflict, Forbidden, Invalid, NotFound
from wardtrack.core.pagination import decode_cursor, page
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional
from wardtrack.patients.models import Episode, OutsideAdmission, Patient

OBJECT_TYPE = "emergency_access"
ADMISSION = "outside_admission"
KINDS = (OBJECT_TYPE, ADMISSION)
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
    """Mark a grant reviewed with a note, audited as `emergency_access.review` (see _review for the answers)."""
    return _review(user, EmergencyAccess, access_id, _reviewable(user), note, OBJECT_TYPE)


def _reviews_admissions(user: User):
    """SQL condition on OutsideAdmission: admins review every one, team leaders those from their wards (the
    ward the patient was known on before), whatever reach the new episode gave."""
    if user.role == "admin":
        return sa.true()
    return OutsideAdmission.from_ward_id.in_(sa.select(UserWard.ward_id).where(UserWard.user_id == user.id))


def review_admission(user: User, admission_id: int, note: str) -> OutsideAdmission:
    """Mark an outside admission reviewed with a note, audited as `outside_admission.review`."""
    return _review(user, OutsideAdmission, admission_id, _reviews_admissions(user), note, ADMISSION)


def _review(user: User, model, row_id: int, reviewable, note: str, object_type: str):
    """Review a grant or an admission: 404 for one the user may not review, 403 for one's own, 409 when
    already reviewed. The update is conditional, so that two leaders reviewing at once cannot both succeed."""
    what = object_type.replace("_", " ")
    row = db.session.scalar(sa.select(model).where(model.id == row_id, reviewable))
    if row is None:
        raise NotFound(f"No {what} {row_id} for you to review.")
    if row.user_id == user.id:
        raise Forbidden(f"Someone else must review your own {what}.")
    done = db.session.execute(sa.update(model).where(model.id == row_id, model.reviewed_at.is_(None))
                              .values(reviewed_at=utcnow(), reviewed_by=user.id, review_note=note))
    if done.rowcount != 1:
        raise Conflict(f"{what.capitalize()} {row_id} was already reviewed.")
    record(f"{object_type}.review", patient_id=row.patient_id, object_type=object_type, object_id=row.id)
    db.session.refresh(row)
    return row


def _name(user_id):
    """SQL: a user's professional name, else their username."""
    return (sa.select(sa.func.coalesce(Professional.name, User.username))
            .select_from(User).outerjoin(Professional, Professional.id == User.professional_id)
            .where(User.id == user_id).scalar_subquery())


def _kind(kind: str):
    # A literal in the SQL, not a parameter: PostgreSQL must know its type in a UNION.
    return sa.literal_column(f"'{kind}'", sa.String()).label("kind")


def _none(column, label: str):
    """A typed NULL for a column the other side of the union has."""
    return sa.cast(sa.null(), column.type).label(label)


def _grant_rows(user: User):
    access = EmergencyAccess
    return sa.select(
        _kind(OBJECT_TYPE), access.id, access.patient_id, access.user_id, access.reason,
        access.granted_at.label("at"), access.expires_at, _none(Episode.id, "episode_id"),
        _none(Episode.ward_id, "ward_id"), _none(Episode.ended_at, "episode_ended_at"), access.reviewed_at,
        access.reviewed_by, access.review_note).where(_reviewable(user))


def _admission_rows(user: User):
    admission = OutsideAdmission
    return sa.select(
        _kind(ADMISSION), admission.id, admission.patient_id, admission.user_id,
        admission.reason, admission.admitted_at.label("at"), _none(EmergencyAccess.expires_at, "expires_at"),
        admission.episode_id,
        Episode.ward_id, Episode.ended_at.label("episode_ended_at"), admission.reviewed_at, admission.reviewed_by,
        admission.review_note).join(Episode, Episode.id == admission.episode_id).where(_reviews_admissions(user))


def _row_item(row, now) -> dict:
    active = row.expires_at > now if row.kind == OBJECT_TYPE else row.episode_ended_at is None
    return {"kind": row.kind, "id": row.id, "patient_id": row.patient_id, "user_id": row.user_id,
            "who": row.who, "reason": row.reason, "granted_at": row.at, "expires_at": row.expires_at,
            "active": active, "episode_id": row.episode_id, "ward_id": row.ward_id,
            "reviewed_at": row.reviewed_at, "reviewed_by": row.reviewed_by, "review_note": row.review_note}


def _item(access: EmergencyAccess, who: str, now) -> dict:
    return {"kind": OBJECT_TYPE, "id": access.id, "patient_id": access.patient_id, "user_id": access.user_id,
            "who": who, "reason": access.reason, "granted_at": access.granted_at, "expires_at": access.expires_at,
            "active": access.expires_at > now, "reviewed_at": access.reviewed_at,
            "reviewed_by": access.reviewed_by, "review_note": access.review_note}


def _who(user_id: int) -> str:
    user = db.session.get(User, user_id)
    professional = db.session.get(Professional, user.professional_id) if user.professional_id else None
    return professional.name if professional else user.username


def grant_view(access: EmergencyAccess) -> dict:
    """A grant ready for EmergencyAccessSchema."""
    return _item(access, _who(access.user_id), utcnow())


def admission_view(admission: OutsideAdmission) -> dict:
    """An outside admission ready for EmergencyAccessSchema."""
    episode = admission.episode
    return {"kind": ADMISSION, "id": admission.id, "patient_id": admission.patient_id, "user_id": admission.user_id,
            "who": _who(admission.user_id), "reason": admission.reason, "granted_at": admission.admitted_at,
            "expires_at": None, "active": episode.ended_at is None, "episode_id": episode.id,
            "ward_id": episode.ward_id, "reviewed_at": admission.reviewed_at, "reviewed_by": admission.reviewed_by,
            "review_note": admission.review_note}


def for_review(user: User, status: str | None, limit: int, cursor: str | None) -> dict:
    """Emergency accesses and outside admissions the user reviews, newest first; `status` narrows to
    unreviewed or reviewed ones."""
    rows = sa.union_all(_grant_rows(user), _admission_rows(user)).subquery("reviews")
    query = (sa.select(rows, _name(rows.c.user_id).label("who"))
             .order_by(rows.c.at.desc(), rows.c.kind.desc(), rows.c.id.desc()).limit(limit + 1))
    if status == "unreviewed":
        query = query.where(rows.c.reviewed_at.is_(None))
    elif status == "reviewed":
        query = query.where(rows.c.reviewed_at.is_not(None))
    if cursor:
        at, kind, last_id = decode_cursor(cursor, 3, (str, str, int))
        query = query.where(sa.tuple_(rows.c.at, rows.c.kind, rows.c.id) < sa.tuple_(_when(at), kind, last_id))
    now = utcnow()
    items = [_row_item(row, now) for row in db.session.execute(query)]
    return page(items, limit, lambda item: [item["granted_at"].isoformat(), item["kind"], item["id"]])


def _when(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise Invalid("cursor", "Not a cursor this service gave out.")
    return when
