"""Writes about reach: admitting a patient (the one way an episode is opened), break-the-glass
grants, and the review of grants and of admissions from outside the admitter's reach. Operations
flush; the caller commits."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from wardtrack.access.models import EmergencyAccess, OutsideAdmission
from wardtrack.access.queries import (
    ADMISSION,
    OBJECT_TYPE,
    OUTSIDE_ADMISSION_ACTION,
    admissions_reviewable_by,
    grants_reviewable_by,
)
from wardtrack.access.reach import patient_reach
from wardtrack.audit.operations import record
from wardtrack.auth.access import ensure_ward_member
from wardtrack.auth.models import User
from wardtrack.core.errors import Conflict, Forbidden, Invalid, NotFound
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Ward
from wardtrack.patients.models import Episode, Patient
from wardtrack.patients.operations import not_in_future, open_episode


class HospitalFeed:
    """The hospital's admission feed as the actor of an admission (the interoperability work sends
    its episodes through admit()): the hospital has admitted the patient, so the rule about people
    (reach, one's own ward, a reason) does not apply. Audited as the system."""

    id = None
    role = "feed"


HOSPITAL_FEED = HospitalFeed()


def _reach_for_admission(actor, patient_id: int) -> tuple[Patient | None, bool]:
    """The patient (None when unknown) and whether the actor may admit them without a reason: they
    are within the actor's ordinary reach (grants never count: admitting writes) or have no episode
    yet."""
    if actor is HOSPITAL_FEED:
        return db.session.get(Patient, patient_id), True
    unknown_here = ~sa.exists().where(Episode.patient_id == Patient.id)
    row = db.session.execute(sa.select(Patient, sa.or_(
        patient_reach(actor, Patient.id, grants=False), unknown_here).label("reached"))
        .where(Patient.id == patient_id)).first()
    return (None, False) if row is None else (row[0], bool(row.reached))


def _check_episode(actor, ward_id, started_at, ended_at) -> None:
    """What an episode must be whoever the patient is: a ward that exists and is the actor's, times
    in order."""
    if db.session.get(Ward, ward_id) is None:
        raise Invalid("ward_id", f"No such ward: {ward_id}.")
    if actor is not HOSPITAL_FEED:
        ensure_ward_member(actor, ward_id)
    not_in_future("started_at", started_at)
    not_in_future("ended_at", ended_at)
    if ended_at is not None and ended_at <= started_at:
        raise Invalid("ended_at", "Must be after started_at.")


def admit(
    actor,
    patient_id: int,
    ward_id,
    kind,
    started_at,
    legal_status,
    ended_at=None,
    location=None,
    reason=None,
) -> Episode:
    """Admit (inpatient) or enrol (outpatient) a patient on a ward: the one operation every episode
    comes by.

    Reach is decided first; what follows answers an unknown patient and one outside reach alike (the
    ward, one's own ward, the times, then the reason) until a reason is given, as for a
    break-the-glass grant. A team leader opens an episode on their own ward for a patient within
    their ordinary reach, or one with no episode yet (just registered). Admitting a patient known
    elsewhere needs a `reason` (422, for an unknown id too), cannot be an episode that has already
    ended (that would only buy a look into the past), and is recorded as an outside admission:
    audited, in the patient's access log, and up for review by the team leaders of the patient's
    previous ward. The hospital feed (HOSPITAL_FEED) admits without the rule about people.
    """
    patient, reached = _reach_for_admission(actor, patient_id)
    _check_episode(actor, ward_id, started_at, ended_at)  # the same answers whoever the patient is
    if not reached:
        if reason is None:
            raise Invalid(
                "reason",
                "This patient is not within your reach: give the reason for admitting them.",
            )
        if ended_at is not None:
            raise Invalid(
                "ended_at",
                "An episode that has already ended cannot open a patient outside your reach.",
            )
        if patient is None:  # only now, after a reason: as for a break-the-glass grant
            raise NotFound(f"No patient {patient_id}.")
    previous_ward = None if reached else _latest_ward(patient.id)
    episode = open_episode(
        patient, ward_id, kind, started_at, legal_status, ended_at, location, name_overlap=reached
    )
    if not reached:
        _record_outside_admission(actor, episode, previous_ward, reason)
    return episode


def _latest_ward(patient_id: int) -> int:
    """The ward of the patient's latest episode: an open one first, else the one that ended last."""
    return db.session.scalar(
        sa.select(Episode.ward_id)
        .where(Episode.patient_id == patient_id)
        .order_by(
            Episode.ended_at.is_(None).desc(), Episode.ended_at.desc(), Episode.started_at.desc()
        )
        .limit(1)
    )


def _record_outside_admission(
    actor, episode: Episode, from_ward_id: int, reason: str
) -> OutsideAdmission:
    admission = OutsideAdmission(episode_id=episode.id, patient_id=episode.patient_id,
                                 user_id=actor.id, from_ward_id=from_ward_id, reason=reason,
                                 admitted_at=utcnow())
    db.session.add(admission)
    db.session.flush()
    record(OUTSIDE_ADMISSION_ACTION, patient_id=episode.patient_id, object_type="outside_admission",
           object_id=admission.id)
    return admission


def grant(user: User, patient_id: int, reason: str) -> EmergencyAccess:
    """Open a patient outside the user's wards for EMERGENCY_ACCESS_HOURS, audited as
    `emergency_access.grant`.

    404 for an unknown patient; 409 when the user already reaches the patient through their wards (a
    grant would only add noise to the review list). A live grant may be renewed with a new reason.
    """
    if db.session.get(Patient, patient_id) is None:
        raise NotFound(f"No patient {patient_id}.")
    reached = sa.select(Patient.id).where(
        Patient.id == patient_id, patient_reach(user, Patient.id, grants=False)
    )
    if db.session.scalar(reached) is not None:
        raise Conflict(
            f"Patient {patient_id} is already within your reach; no emergency access is needed."
        )
    now = utcnow()
    access = EmergencyAccess(
        user_id=user.id,
        patient_id=patient_id,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(hours=current_app.config["EMERGENCY_ACCESS_HOURS"]),
    )
    db.session.add(access)
    db.session.flush()
    record("emergency_access.grant", patient_id=patient_id, object_type=OBJECT_TYPE,
           object_id=access.id)
    return access


def review(user: User, access_id: int, note: str) -> EmergencyAccess:
    """Mark a grant reviewed with a note, audited as `emergency_access.review` (see _review for the
    answers)."""
    return _review(user, EmergencyAccess, access_id, grants_reviewable_by(user), note, OBJECT_TYPE)


def review_admission(user: User, admission_id: int, note: str) -> OutsideAdmission:
    """Mark an outside admission reviewed with a note, audited as `outside_admission.review`."""
    return _review(
        user, OutsideAdmission, admission_id, admissions_reviewable_by(user), note, ADMISSION
    )


def _review(user: User, model, row_id: int, reviewable, note: str, object_type: str):
    """Review a grant or an admission: 404 for one the user may not review, 403 for one's own, 409
    when already reviewed. The update is conditional, so that two leaders reviewing at once cannot
    both succeed."""
    what = object_type.replace("_", " ")
    row = db.session.scalar(sa.select(model).where(model.id == row_id, reviewable))
    if row is None:
        raise NotFound(f"No {what} {row_id} for you to review.")
    if row.user_id == user.id:
        raise Forbidden(f"Someone else must review your own {what}.")
    done = db.session.execute(
        sa.update(model)
        .where(model.id == row_id, model.reviewed_at.is_(None))
        .values(reviewed_at=utcnow(), reviewed_by=user.id, review_note=note)
    )
    if done.rowcount != 1:
        raise Conflict(f"{what.capitalize()} {row_id} was already reviewed.")
    record(f"{object_type}.review", patient_id=row.patient_id, object_type=object_type,
           object_id=row.id)
    db.session.refresh(row)
    return row
