"""crisis plan editor

Revision ID: 02e654d0bbe7
Revises: 517eee68c392
Create Date: 2026-12-03
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '02e654d0bbe7'
down_revision = '517eee68c392'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
