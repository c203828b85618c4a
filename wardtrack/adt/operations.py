"""Applying one ADT message through the same operations as the API (admit() with HOSPITAL_FEED,
designate()). Operations flush; service.process() commits each message with its audit event."""

import sqlalchemy as sa
from flask import current_app

from wardtrack.access.operations import HOSPITAL_FEED, admit
from wardtrack.adt.messages import KINDS, Adt, Doctor, Unusable
from wardtrack.adt.models import AdtDoctor, AdtLocation, AdtMessage, AdtVisit
from wardtrack.audit.operations import lock_chain, record
from wardtrack.core.errors import Conflict
from wardtrack.core.signals import send_patient_changed
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional
from wardtrack.patients.models import Designation, Episode, Patient
from wardtrack.patients.operations import create_patient, designate, end_designation, not_in_future

ATTENDING = "attending_doctor"
LEGAL_STATUS = "voluntary"  # HL7 v2 ADT carries no legal status: the feed's episodes are voluntary


def apply(adt: Adt) -> AdtMessage:
    """Apply a read message (or record it as stale) and log it; a resent control id that was
    applied changes nothing. Unusable or a DomainError for what cannot be applied."""
    lock_chain()  # rows of the patient are touched before the event is recorded; and one at a time,
    # so a resend on another connection finds this one's row once it has committed
    done = db.session.scalar(sa.select(AdtMessage).where(AdtMessage.control_id == adt.control_id))
    if done is not None and done.outcome != "error":
        return done
    if adt.event == "A40":
        from wardtrack.adt.merge import merge

        patient, episode, outcome = merge(adt), None, "applied"
    else:
        patient, episode, outcome = _apply_visit_event(adt)
    row = done or AdtMessage(control_id=adt.control_id)
    row.event, row.event_at, row.outcome, row.error = adt.event, adt.event_at, outcome, None
    row.patient_id = patient.id if patient else None
    row.episode_id = episode.id if episode else None
    db.session.add(row)
    db.session.flush()
    record(f"adt.{adt.event.lower()}.{outcome}", patient_id=row.patient_id,
           object_type="adt_message", object_id=row.id, actor=HOSPITAL_FEED)
    return row


def _apply_visit_event(adt: Adt):
    patient = _patient(adt)
    visit = _visit(adt, patient) if patient is not None else None
    if visit is not None and adt.event_at < visit.last_event_at:
        return patient, db.session.get(Episode, visit.episode_id) if visit.episode_id else None, "stale"
    handler = HANDLERS[adt.event]
    episode = handler(adt, patient, visit)
    return patient, episode, "applied"


def _patient(adt: Adt) -> Patient | None:
    """The patient by PID-3; A01/A04/A08 register one who is new, and keep the display name."""
    patient = db.session.scalar(sa.select(Patient).where(Patient.identifier == adt.identifier))
    if patient is None:
        if adt.event not in ("A01", "A04", "A08"):
            raise Unusable("The patient (PID-3) is not known here.", "204")
        return create_patient(adt.display_name or adt.identifier, adt.identifier)
    if adt.display_name and adt.display_name != patient.display_name:
        patient.display_name = adt.display_name
        db.session.flush()
        record("patient.update", patient_id=patient.id, object_type="patient", object_id=patient.id)
    return patient


def _visit(adt: Adt, patient: Patient) -> AdtVisit | None:
    """The visit by PV1-19, else the patient's latest one the feed opened."""
    if adt.visit_number:
        visit = db.session.scalar(
            sa.select(AdtVisit).where(AdtVisit.visit_number == adt.visit_number))
        if visit is not None and visit.patient_id != patient.id:
            raise Unusable("PV1-19 (visit number) belongs to another patient.", "207")
        return visit
    return db.session.scalar(sa.select(AdtVisit).where(AdtVisit.patient_id == patient.id)
                             .order_by(AdtVisit.id.desc()).limit(1))


def _ward_id(adt: Adt) -> int:
    if not adt.point_of_care:
        raise Unusable("PV1-3 (the point of care) is missing.", "101")
    ward_id = db.session.scalar(
        sa.select(AdtLocation.ward_id).where(AdtLocation.point_of_care == adt.point_of_care))
    if ward_id is None:
        raise Unusable(f"Unknown location {adt.point_of_care}: map it to a ward first.", "103")
    return ward_id


