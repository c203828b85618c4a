"""board rules

Revision ID: 517eee68c392
Revises: a991fd35e6af
Create Date: 2026-12-03
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '517eee68c392'
down_revision = 'a991fd35e6af'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
