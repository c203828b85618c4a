"""attending doctor: a designation kind of its own, set by the hospital's feed (docs/adt.md) and counted by
the high_turnover flag

Revision ID: a3c5e7f90b12
Revises: b7e4a91c2d30
Create Date: 2026-12-04 22:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a3c5e7f90b12"
down_revision = "b7e4a91c2d30"
branch_labels = None
depends_on = None

# The designation kinds as they were when this migration was written.
BEFORE = ("safety_person", "primary_contact", "therapist")
AFTER = (*BEFORE, "attending_doctor")


def _kinds(values) -> sa.Enum:
    """The designation kind column's type: a string limited by the named CHECK constraint designation_kind."""
    return sa.Enum(*values, name="designation_kind", native_enum=False, create_constraint=True, length=40)


def _alter(old, new) -> None:
    # On SQLite the table is copied; its indexes, the partial unique one included, go with it.
    with op.batch_alter_table("designations", schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=_kinds(old), type_=_kinds(new), existing_nullable=False)


def upgrade():
    _alter(BEFORE, AFTER)


def downgrade():
    op.execute("DELETE FROM designations WHERE kind = 'attending_doctor'")
    _alter(AFTER, BEFORE)
