"""Reading flags: one flag within reach, a patient's flags, the flags of a ward's patients."""

import sqlalchemy as sa

from wardtrack.access.reach import patient_reach
from wardtrack.continuity.models import Flag
from wardtrack.core.errors import NotFound
from wardtrack.core.pagination import decode_cursor, page
from wardtrack.extensions import db
from wardtrack.patients.models import Episode

#: `?status=unresolved` means open or acknowledged: what still needs attention.
UNRESOLVED = "unresolved"


def get_flag(user, flag_id: int) -> Flag:
    """A flag of a patient the user reaches; 404 otherwise, so that existence does not leak."""
    flag = db.session.scalar(
        sa.select(Flag).where(Flag.id == flag_id, patient_reach(user, Flag.patient_id))
    )
    if flag is None:
        raise NotFound(f"No flag {flag_id} within your reach.")
    return flag


def ward_patient_ids(ward_id: int) -> list[int]:
    """Patients with an active episode on the ward."""
    return list(db.session.scalars(_in_care(ward_id)))


def _in_care(ward_id: int):
    return (
        sa.select(Episode.patient_id)
        .where(Episode.ward_id == ward_id, Episode.ended_at.is_(None))
        .distinct()
    )


def _page(query, status: str | None, limit: int, cursor: str | None) -> dict:
    """Newest first, by id; `status` narrows, `unresolved` meaning open or acknowledged."""
    if status == UNRESOLVED:
        query = query.where(Flag.status != "resolved")
    elif status:
        query = query.where(Flag.status == status)
    if cursor:
        (last_id,) = decode_cursor(cursor, 1, (int,))
        query = query.where(Flag.id < last_id)
    rows = list(db.session.scalars(query.order_by(Flag.id.desc()).limit(limit + 1)))
    return page(rows, limit, lambda flag: [flag.id])


def patient_flags(patient_id: int, status: str | None, limit: int, cursor: str | None) -> dict:
    """One page of a patient's flags, history included unless `status` says otherwise."""
    return _page(sa.select(Flag).where(Flag.patient_id == patient_id), status, limit, cursor)


def ward_flags(ward_id: int, status: str | None, limit: int, cursor: str | None) -> dict:
    """One page of the flags of the patients with an active episode on the ward."""
    return _page(
        sa.select(Flag).where(Flag.patient_id.in_(_in_care(ward_id))), status, limit, cursor
    )
