"""Reading what was sent: the daily digests."""

import sqlalchemy as sa

from wardtrack.auth.models import UserWard
from wardtrack.core.pagination import decode_cursor, page
from wardtrack.extensions import db
from wardtrack.notifications.models import Digest


def digests(user, limit: int, cursor: str | None) -> dict:
    """A page of daily digests, newest first: of the user's wards for a team leader, of every ward
    for an admin."""
    query = sa.select(Digest).order_by(Digest.id.desc()).limit(limit + 1)
    if user.role != "admin":
        query = query.where(
            Digest.ward_id.in_(sa.select(UserWard.ward_id).where(UserWard.user_id == user.id))
        )
    if cursor:
        query = query.where(Digest.id < decode_cursor(cursor, 1, (int,))[0])
    return page(list(db.session.scalars(query)), limit, lambda row: [row.id])
