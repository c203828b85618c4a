"""check-in client_id: the phone's own id for a check-in, so that a form sent twice is stored once

Revision ID: 5d0f3c9a7e21
Revises: 971c0ca045b6
Create Date: 2026-12-04 22:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5d0f3c9a7e21"
down_revision = "971c0ca045b6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_id", sa.Uuid(), nullable=True))
        batch_op.create_unique_constraint("uq_check_ins_client_id", ["client_id"])


def downgrade():
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.drop_constraint("uq_check_ins_client_id", type_="unique")
        batch_op.drop_column("client_id")
