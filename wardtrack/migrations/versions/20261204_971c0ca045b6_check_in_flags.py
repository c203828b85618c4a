"""check-in flags: relationship_strain and help_requested join the flag codes
(wardtrack/continuity/rules.py; docs/flags.md)

Revision ID: 971c0ca045b6
Revises: ccf2d05eb225
Create Date: 2026-12-04 17:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "971c0ca045b6"
down_revision = "ccf2d05eb225"
branch_labels = None
depends_on = None

# The flag codes as they were when this migration was written.
BEFORE = ("no_safety_person", "high_turnover", "stranger_decision", "readmission_tipping_point",
          "extensive_hospitalisation", "no_crisis_plan", "crisis_plan_stale", "maintenance_overdue",
          "transition_without_known_professional")
AFTER = (*BEFORE, "relationship_strain", "help_requested")


def _codes(values) -> sa.Enum:
    """The flag code column's type: a string limited by the named CHECK constraint flag_code."""
    return sa.Enum(*values, name="flag_code", native_enum=False, create_constraint=True, length=40)


def _alter(old, new) -> None:
    # On SQLite the table is copied; its indexes, the partial unique one included, go with it.
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.alter_column("code", existing_type=_codes(old), type_=_codes(new),
                              existing_nullable=False)


def upgrade():
    _alter(BEFORE, AFTER)


def downgrade():
    op.execute(sa.text("DELETE FROM flags WHERE code IN ('relationship_strain', 'help_requested')"))
    _alter(AFTER, BEFORE)
