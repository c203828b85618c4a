"""Changes to the crisis plan that the patient suggests from their phone: written, listed and
answered.

The text is the patient's own words about their plan, so it is stored like the plan itself:
AES-256-GCM under a fresh data key, wrapped by the keyring and bound to
`crisis_plan_suggestion|<patient_id>|<number>`. Staff answer a suggestion by writing a new plan
version and naming it. Writes only flush; the view commits.
"""

import json
import logging

import sqlalchemy as sa

from wardtrack.audit.operations import record
from wardtrack.core import envelope
from wardtrack.core.crypto import Keyring
from wardtrack.core.envelope import Unopenable, keyring, open_sealed, seal
from wardtrack.core.errors import Conflict, Invalid, NotFound
from wardtrack.core.pagination import decode_cursor, page
from wardtrack.core.time import utcnow
from wardtrack.crisisplans.models import CrisisPlanSuggestion, CrisisPlanVersion
from wardtrack.extensions import db

log = logging.getLogger(__name__)
STATUSES = ("open", "answered")


def associated_data(patient_id: int, number: int) -> bytes:
    """What binds a suggestion's ciphertext and wrapped key to its row."""
    return f"crisis_plan_suggestion|{patient_id}|{number}".encode()


def _seal(ring: Keyring, patient_id: int, number: int, text: str) -> dict:
    return seal(ring, associated_data(patient_id, number), json.dumps({"text": text}).encode())


def open_text(ring: Keyring, row: CrisisPlanSuggestion) -> str | None:
    """The suggestion's text; None (logged as an integrity event, ids only) when it does not
    decrypt."""
    try:
        text = open_sealed(ring, associated_data(row.patient_id, row.number), row)
        return json.loads(text)["text"]
    except Unopenable as error:
        log.error("integrity: crisis plan suggestion cannot be decrypted patient_id=%s row_id=%s "
                  "key_id=%s reason=%s", row.patient_id, row.id, row.key_id, error.reason)
        return None


def rewrap(ring: Keyring, row: CrisisPlanSuggestion) -> bool:
    """Put the row's data key under the newest key (the text's ciphertext stays); False when it does
    not unwrap.

    For `flask crypto rotate`, beside the plan versions: a suggestion left under a retired key
    cannot be read.
    """
    try:
        envelope.rewrap(ring, associated_data(row.patient_id, row.number), row)
    except Unopenable:
        return False
    return True


def key_ids_in_use() -> set[str]:
    """The key-encryption key ids stored suggestions need (for readiness, beside the plans')."""
    return set(db.session.scalars(sa.select(CrisisPlanSuggestion.key_id).distinct()))


def suggest(actor, patient_id: int, text: str, section: str | None) -> CrisisPlanSuggestion:
    """Store the patient's suggested change, encrypted, and audit it; flushes, the view commits.

    Two suggestions sent at the same instant collide on the unique (patient, number): 409, send
    again.
    """
    ring = keyring()
    last = db.session.scalar(sa.select(sa.func.max(CrisisPlanSuggestion.number))
                             .where(CrisisPlanSuggestion.patient_id == patient_id))
    number = (last or 0) + 1
    row = CrisisPlanSuggestion(patient_id=patient_id, number=number, created_at=utcnow(),
                               created_by=actor.id, section=section, status="open",
                               **_seal(ring, patient_id, number, text))
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except sa.exc.IntegrityError:
        raise Conflict(
            "Another suggestion was being saved at the same moment; send yours again."
        ) from None
    record("crisis_plan.suggestion.write", patient_id=patient_id,
           object_type="crisis_plan_suggestion", object_id=row.id, actor=actor)
    return row


def answer(actor, patient_id: int, suggestion_id: int, version: int) -> CrisisPlanSuggestion:
    """Mark a suggestion answered by plan version `version` of the same patient, written since it
    was sent.

    The same answer again changes nothing (200); another version for an answered suggestion is 409.
    """
    row = get(patient_id, suggestion_id)
    written = db.session.scalar(sa.select(CrisisPlanVersion).where(
        CrisisPlanVersion.patient_id == patient_id, CrisisPlanVersion.version == version))
    if written is None:
        raise Invalid("version", f"This patient's crisis plan has no version {version}.")
    if written.created_at < row.created_at:
        raise Invalid("version", f"Version {version} was written before the suggestion was sent; "
                                 "answer it with a version written since.")
    if row.status == "answered":
        if row.answered_version == version:
            return row
        raise Conflict(f"This suggestion was already answered by version {row.answered_version}.")
    row.status, row.answered_version, row.answered_at, row.answered_by = (
        "answered",
        version,
        utcnow(),
        actor.id,
    )
    db.session.flush()
    record("crisis_plan.suggestion.answer", patient_id=patient_id,
           object_type="crisis_plan_suggestion", object_id=row.id, actor=actor)
    return row


def get(patient_id: int, suggestion_id: int) -> CrisisPlanSuggestion:
    """One of the patient's suggestions, or 404."""
    row = db.session.scalar(sa.select(CrisisPlanSuggestion).where(
        CrisisPlanSuggestion.id == suggestion_id, CrisisPlanSuggestion.patient_id == patient_id))
    if row is None:
        raise NotFound(f"No suggestion {suggestion_id} for this patient.")
    return row


def suggestions(patient_id: int, limit: int, cursor: str | None, status: str | None = None) -> dict:
    """A page of the patient's suggestions, newest first, decrypted, ready for SuggestionSchema."""
    query = (sa.select(CrisisPlanSuggestion).where(CrisisPlanSuggestion.patient_id == patient_id)
             .order_by(CrisisPlanSuggestion.id.desc()).limit(limit + 1))
    if status:
        query = query.where(CrisisPlanSuggestion.status == status)
    if cursor:
        query = query.where(CrisisPlanSuggestion.id < decode_cursor(cursor, 1, (int,))[0])
    result = page(db.session.scalars(query).all(), limit, lambda row: [row.id])
    ring = keyring()
    return {**result, "items": [view(ring, row) for row in result["items"]]}


def view(ring: Keyring, row: CrisisPlanSuggestion) -> dict:
    """A suggestion with its text (None when it does not decrypt)."""
    return {
        "id": row.id,
        "created_at": row.created_at,
        "section": row.section,
        "text": open_text(ring, row),
        "status": row.status,
        "answered_version": row.answered_version,
        "answered_at": row.answered_at,
    }
