"""A40: merging the patient named in MRG-1 into the one in PID-3, without losing a row.

Every table that refers to a patient is listed here by its model; a new one must be added (the test
tests/adt/test_merge.py::test_every_patient_reference_is_merged fails until it is)."""

import sqlalchemy as sa

from wardtrack.access.models import EmergencyAccess, OutsideAdmission
from wardtrack.access.operations import HOSPITAL_FEED
from wardtrack.adt.messages import Adt, Unusable
from wardtrack.adt.models import AdtMerge, AdtMessage, AdtVisit
from wardtrack.audit.operations import record
from wardtrack.auth.models import User
from wardtrack.checkins.models import CheckIn, CheckInText
from wardtrack.contacts.models import Contact
from wardtrack.continuity.models import ContinuitySnapshot, Flag, PatientProfessional, RecomputeQueue
from wardtrack.core.signals import send_patient_changed
from wardtrack.core.time import utcnow
from wardtrack.crisisplans.models import CrisisPlanSuggestion, CrisisPlanVersion
from wardtrack.extensions import db
from wardtrack.patients.models import Designation, Episode, Patient
from wardtrack.patients.operations import create_patient
from wardtrack.reminders.models import MaintenancePlan, Reminder

#: Moved to the surviving patient as they are.
MOVED = (Contact, Episode, CheckIn, MaintenancePlan, Reminder, EmergencyAccess, OutsideAdmission,
         AdtVisit, AdtMessage)
#: Kept by recomputation: the merged patient's rows are dropped and both are queued again.
DERIVED = (PatientProfessional, ContinuitySnapshot, RecomputeQueue)
#: Sealed with the patient's id in their associated data, so they cannot simply move; only
#: crisisplans may open them. A merge of a patient who has any is refused (AE) and done by hand.
SEALED = (CrisisPlanVersion, CrisisPlanSuggestion)
#: Handled one by one below.
SPECIAL = (Designation, Flag, User, AdtMerge)


def merge(adt: Adt) -> Patient:
    """Move everything of the merged patient (MRG-1) to the surviving one (PID-3), audited as one
    merge, and queue both for recompute. An unknown merged patient leaves nothing to move."""
    merged = db.session.scalar(sa.select(Patient).where(Patient.identifier == adt.merged_identifier))
    survivor = db.session.scalar(sa.select(Patient).where(Patient.identifier == adt.identifier))
    if merged is None:
        if survivor is None:
            raise Unusable("Neither patient of the merge is known here.", "204")
        return survivor
    if survivor is None:
        survivor = create_patient(adt.display_name or adt.identifier, adt.identifier)
    if survivor.id == merged.id:
        raise Unusable("MRG-1 names the surviving patient itself.", "207")
    for model in SEALED:
        if db.session.scalar(sa.select(model.id).where(model.patient_id == merged.id).limit(1)):
            raise Unusable("The merged patient has a crisis plan: merge it by hand.", "207")
    if db.session.scalar(sa.select(CheckInText.check_in_id).join(
            CheckIn, CheckIn.id == CheckInText.check_in_id).where(CheckIn.patient_id == merged.id)
            .limit(1)):
        raise Unusable("The merged patient has written check-ins: merge them by hand.", "207")
    old, new = merged.id, survivor.id
    for model in MOVED:
        db.session.execute(sa.update(model).where(model.patient_id == old).values(patient_id=new))
    _designations(old, new)
    _flags(old, new)
    _login(old, new)
    for model in DERIVED:
        db.session.execute(sa.delete(model).where(model.patient_id == old))
    db.session.execute(sa.update(AdtMerge).where(AdtMerge.surviving_patient_id == old)
                       .values(surviving_patient_id=new))
    row = AdtMerge(merged_patient_id=old, surviving_patient_id=new, control_id=adt.control_id)
    db.session.add(row)
    db.session.flush()
    db.session.expire_all()
    record("patient.merge", patient_id=new, object_type="patient", object_id=old,
           actor=HOSPITAL_FEED)
    record("patient.merged_away", patient_id=old, object_type="patient", object_id=new,
           actor=HOSPITAL_FEED)
    send_patient_changed(old)
    send_patient_changed(new)
    return survivor


def _designations(old: int, new: int) -> None:
    """History moves as it is; where both have an active one of a kind, the survivor's stays active
    and the merged one's ends now (kept, not lost)."""
    now = utcnow()
    active_kinds = set(db.session.scalars(sa.select(Designation.kind).where(
        Designation.patient_id == new, Designation.ended_at.is_(None))))
    for designation in db.session.scalars(sa.select(Designation).where(Designation.patient_id == old)):
        if designation.ended_at is None and designation.kind in active_kinds:
            designation.ended_at = max(now, designation.started_at)
        designation.patient_id = new
    db.session.flush()


def _flags(old: int, new: int) -> None:
    """Flags move with their history; an unresolved one the survivor also has is dropped (the
    recompute raises what still holds)."""
    survivor_open = set(db.session.execute(sa.select(Flag.code, Flag.subject).where(
        Flag.patient_id == new, Flag.status != "resolved")).all())
    for flag in db.session.scalars(sa.select(Flag).where(Flag.patient_id == old)):
        if flag.status != "resolved" and (flag.code, flag.subject) in survivor_open:
            db.session.delete(flag)
        else:
            flag.patient_id = new
    db.session.flush()


def _login(old: int, new: int) -> None:
    """The merged patient's login follows unless the survivor has one of their own."""
    if db.session.scalar(sa.select(User.id).where(User.patient_id == new)) is None:
        db.session.execute(sa.update(User).where(User.patient_id == old).values(patient_id=new))
