"""Reading flags: one flag within reach, a patient's flags, the flags of a ward's patients, and
check-in flags as the patient's sharing choice lets each reader see them."""

import sqlalchemy as sa

from wardtrack.access.reach import patient_reach
from wardtrack.checkins.models import CheckIn
from wardtrack.checkins.queries import visible_to
from wardtrack.continuity.models import Flag
from wardtrack.continuity.rules import Reason
from wardtrack.continuity.wording import english
from wardtrack.core.errors import NotFound
from wardtrack.core.pagination import decode_cursor, page
from wardtrack.extensions import db
from wardtrack.patients.models import Episode

#: `?status=unresolved` means open or acknowledged: what still needs attention.
UNRESOLVED = "unresolved"
#: Flags raised by a check-in; their subject is `check_in:<id>` (rules.check_in_subject).
CHECK_IN_CODES = ("relationship_strain", "help_requested")
_HIDDEN = Reason("check_in_conversation")


def _check_in_id(flag) -> int | None:
    code, subject = (flag["code"], flag["subject"]) if isinstance(flag, dict) else (
        flag.code, flag.subject)
    if code not in CHECK_IN_CODES:
        return None
    return int(subject.removeprefix("check_in:"))


def _values(flag) -> dict:
    return dict(flag) if isinstance(flag, dict) else {
        column.key: getattr(flag, column.key) for column in Flag.__table__.columns}


def _hidden(flag) -> dict:
    """The flag with neither person, domain nor score: "a check-in asks for a conversation"."""
    values = _values(flag)
    return {**values, "subject": "", "detail": english(values["code"], [_HIDDEN]),
            "reasons": [_HIDDEN.as_dict()]}


def _shared(flag, share: str) -> dict:
    """The flag with the patient's sharing choice as its last reason, shown wherever its score is."""
    values = _values(flag)
    reasons = [*(Reason(r["key"], r.get("params", {})) for r in values["reasons"] or ()),
               Reason(f"check_in_shared_{share}")]
    return {**values, "detail": english(values["code"], reasons),
            "reasons": [reason.as_dict() for reason in reasons]}


def seen_by(user, flags: list) -> list:
    """The flags (Flag rows or dicts with code and subject) as this reader may see them: a check-in
    flag whose check-in the patient's sharing choice does not let them read (checkins.queries.
    visible_to) is shown without its reasons, subject or detail; one they may read says whom the
    patient shares it with. One query, for check-in flags only."""
    wanted = {i for i in map(_check_in_id, flags) if i is not None}
    if not wanted:
        return flags
    readable = dict(db.session.execute(
        sa.select(CheckIn.id, CheckIn.share).where(CheckIn.id.in_(wanted), visible_to(user))).all())
    return [flag if (check_in := _check_in_id(flag)) is None
            else _shared(flag, readable[check_in]) if check_in in readable else _hidden(flag)
            for flag in flags]


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


def open_flag_counts() -> list[tuple[tuple[str, str], int]]:
    """How many flags are not resolved, by code and severity, over every ward: for /metrics."""
    return [((code, severity), count) for code, severity, count in db.session.execute(
        sa.select(Flag.code, Flag.severity, sa.func.count()).where(Flag.status != "resolved")
        .group_by(Flag.code, Flag.severity).order_by(Flag.code, Flag.severity))]
