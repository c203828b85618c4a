"""audit checkpoints

Revision ID: 7b873828aebf
Revises: 5c7e47da97d8
Create Date: 2026-12-03
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '7b873828aebf'
down_revision = '5c7e47da97d8'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
