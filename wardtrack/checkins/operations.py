"""Writing check-ins (flush only; the view commits once, with the audit event)."""

import sqlalchemy as sa

from wardtrack.audit.operations import audited_write, record
from wardtrack.checkins.models import (
    DEFAULT_SHARE,
    ITEMS,
    CheckIn,
    CheckInItem,
    CheckInText,
    associated_data,
)
from wardtrack.contacts.models import Contact, is_counted
from wardtrack.core.envelope import keyring, seal
from wardtrack.core.errors import Conflict, Invalid
from wardtrack.core.signals import send_patient_changed
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.patients.models import Designation
from wardtrack.patients.queries import active_episode


def has_relationship(patient_id: int, professional_id: int) -> bool:
    """Whether the professional is one of the patient's key people now (an active designation) or
    has had at least one counted contact with them."""
    designated = (sa.select(Designation.id)
                  .where(Designation.patient_id == patient_id,
                         Designation.professional_id == professional_id,
                         Designation.ended_at.is_(None)).exists())
    contact = (sa.select(Contact.id)
               .where(Contact.patient_id == patient_id, Contact.professional_id == professional_id,
                      is_counted(Contact)).exists())
    return bool(db.session.scalar(sa.select(sa.or_(designated, contact))))


def _resent(patient_id: int, data: dict) -> CheckIn | None:
    """The check-in stored before under this body's client_id, if any; 409 when that id was used
    for another check-in. Read after the chain's lock, so that two copies racing make one row."""
    if data.get("client_id") is None:
        return None
    stored = db.session.scalar(sa.select(CheckIn).where(CheckIn.client_id == data["client_id"]))
    if stored is None:
        return None
    if (stored.patient_id, stored.kind, stored.professional_id, stored.scores) != (
            patient_id, data["kind"], data.get("professional_id"), data["scores"]):
        raise Conflict("This client_id was already used for a different check-in.")
    return stored


@audited_write
def create(actor, patient_id: int, data: dict) -> tuple[CheckIn, int]:
    """Store a check-in (validated by CheckInBodySchema) with its items and, sealed, its free text:
    (check-in, 201), or (the stored one, 200) when the same client_id comes again. 422 on
    `professional_id` for a professional the patient has no relationship with."""
    stored = _resent(patient_id, data)
    if stored is not None:
        return stored, 200
    kind = data["kind"]
    if kind == "relationship" and not has_relationship(patient_id, data["professional_id"]):
        raise Invalid("professional_id",
                      "Not one of your key people nor a professional you have had contact with.")
    episode = active_episode(patient_id)
    more_help = set(data.get("more_help") or ())
    check_in = CheckIn(
        client_id=data.get("client_id"), patient_id=patient_id, kind=kind, professional_id=data.get("professional_id"),
        ward_id=episode.ward_id if episode else None, share=data.get("share") or DEFAULT_SHARE,
        created_at=utcnow(),
        items=[CheckInItem(item=item, score=data["scores"][item], more_help=item in more_help)
               for item in ITEMS[kind]])
    db.session.add(check_in)
    db.session.flush()
    if data.get("what_would_help"):
        sealed = seal(keyring(), associated_data(patient_id, check_in.id),
                      data["what_would_help"].encode())
        check_in.text = CheckInText(**sealed)
        db.session.flush()
    record("check_in.create", patient_id=patient_id, object_type="check_in",
           object_id=check_in.id, actor=actor)
    send_patient_changed(patient_id)  # its flags (relationship_strain, help_requested) follow
    return check_in, 201


@audited_write("check_in")
def set_share(actor, check_in: CheckIn, share: str) -> CheckIn:
    """The patient changes who reads a check-in; from the next read on."""
    if share == "team_leader_and_person" and check_in.kind != "relationship":
        raise Invalid("share", "Only a relationship check-in can be shared with a person.")
    if check_in.share != share:
        check_in.share = share
        db.session.flush()
        record("check_in.share", patient_id=check_in.patient_id, object_type="check_in",
               object_id=check_in.id, actor=actor)
    return check_in
