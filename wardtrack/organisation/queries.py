"""Reading wards and professionals."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from wardtrack.auth.access import ensure_ward_member
from wardtrack.core.errors import NotFound
from wardtrack.core.pagination import decode_cursor, page
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Membership, Professional, Ward


def get_ward(ward_id: int) -> Ward:
    """A ward or 404."""
    ward = db.session.get(Ward, ward_id)
    if ward is None:
        raise NotFound(f"No ward {ward_id}.")
    return ward


def get_staff_ward(user, ward_id: int) -> Ward:
    """A ward the user works on (admins: any ward); 404 unknown, 403 not theirs."""
    ward = get_ward(ward_id)
    ensure_ward_member(user, ward_id)
    return ward


def get_professional(professional_id: int) -> Professional:
    """A professional or 404."""
    professional = db.session.get(Professional, professional_id)
    if professional is None:
        raise NotFound(f"No professional {professional_id}.")
    return professional


def list_wards(limit: int, cursor: str | None) -> dict:
    """Wards by id, one page."""
    query = sa.select(Ward).order_by(Ward.id).limit(limit + 1)
    if cursor:
        query = query.where(Ward.id > decode_cursor(cursor, 1, (int,))[0])
    return page(db.session.scalars(query).all(), limit, lambda ward: [ward.id])


def list_professionals(limit, cursor, ward_id=None, profession=None, q=None) -> dict:
    """Professionals by name, optionally on a ward today, of a profession, or matching a name."""
    query = (sa.select(Professional).options(selectinload(Professional.memberships))
             .order_by(Professional.name, Professional.id).limit(limit + 1))
    if ward_id:
        today = utcnow().date()
        query = query.where(Professional.memberships.any(sa.and_(
            Membership.ward_id == ward_id, Membership.started_on <= today,
            sa.or_(Membership.ended_on.is_(None), Membership.ended_on >= today))))
    if profession:
        query = query.where(Professional.profession == profession)
    if q:
        query = query.where(Professional.name.icontains(q, autoescape=True))
    if cursor:
        name, last_id = decode_cursor(cursor, 2, (str, int))
        query = query.where(
            sa.tuple_(Professional.name, Professional.id) > sa.tuple_(name, last_id)
        )
    return page(db.session.scalars(query).all(), limit, lambda p: [p.name, p.id])