def _open_episode(visit: AdtVisit | None, what: str) -> Episode:
    episode = db.session.get(Episode, visit.episode_id) if visit and visit.episode_id else None
    if episode is None:
        raise Unusable(f"There is no stay to {what}.", "207")
    return episode


def _admit(adt: Adt, patient: Patient, visit: AdtVisit | None) -> Episode:
    """A01/A04: open an episode on the mapped ward; a visit already open is updated instead."""
    ward_id = _ward_id(adt)
    if visit is not None and adt.visit_number and visit.episode_id:
        return _update_visit(adt, patient, visit)
    default = "inpatient" if adt.event == "A01" else "outpatient"
    kind = KINDS.get(adt.patient_class or "", default)
    episode = admit(HOSPITAL_FEED, patient.id, ward_id, kind, adt.event_at, LEGAL_STATUS,
                    location=adt.location)
    if visit is None or adt.visit_number is None or visit.visit_number != adt.visit_number:
        visit = AdtVisit(visit_number=adt.visit_number, patient_id=patient.id)
        db.session.add(visit)
    visit.episode_id, visit.previous_episode_id, visit.last_event_at = episode.id, None, adt.event_at
    db.session.flush()
    _doctors(adt, patient)
    return episode


def _transfer(adt: Adt, patient: Patient, visit: AdtVisit | None) -> Episode:
    """A02 as a typed transfer: the episode on the old ward ends and admit() opens one on the new
    ward at the same moment. A move within the ward only changes the room and bed."""
    old = _open_episode(visit, "transfer")
    if old.ended_at is not None:
        raise Unusable("The stay has ended; it cannot be transferred.", "207")
    ward_id = _ward_id(adt)
    if ward_id == old.ward_id:
        return _update_visit(adt, patient, visit)
    end_episode(old, adt.event_at)
    new = admit(HOSPITAL_FEED, patient.id, ward_id, old.kind, adt.event_at, old.legal_status,
                location=adt.location)
    visit.previous_episode_id, visit.episode_id, visit.last_event_at = old.id, new.id, adt.event_at
    db.session.flush()
    _doctors(adt, patient)
    return new


def _discharge(adt: Adt, patient: Patient, visit: AdtVisit | None) -> Episode:
    """A03: the episode ends at the event's time, and so does the attending doctor."""
    episode = _open_episode(visit, "discharge")
    if episode.ended_at is None:
        end_episode(episode, adt.event_at)
        if _active(patient.id, ATTENDING) is not None:
            end_designation(patient, ATTENDING, at=adt.event_at)
    visit.last_event_at = adt.event_at
    return episode


def _update(adt: Adt, patient: Patient, visit: AdtVisit | None) -> Episode | None:
    """A08: the name is already kept (_patient); an open visit takes the room, bed and doctors."""
    if visit is None or not visit.episode_id:
        return None
    return _update_visit(adt, patient, visit)


def _update_visit(adt: Adt, patient: Patient, visit: AdtVisit) -> Episode:
    episode = db.session.get(Episode, visit.episode_id)
    if adt.location and adt.location != episode.location and episode.ended_at is None:
        episode.location = adt.location
        db.session.flush()
        record("episode.location.set", patient_id=patient.id, object_type="episode",
               object_id=episode.id)
    visit.last_event_at = adt.event_at
    _doctors(adt, patient)
    return episode


def _cancel_admit(adt: Adt, patient: Patient, visit: AdtVisit | None) -> None:
    """A11: the admission did not happen: its episode is removed (audited) and the attending doctor
    it brought ends."""
    episode = _open_episode(visit, "cancel")
    if visit.previous_episode_id:
        raise Unusable("The stay was transferred since; cancel the transfer (A12) first.", "207")
    visit.episode_id, visit.last_event_at = None, adt.event_at
    db.session.flush()
    _remove(episode)
    if _active(patient.id, ATTENDING) is not None:
        end_designation(patient, ATTENDING, at=max(adt.event_at, episode.started_at))
    return None


