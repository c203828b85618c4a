"""Reading the audit chain."""

import sqlalchemy as sa

from wardtrack.audit.models import AuditChainHead, AuditEvent
from wardtrack.audit.operations import GENESIS, chain_hash
from wardtrack.extensions import db


def first_broken_link(batch_size: int = 2000) -> tuple[AuditEvent | None, int, str]:
    """Walk the chain in order: (first event whose link or hash is wrong, events checked, last good hash)."""
    prev_hash, last_id, checked = GENESIS, 0, 0
    while True:
        batch = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch_size)
        ).all()
        if not batch:
            return None, checked, prev_hash
        for event in batch:
            checked += 1
            if event.prev_hash != prev_hash or event.hash != chain_hash(prev_hash, event):
                return event, checked, prev_hash
            prev_hash, last_id = event.hash, event.id
        db.session.expunge_all()


def head_hash() -> str | None:
    """The hash the chain's head row names: the newest event appended."""
    return db.session.scalar(sa.select(AuditChainHead.hash).where(AuditChainHead.id == 1))
