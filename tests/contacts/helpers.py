"""Reading contacts straight from the database."""

import sqlalchemy as sa

from wardtrack.contacts.models import Contact
from wardtrack.extensions import db


def stored_contacts(**where) -> list[Contact]:
    db.session.expire_all()
    query = sa.select(Contact).order_by(Contact.id)
    for name, value in where.items():
        query = query.where(getattr(Contact, name) == value)
    return list(db.session.scalars(query))
