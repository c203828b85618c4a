"""Writing patients, episodes and designations; each change is audited and signalled."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from wardtrack.audit.operations import record
from wardtrack.auth.access import ensure_ward_member, patient_reach
from wardtrack.core.errors import Conflict, Invalid, NotFound
from wardtrack.core.signals import patient_changed
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional, Ward
from wardtrack.patients.models import Designation, Episode, OutsideAdmission, Patient

#: The audit action of an admission of a patient from outside the admitter's reach.
OUTSIDE_ADMISSION_ACTION = "episode.admit_outside"


def create_patient(display_name: str, identifier: str) -> Patient:
    """A new patient; 409 when the identifier is taken."""
    if db.session.scalar(sa.select(Patient.id).where(Patient.identifier == identifier)):
        raise Conflict("A patient with this identifier exists.", {"identifier": ["Already registered."]})
    patient = Patient(display_name=display_name, identifier=identifier)
    db.session.add(patient)
    db.session.flush()
    record("patient.create", patient_id=patient.id, object_type="patient", object_id=patient.id)
    return patient


def _not_in_future(field: str, value) -> None:
    if value is not None and value > utcnow() + timedelta(seconds=current_app.config["CONTACT_CLOCK_SKEW_SECONDS"]):
        raise Invalid(field, "Must not be in the future.")


def _check_no_overlap(patient_id: int, started_at, ended_at, exclude_id=None, name_it=True) -> None:
    """Nobody is admitted to two wards at once: inpatient episodes of a patient never overlap."""
    query = sa.select(Episode.id).where(
        Episode.patient_id == patient_id, Episode.kind == "inpatient",
        sa.or_(Episode.ended_at.is_(None), Episode.ended_at > started_at))
    if ended_at is not None:
        query = query.where(Episode.started_at < ended_at)
    if exclude_id is not None:
        query = query.where(Episode.id != exclude_id)
    if clash := db.session.scalar(query.limit(1)):
        if not name_it:  # outside the caller's reach: not even the episode's id
            raise Conflict("The patient is admitted elsewhere in this period; that ward discharges them first.")
        raise Conflict(f"The patient's inpatient episode {clash} overlaps this period.")


class HospitalFeed:
    """The hospital's admission feed as the actor of an admission (the interoperability work sends its
    episodes through admit()): the hospital has admitted the patient, so the rule about people (reach,
    one's own ward, a reason) does not apply. Audited as the system."""

    id = None
    role = "feed"


HOSPITAL_FEED = HospitalFeed()


def _reach_for_admission(actor, patient_id: int) -> tuple[Patient | None, bool]:
    """The patient (None when unknown) and whether the actor may admit them without a reason: they are
    within the actor's ordinary reach (grants never count: admitting writes) or have no episode yet."""
    if actor is HOSPITAL_FEED:
        return db.session.get(Patient, patient_id), True
    unknown_here = ~sa.exists().where(Episode.patient_id == Patient.id)
    row = db.session.execute(sa.select(Patient, sa.or_(
        patient_reach(actor, Patient.id, grants=False), unknown_here).label("reached"))
        .where(Patient.id == patient_id)).first()
    return (None, False) if row is None else (row[0], bool(row.reached))


def _check_episode(actor, ward_id, started_at, ended_at) -> None:
    """What an episode must be whoever the patient is: a ward that exists and is the actor's, times in order."""
    if db.session.get(Ward, ward_id) is None:
        raise Invalid("ward_id", f"No such ward: {ward_id}.")
    if actor is not HOSPITAL_FEED:
        ensure_ward_member(actor, ward_id)
    _not_in_future("started_at", started_at)
    _not_in_future("ended_at", ended_at)
    if ended_at is not None and ended_at <= started_at:
        raise Invalid("ended_at", "Must be after started_at.")


def admit(actor, patient_id: int, ward_id, kind, started_at, legal_status, ended_at=None, location=None,
          reason=None) -> Episode:
    """Admit (inpatient) or enrol (outpatient) a patient on a ward: the one operation every episode comes by.

    Reach is decided first; what follows answers an unknown patient and one outside reach alike (the
    ward, one's own ward, the times, then the reason) until a reason is given, as for a break-the-glass
    grant. A team leader opens an episode on their own ward for a patient within their ordinary reach,
    or one with no episode yet (just registered). Admitting a patient known elsewhere needs a `reason`
    (422, for an unknown id too), cannot be an episode that has already ended (that would only buy a look
    into the past), and is recorded as an outside admission: audited, in the patient's access log, and up
    for review by the team leaders of the patient's previous ward. The hospital feed (HOSPITAL_FEED)
    admits without the rule about people.
    """
    patient, reached = _reach_for_admission(actor, patient_id)
    _check_episode(actor, ward_id, started_at, ended_at)  # the same answers whoever the patient is
    if not reached:
        if reason is None:
            raise Invalid("reason", "This patient is not within your reach: give the reason for admitting them.")
        if ended_at is not None:
            raise Invalid("ended_at", "An episode that has already ended cannot open a patient outside your reach.")
        if patient is None:  # only now, after a reason: as for a break-the-glass grant
            raise NotFound(f"No patient {patient_id}.")
    if kind == "inpatient":
        _check_no_overlap(patient.id, started_at, ended_at, name_it=reached)
    previous_ward = None if reached else _latest_ward(patient.id)
    episode = Episode(patient_id=patient.id, ward_id=ward_id, kind=kind, legal_status=legal_status,
                      started_at=started_at, ended_at=ended_at, location=location)
    db.session.add(episode)
    db.session.flush()
    record("episode.create", patient_id=patient.id, object_type="episode", object_id=episode.id)
    if not reached:
        _record_outside_admission(actor, episode, previous_ward, reason)
    patient_changed.send(current_app._get_current_object(), patient_id=patient.id)
    return episode


def _latest_ward(patient_id: int) -> int:
    """The ward of the patient's latest episode: an open one first, else the one that ended last."""
    return db.session.scalar(
        sa.select(Episode.ward_id).where(Episode.patient_id == patient_id)
        .order_by(Episode.ended_at.is_(None).desc(), Episode.ended_at.desc(), Episode.started_at.desc()).limit(1))


def _record_outside_admission(actor, episode: Episode, from_ward_id: int, reason: str) -> OutsideAdmission:
    admission = OutsideAdmission(episode_id=episode.id, patient_id=episode.patient_id, user_id=actor.id,
                                 from_ward_id=from_ward_id, reason=reason, admitted_at=utcnow())
    db.session.add(admission)
    db.session.flush()
    record(OUTSIDE_ADMISSION_ACTION, patient_id=episode.patient_id, object_type="outside_admission",
           object_id=admission.id)
    return admission


_UNSET = object()


def update_episode(actor, episode: Episode, ended_at=None, location=_UNSET) -> Episode:
    """Discharge (set or move the end) and/or set the room or bed (None clears it), on the actor's ward."""
    ensure_ward_member(actor, episode.ward_id)
    if ended_at is not None:
        _end(episode, ended_at)
    if location is not _UNSET and location != episode.location:
        episode.location = location
        db.session.flush()
        record("episode.location.set", patient_id=episode.patient_id, object_type="episode", object_id=episode.id)
    return episode


def _end(episode: Episode, ended_at) -> None:
    _not_in_future("ended_at", ended_at)
    if ended_at <= episode.started_at:
        raise Invalid("ended_at", "Must be after the episode started.")
    if episode.kind == "inpatient":
        _check_no_overlap(episode.patient_id, episode.started_at, ended_at, exclude_id=episode.id)
    episode.ended_at = ended_at
    db.session.flush()
    record("episode.end", patient_id=episode.patient_id, object_type="episode", object_id=episode.id)
    patient_changed.send(current_app._get_current_object(), patient_id=episode.patient_id)


def _active(patient_id: int, kind: str) -> Designation | None:
    return db.session.scalar(sa.select(Designation).where(
        Designation.patient_id == patient_id, Designation.kind == kind, Designation.ended_at.is_(None)))


def designate(actor, patient: Patient, kind: str, professional_id: int, chosen_by_patient: bool) -> Designation:
    """Name a professional as the patient's safety person (or other key person), ending the earlier one.

    Naming the one already named keeps that designation and its start: PUT is repeatable (a retry
    from a phone must not make the patient's safety person look new).
    """
    if db.session.get(Professional, professional_id) is None:
        raise Invalid("professional_id", f"No such professional: {professional_id}.")
    now = utcnow()
    earlier = _active(patient.id, kind)
    if earlier is not None and earlier.professional_id == professional_id:
        if earlier.chosen_by_patient == chosen_by_patient:
            return earlier
        earlier.chosen_by_patient = chosen_by_patient
        designation = earlier
    else:
        if earlier is not None:
            earlier.ended_at = now
            db.session.flush()
        designation = Designation(patient_id=patient.id, professional_id=professional_id, kind=kind,
                                  chosen_by_patient=chosen_by_patient, started_at=now, created_by=actor.id)
        db.session.add(designation)
    db.session.flush()
    record(f"designation.{kind}.set", patient_id=patient.id, object_type="designation", object_id=designation.id)
    patient_changed.send(current_app._get_current_object(), patient_id=patient.id)
    return designation


def end_designation(patient: Patient, kind: str) -> None:
    """End the active designation of a kind; 404 when there is none."""
    designation = _active(patient.id, kind)
    if designation is None:
        raise NotFound(f"The patient has no active {kind.replace('_', ' ')}.")
    designation.ended_at = utcnow()
    db.session.flush()
    record(f"designation.{kind}.end", patient_id=patient.id, object_type="designation", object_id=designation.id)
    patient_changed.send(current_app._get_current_object(), patient_id=patient.id)
