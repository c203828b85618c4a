"""contact retraction: a contact's status (recorded / entered_in_error) with who retracted it, when and why;
and each ward's limit for logging a contact back in time without an explicit confirmation

Revision ID: a991fd35e6af
Revises: ff74ee66ac01
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import wardtrack.core.db

revision = 'a991fd35e6af'
down_revision = 'ff74ee66ac01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'status', sa.Enum('recorded', 'entered_in_error', name='contact_status', native_enum=False,
                              create_constraint=True, length=40),
            server_default='recorded', nullable=False))
        batch_op.add_column(sa.Column('retracted_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('retracted_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('retraction_reason', sa.String(length=500), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_contacts_retracted_by_users'), 'users', ['retracted_by'], ['id'])
    with op.batch_alter_table('wards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_backdate_hours', sa.Integer(), server_default='72', nullable=False))


def downgrade():
    with op.batch_alter_table('wards', schema=None) as batch_op:
        batch_op.drop_column('contact_backdate_hours')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contacts_retracted_by_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_contacts_contact_status'), type_='check')
        batch_op.drop_column('retraction_reason')
        batch_op.drop_column('retracted_by')
        batch_op.drop_column('retracted_at')
        batch_op.drop_column('status')