def _cancel_transfer(adt: Adt, patient: Patient, visit: AdtVisit | None) -> Episode:
    """A12: the episode on the new ward is removed and the one on the old ward is open again."""
    current = _open_episode(visit, "cancel the transfer of")
    if not visit.previous_episode_id:
        raise Unusable("The stay has no transfer to cancel.", "207")
    previous = db.session.get(Episode, visit.previous_episode_id)
    visit.episode_id, visit.previous_episode_id = previous.id, None
    visit.last_event_at = adt.event_at
    db.session.flush()
    _remove(current)
    _reopen(previous)
    return previous


def _cancel_discharge(adt: Adt, patient: Patient, visit: AdtVisit | None) -> Episode:
    """A13: the episode is open again (refused when another inpatient stay began since)."""
    episode = _open_episode(visit, "cancel the discharge of")
    if episode.ended_at is not None:
        _reopen(episode)
    visit.last_event_at = adt.event_at
    return episode


def end_episode(episode: Episode, at) -> None:
    """End an episode as a discharge through the API does (the feed is on no ward)."""
    not_in_future("EVN-2", at)
    if at <= episode.started_at:
        raise Unusable("The event is before the stay began.", "207")
    episode.ended_at = at
    db.session.flush()
    record("episode.end", patient_id=episode.patient_id, object_type="episode", object_id=episode.id)
    send_patient_changed(episode.patient_id)


def _reopen(episode: Episode) -> None:
    if episode.kind == "inpatient":
        clash = db.session.scalar(sa.select(Episode.id).where(
            Episode.patient_id == episode.patient_id, Episode.kind == "inpatient",
            Episode.id != episode.id, sa.or_(Episode.ended_at.is_(None),
                                             Episode.ended_at > episode.started_at)).limit(1))
        if clash:
            raise Conflict(f"The patient's inpatient episode {clash} overlaps the reopened stay.")
    episode.ended_at = None
    db.session.flush()
    record("episode.reopen", patient_id=episode.patient_id, object_type="episode",
           object_id=episode.id)
    send_patient_changed(episode.patient_id)


def _remove(episode: Episode) -> None:
    patient_id, episode_id = episode.patient_id, episode.id
    db.session.execute(sa.update(AdtVisit).where(AdtVisit.previous_episode_id == episode_id)
                       .values(previous_episode_id=None))
    db.session.delete(episode)
    db.session.flush()
    record("episode.cancel", patient_id=patient_id, object_type="episode", object_id=episode_id)
    send_patient_changed(patient_id)


def _active(patient_id: int, kind: str) -> Designation | None:
    return db.session.scalar(sa.select(Designation).where(
        Designation.patient_id == patient_id, Designation.kind == kind,
        Designation.ended_at.is_(None)))


def _doctors(adt: Adt, patient: Patient) -> None:
    """Every doctor named becomes a professional; the attending one is designated from the event's
    time."""
    for role, doctor in adt.doctors.items():
        professional_id = professional_for(doctor)
        if role == "attending":
            designate(HOSPITAL_FEED, patient, ATTENDING, professional_id, False, at=adt.event_at)


def professional_for(doctor: Doctor) -> int:
    """The professional of a feed doctor's identifier, made (without a login) when new."""
    known = db.session.scalar(
        sa.select(AdtDoctor.professional_id).where(AdtDoctor.identifier == doctor.identifier))
    if known is not None:
        return known
    professional = Professional(name=doctor.name, profession="doctor")
    db.session.add(professional)
    db.session.flush()
    db.session.add(AdtDoctor(identifier=doctor.identifier, professional_id=professional.id))
    db.session.flush()
    record("professional.create", object_type="professional", object_id=professional.id,
           actor=HOSPITAL_FEED)
    return professional.id


def site_zone() -> str:
    return current_app.config.get("ADT_TIMEZONE", "Europe/Oslo")


HANDLERS = {"A01": _admit, "A04": _admit, "A02": _transfer, "A03": _discharge, "A08": _update,
            "A11": _cancel_admit, "A12": _cancel_transfer, "A13": _cancel_discharge}
