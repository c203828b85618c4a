"""One message, one transaction: read it, apply it, commit it with its audit event, and only then
build the ACK (AA accepted, AE application error with the reason in ERR, AR rejected)."""

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from wardtrack.adt import messages
from wardtrack.adt.models import AdtMessage
from wardtrack.adt.operations import apply, site_zone
from wardtrack.core.errors import DomainError
from wardtrack.extensions import db

log = logging.getLogger("wardtrack.adt")


@dataclass
class Answer:
    code: str  # AA, AE or AR
    ack: str
    outcome: str  # applied, stale, duplicate, error, rejected


def process(text: str) -> Answer:
    """Apply one message (CR, LF or CRLF segments) in a transaction of its own and answer it. The
    ACK exists only after the commit. Logged by control id and event only: never patient data."""
    text = messages.normalise(text)
    try:
        control_id, event = messages.header(messages.parse(text))
    except messages.Rejected as rejected:
        log.warning("adt: message rejected (%s)", rejected)
        return Answer("AR", messages.ack(text, "AR", str(rejected), "200"), "rejected")
    for attempt in range(3):
        try:
            return _apply(text, control_id)
        except (messages.Unusable, DomainError) as error:
            db.session.rollback()
            reason, code = _reason(error)
            _log_error(control_id, event, reason)
            log.info("adt: %s %s answered AE", _safe(control_id), _safe(event))
            return Answer("AE", messages.ack(text, "AE", reason, code), "error")
        except (IntegrityError, OperationalError):
            # Another connection applied the same control id (or PostgreSQL chose this one as a
            # deadlock's victim): roll back and look again.
            db.session.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _apply(text: str, control_id: str) -> Answer:
    previous = db.session.scalar(
        sa.select(AdtMessage.outcome).where(AdtMessage.control_id == control_id))
    adt = messages.read(messages.parse(text), site_zone())
    row = apply(adt)
    outcome = "duplicate" if previous in ("applied", "stale") else row.outcome
    db.session.commit()
    log.info("adt: %s %s %s", _safe(control_id), adt.event, outcome)
    return Answer("AA", messages.ack(text, "AA"), outcome)


def _reason(error) -> tuple[str, str]:
    if isinstance(error, messages.Unusable):
        return error.reason, error.code
    return error.detail, "207"


def _log_error(control_id: str, event: str, reason: str) -> None:
    """Keep the refusal in the message log, in a transaction of its own (nothing of the message is
    stored); a corrected resend under the same control id is applied later."""
    try:
        row = db.session.scalar(sa.select(AdtMessage).where(AdtMessage.control_id == control_id))
        if row is None:
            row = AdtMessage(control_id=control_id)
            db.session.add(row)
        elif row.outcome != "error":
            db.session.rollback()
            return
        row.event, row.outcome, row.error = (event or "")[:8], "error", reason[:200]
        row.event_at, row.patient_id, row.episode_id = None, None, None
        db.session.commit()
    except (IntegrityError, OperationalError):
        db.session.rollback()


def _safe(text: str) -> str:
    """A control id or event for the log: printable, short."""
    return "".join(ch for ch in text[:64] if ch.isprintable())
