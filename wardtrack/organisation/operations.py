"""Creating wards and professionals."""

import sqlalchemy as sa

from wardtrack.audit.operations import record
from wardtrack.auth.access import ensure_ward_member
from wardtrack.core.errors import Conflict, Invalid
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Membership, Professional, Ward


def create_ward(name: str, setting: str, timezone: str, contact_backdate_hours: int = 72,
                check_in_interval_days: int = 30) -> Ward:
    """A new ward; 409 when the name is taken."""
    if db.session.scalar(sa.select(Ward.id).where(Ward.name == name)):
        raise Conflict(f"A ward named {name!r} exists.")
    ward = Ward(name=name, setting=setting, timezone=timezone,
                contact_backdate_hours=contact_backdate_hours,
                check_in_interval_days=check_in_interval_days)
    db.session.add(ward)
    db.session.flush()
    record("ward.create", object_type="ward", object_id=ward.id)
    return ward


def create_professional(actor, name, profession, ward_ids, work_phone=None) -> Professional:
    """A new professional belonging from today to the given wards, all of which the actor must be
    on."""
    ward_ids = sorted(set(ward_ids))
    found = set(db.session.scalars(sa.select(Ward.id).where(Ward.id.in_(ward_ids))))
    if missing := [ward_id for ward_id in ward_ids if ward_id not in found]:
        raise Invalid("ward_ids", f"No such ward: {', '.join(map(str, missing))}.")
    for ward_id in ward_ids:
        ensure_ward_member(actor, ward_id)
    today = utcnow().date()
    professional = Professional(
        name=name,
        profession=profession,
        work_phone=work_phone,
        memberships=[Membership(ward_id=w, started_on=today) for w in ward_ids],
    )
    db.session.add(professional)
    db.session.flush()
    record("professional.create", object_type="professional", object_id=professional.id)
    return professional
