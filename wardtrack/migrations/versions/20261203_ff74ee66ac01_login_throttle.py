"""login throttle: counters shared by every worker and host, instead of a lock on the account

Drops users.failed_logins and users.locked_until (a hard lock let anyone lock any account out) and adds
login_throttle (wardtrack.auth.throttle).

Revision ID: ff74ee66ac01
Revises: 7b873828aebf
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import wardtrack.core.db

revision = 'ff74ee66ac01'
down_revision = '7b873828aebf'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), server_default='0', nullable=False),
    sa.Column('pending', sa.Integer(), server_default='0', nullable=False),
    sa.Column('next_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttle_expires_at'), ['expires_at'], unique=False)
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy of users would drop the table its
    # sessions, tokens and audit events refer to.
    op.drop_column('users', 'locked_until')
    op.drop_column('users', 'failed_logins')


def downgrade():
    op.add_column('users', sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
    op.add_column('users', sa.Column('locked_until', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttle_expires_at'))
    op.drop_table('login_throttle')
