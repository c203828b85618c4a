"""admission reach: an episode's room or bed, and admissions of patients from outside the admitter's reach

Revision ID: 5c7e47da97d8
Revises: 7ab15f025423
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import wardtrack.core.db

revision = '5c7e47da97d8'
down_revision = '7ab15f025423'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('episodes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('location', sa.String(length=40), nullable=True))

    op.create_table('outside_admissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('from_ward_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('admitted_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('reviewed_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.Column('review_note', sa.String(length=1000), nullable=True),
    sa.CheckConstraint('(reviewed_at IS NULL) = (reviewed_by IS NULL)',
                       name=op.f('ck_outside_admissions_review_has_reviewer')),
    sa.ForeignKeyConstraint(['episode_id'], ['episodes.id'], name=op.f('fk_outside_admissions_episode_id_episodes')),
    sa.ForeignKeyConstraint(['from_ward_id'], ['wards.id'], name=op.f('fk_outside_admissions_from_ward_id_wards')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_outside_admissions_patient_id_patients')),
    sa.ForeignKeyConstraint(['reviewed_by'], ['users.id'], name=op.f('fk_outside_admissions_reviewed_by_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outside_admissions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outside_admissions')),
    sa.UniqueConstraint('episode_id', name=op.f('uq_outside_admissions_episode_id'))
    )
    with op.batch_alter_table('outside_admissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outside_admissions_from_ward_id'), ['from_ward_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outside_admissions_patient_id'), ['patient_id'], unique=False)


def downgrade():
    with op.batch_alter_table('outside_admissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outside_admissions_patient_id'))
        batch_op.drop_index(batch_op.f('ix_outside_admissions_from_ward_id'))

    op.drop_table('outside_admissions')
    with op.batch_alter_table('episodes', schema=None) as batch_op:
        batch_op.drop_column('location')
