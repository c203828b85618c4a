"""Writing patients, episodes and designations; each change is audited and signalled."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from wardtrack.audit.operations import record
from wardtrack.auth.access import ensure_ward_member
from wardtrack.core.errors import Conflict, Invalid, NotFound
from wardtrack.core.signals import send_patient_changed
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional
from wardtrack.patients.models import Designation, Episode, Patient


def create_patient(display_name: str, identifier: str) -> Patient:
    """A new patient; 409 when the identifier is taken."""
    if db.session.scalar(sa.select(Patient.id).where(Patient.identifier == identifier)):
        raise Conflict(
            "A patient with this identifier exists.", {"identifier": ["Already registered."]}
        )
    patient = Patient(display_name=display_name, identifier=identifier)
    db.session.add(patient)
    db.session.flush()
    record("patient.create", patient_id=patient.id, object_type="patient", object_id=patient.id)
    return patient


def not_in_future(field: str, value) -> None:
    if (
        value is not None
        and value > utcnow() + timedelta(seconds=current_app.config["CONTACT_CLOCK_SKEW_SECONDS"])
    ):
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
            raise Conflict(
                "The patient is admitted elsewhere in this period; that ward discharges them first."
            )
        raise Conflict(f"The patient's inpatient episode {clash} overlaps this period.")


def open_episode(patient: Patient, ward_id: int, kind, started_at, legal_status, ended_at=None,
                 location=None, name_overlap: bool = True) -> Episode:
    """Store an episode whose admission has been decided (wardtrack.access.operations.admit, the one
    way in): an inpatient episode must not overlap another (`name_overlap=False` leaves the other's
    id out)."""
    if kind == "inpatient":
        _check_no_overlap(patient.id, started_at, ended_at, name_it=name_overlap)
    episode = Episode(patient_id=patient.id, ward_id=ward_id, kind=kind, legal_status=legal_status,
                      started_at=started_at, ended_at=ended_at, location=location)
    db.session.add(episode)
    db.session.flush()
    record("episode.create", patient_id=patient.id, object_type="episode", object_id=episode.id)
    send_patient_changed(patient.id)
    return episode


_UNSET = object()


def update_episode(actor, episode: Episode, ended_at=None, location=_UNSET) -> Episode:
    """Discharge (set or move the end) and/or set the room or bed (None clears it), on the actor's
    ward."""
    ensure_ward_member(actor, episode.ward_id)
    if ended_at is not None:
        _end(episode, ended_at)
    if location is not _UNSET and location != episode.location:
        episode.location = location
        db.session.flush()
        record("episode.location.set", patient_id=episode.patient_id, object_type="episode",
               object_id=episode.id)
    return episode


def _end(episode: Episode, ended_at) -> None:
    not_in_future("ended_at", ended_at)
    if ended_at <= episode.started_at:
        raise Invalid("ended_at", "Must be after the episode started.")
    if episode.kind == "inpatient":
        _check_no_overlap(episode.patient_id, episode.started_at, ended_at, exclude_id=episode.id)
    episode.ended_at = ended_at
    db.session.flush()
    record(
        "episode.end", patient_id=episode.patient_id, object_type="episode", object_id=episode.id
    )
    send_patient_changed(episode.patient_id)


def _active(patient_id: int, kind: str) -> Designation | None:
    return db.session.scalar(
        sa.select(Designation).where(Designation.patient_id == patient_id, Designation.kind == kind,
                                     Designation.ended_at.is_(None))
    )


def designate(
    actor, patient: Patient, kind: str, professional_id: int, chosen_by_patient: bool, at=None
) -> Designation:
    """Name a professional as the patient's safety person (or other key person), ending the earlier
    one, from `at` (the hospital feed's event time; now by default).

    Naming the one already named keeps that designation and its start: PUT is repeatable (a retry
    from a phone must not make the patient's safety person look new).
    """
    if db.session.get(Professional, professional_id) is None:
        raise Invalid("professional_id", f"No such professional: {professional_id}.")
    now = at or utcnow()
    earlier = _active(patient.id, kind)
    if earlier is not None and earlier.professional_id == professional_id:
        if earlier.chosen_by_patient == chosen_by_patient:
            return earlier
        earlier.chosen_by_patient = chosen_by_patient
        designation = earlier
    else:
        if earlier is not None:
            earlier.ended_at = max(now, earlier.started_at)
            db.session.flush()
        designation = Designation(patient_id=patient.id, professional_id=professional_id, kind=kind,
                                  chosen_by_patient=chosen_by_patient, started_at=now,
                                  created_by=actor.id)
        db.session.add(designation)
    db.session.flush()
    record(f"designation.{kind}.set", patient_id=patient.id, object_type="designation",
           object_id=designation.id)
    send_patient_changed(patient.id)
    return designation


def end_designation(patient: Patient, kind: str, at=None) -> None:
    """End the active designation of a kind, at `at` (now by default); 404 when there is none."""
    designation = _active(patient.id, kind)
    if designation is None:
        raise NotFound(f"The patient has no active {kind.replace('_', ' ')}.")
    designation.ended_at = max(at or utcnow(), designation.started_at)
    db.session.flush()
    record(f"designation.{kind}.end", patient_id=patient.id, object_type="designation",
           object_id=designation.id)
    send_patient_changed(patient.id)
