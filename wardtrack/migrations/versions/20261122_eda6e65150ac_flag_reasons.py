"""flag reasons: the language-neutral parts of a flag's detail, for pages in any language

Revision ID: eda6e65150ac
Revises: db1f79d81934
Create Date: 2026-11-22 02:55:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'eda6e65150ac'
down_revision = 'db1f79d81934'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows keep NULL until their patient's next recomputation; the pages then show `detail`.
    # Plain ALTER TABLE, also on SQLite: a batch copy of flags could lose the partial unique index's WHERE.
    op.add_column('flags', sa.Column('reasons', sa.JSON(), nullable=True))


def downgrade():
    op.drop_column('flags', 'reasons')
