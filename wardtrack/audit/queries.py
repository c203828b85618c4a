"""Reading the audit chain."""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from wardtrack.audit.models import AuditChainHead, AuditEvent
from wardtrack.audit.operations import GENESIS, chain_hash
from wardtrack.extensions import db


@dataclass
class BrokenLink:
    id: int
    action: str
    at: datetime
    position: int  # 1 for the oldest event


@dataclass
class Walk:
    """One pass over the chain in order: its length, its first broken link, and the hash at the
    positions asked."""

    count: int = 0
    broken: BrokenLink | None = None
    last_hash: str = GENESIS  # of the newest event: with no broken link, the head must name it
    first_at: datetime | None = None
    at_positions: dict[int, tuple[int, str]] = field(default_factory=dict)  # position -> (id, hash)


def walk_chain(positions=frozenset(), batch_size: int = 2000) -> Walk:
    """Walk every event in id order, checking each link and hash; note (id, hash) at the given
    positions."""
    # None: from the smallest id, even one forged below 1
    walk, prev_hash, last_id = Walk(), GENESIS, None
    while True:
        query = sa.select(AuditEvent).order_by(AuditEvent.id).limit(batch_size)
        batch = db.session.scalars(
            query if last_id is None else query.where(AuditEvent.id > last_id)
        ).all()
        if not batch:
            return walk
        for event in batch:
            walk.count += 1
            if walk.first_at is None:
                walk.first_at = event.at
            if (
                walk.broken is None
                and (event.prev_hash != prev_hash or event.hash != chain_hash(prev_hash, event))
            ):
                walk.broken = BrokenLink(event.id, event.action, event.at, walk.count)
            if walk.count in positions:
                walk.at_positions[walk.count] = (event.id, event.hash)
            prev_hash, last_id = event.hash, event.id
        walk.last_hash = prev_hash
        db.session.expunge_all()


def head_hash() -> str | None:
    """The hash the chain's head row names: the newest event appended."""
    return db.session.scalar(sa.select(AuditChainHead.hash).where(AuditChainHead.id == 1))
