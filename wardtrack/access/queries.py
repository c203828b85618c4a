"""Reads through reach: a patient or episode the caller reaches, the grants and outside admissions up for
review, and a patient's access log (who read their record, from the audit trail)."""

from datetime import datetime

import sqlalchemy as sa

from wardtrack.access.models import EmergencyAccess, OutsideAdmission
from wardtrack.access.reach import patient_reach
from wardtrack.audit.models import AuditEvent
from wardtrack.auth.models import User, UserWard
from wardtrack.core.errors import Invalid, NotFound
from wardtrack.core.pagination import decode_cursor, page
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional
from wardtrack.patients.models import Episode, Patient

OBJECT_TYPE = "emergency_access"
ADMISSION = "outside_admission"
KINDS = (OBJECT_TYPE, ADMISSION)
STATUSES = ("unreviewed", "reviewed")
#: The audit action of an admission of a patient from outside the admitter's reach.
OUTSIDE_ADMISSION_ACTION = "episode.admit_outside"


def grants_reviewable_by(user: User):
    """SQL condition on EmergencyAccess: admins review every grant, team leaders those for patients their
    wards reach (the same rule as their own reach, grants left out)."""
    return patient_reach(user, EmergencyAccess.patient_id, grants=False)


def admissions_reviewable_by(user: User):
    """SQL condition on OutsideAdmission: admins review every one, team leaders those from their wards (the
    ward the patient was known on before), whatever reach the new episode gave."""
    if user.role == "admin":
        return sa.true()
    return OutsideAdmission.from_ward_id.in_(sa.select(UserWard.ward_id).where(UserWard.user_id == user.id))


def get_patient(user, patient_id: int) -> Patient:
    """A patient the user reaches; 404 otherwise, so that existence does not leak."""
    patient = db.session.scalar(sa.select(Patient).where(Patient.id == patient_id, patient_reach(user, Patient.id)))
    if patient is None:
        raise NotFound(f"No patient {patient_id} within your reach.")
    return patient


def get_episode(user, episode_id: int) -> Episode:
    """An episode of a patient the user reaches, or 404."""
    episode = db.session.scalar(
        sa.select(Episode).where(Episode.id == episode_id, patient_reach(user, Episode.patient_id)))
    if episode is None:
        raise NotFound(f"No episode {episode_id} within your reach.")
    return episode


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
        access.reviewed_by, access.review_note).where(grants_reviewable_by(user))


def _admission_rows(user: User):
    admission = OutsideAdmission
    return sa.select(
        _kind(ADMISSION), admission.id, admission.patient_id, admission.user_id,
        admission.reason, admission.admitted_at.label("at"), _none(EmergencyAccess.expires_at, "expires_at"),
        admission.episode_id,
        Episode.ward_id, Episode.ended_at.label("episode_ended_at"), admission.reviewed_at, admission.reviewed_by,
        admission.review_note).join(Episode, Episode.id == admission.episode_id).where(admissions_reviewable_by(user))


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


GRANT = "emergency_access.grant"
# How someone from outside came to reach the patient: these items carry the reason they gave.
WITH_REASON = {GRANT: EmergencyAccess, OUTSIDE_ADMISSION_ACTION: OutsideAdmission}
# The audit actions that read a patient's record or crisis plan (the version list shows who wrote it when).
READS = ("patient.read", "contacts.read", "relationships.read", "continuity.read", "flags.read", "crisis_plan.read",
         "crisis_plan.versions.read", "check_ins.read")


def access_entries(patient_id: int, reader_id: int | None, limit: int | None = None,
                   before_id: int | None = None) -> list[dict]:
    """The entries of a patient's access log: reads of their record and crisis plan by others, and emergency
    accesses and admissions from outside the admitter's reach, each with its audit event's `id` and, for those,
    the `reason` given. Newest first, one item per audit event (one per read). The patient's own reads and the
    reader's (`reader_id`) are left out. `who` is the reader's professional name when their account is linked
    to one, else the username."""
    query = (
        sa.select(AuditEvent.id, AuditEvent.at, AuditEvent.actor_role, AuditEvent.action, AuditEvent.object_id,
                  sa.func.coalesce(Professional.name, User.username).label("who"))
        .join(User, User.id == AuditEvent.actor_user_id)
        .outerjoin(Professional, Professional.id == User.professional_id)
        .where(AuditEvent.patient_id == patient_id, AuditEvent.action.in_((*READS, *WITH_REASON)),
               AuditEvent.actor_role != "patient")
        .order_by(AuditEvent.id.desc()).limit(limit)
    )
    if reader_id is not None:
        query = query.where(AuditEvent.actor_user_id != reader_id)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    rows = db.session.execute(query).all()
    reasons = {action: _reasons(model, [row.object_id for row in rows if row.action == action], patient_id)
               for action, model in WITH_REASON.items()}
    return [{"id": row.id, "at": row.at, "who": row.who, "role": row.actor_role, "action": row.action,
             **({"reason": reasons[row.action].get(row.object_id)} if row.action in reasons else {})}
            for row in rows]


def access_log(user: User, limit: int, cursor: str | None) -> dict:
    """A page of the user's own access log (access_entries), newest first."""
    before = decode_cursor(cursor, 1, (int,))[0] if cursor else None
    items = access_entries(user.patient_id, user.id, limit + 1, before)
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
