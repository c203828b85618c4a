"""adt feed: the HL7 v2 ADT message log, the mapping of points of care to wards, the feed's doctors,
its visits and its patient merges (wardtrack/adt; docs/adt.md)

Revision ID: b5ff25f336c8
Revises: a3c5e7f90b12
Create Date: 2026-12-04 22:04:57.923376

"""
import sqlalchemy as sa
from alembic import op

import wardtrack.core.db

# revision identifiers, used by Alembic.
revision = 'b5ff25f336c8'
down_revision = 'a3c5e7f90b12'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('adt_doctors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('identifier', sa.String(length=64), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=False),
    sa.Column('created_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['professional_id'], ['professionals.id'], name=op.f('fk_adt_doctors_professional_id_professionals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adt_doctors')),
    sa.UniqueConstraint('identifier', name=op.f('uq_adt_doctors_identifier')),
    sa.UniqueConstraint('professional_id', name=op.f('uq_adt_doctors_professional_id'))
    )
    op.create_table('adt_locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('point_of_care', sa.String(length=40), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_adt_locations_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adt_locations')),
    sa.UniqueConstraint('point_of_care', name=op.f('uq_adt_locations_point_of_care'))
    )
    with op.batch_alter_table('adt_locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adt_locations_ward_id'), ['ward_id'], unique=False)

    op.create_table('adt_merges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('merged_patient_id', sa.Integer(), nullable=False),
    sa.Column('surviving_patient_id', sa.Integer(), nullable=False),
    sa.Column('control_id', sa.String(length=64), nullable=False),
    sa.Column('merged_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['merged_patient_id'], ['patients.id'], name=op.f('fk_adt_merges_merged_patient_id_patients')),
    sa.ForeignKeyConstraint(['surviving_patient_id'], ['patients.id'], name=op.f('fk_adt_merges_surviving_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adt_merges')),
    sa.UniqueConstraint('merged_patient_id', name=op.f('uq_adt_merges_merged_patient_id'))
    )
    with op.batch_alter_table('adt_merges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adt_merges_surviving_patient_id'), ['surviving_patient_id'], unique=False)

    op.create_table('adt_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('control_id', sa.String(length=64), nullable=False),
    sa.Column('event', sa.String(length=8), nullable=False),
    sa.Column('received_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('event_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('error', sa.String(length=200), nullable=True),
    sa.Column('patient_id', sa.Integer(), nullable=True),
    sa.Column('episode_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_adt_messages_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adt_messages')),
    sa.UniqueConstraint('control_id', name=op.f('uq_adt_messages_control_id'))
    )
    with op.batch_alter_table('adt_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adt_messages_patient_id'), ['patient_id'], unique=False)

    op.create_table('adt_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_number', sa.String(length=64), nullable=True),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=True),
    sa.Column('previous_episode_id', sa.Integer(), nullable=True),
    sa.Column('last_event_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['episode_id'], ['episodes.id'], name=op.f('fk_adt_visits_episode_id_episodes')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_adt_visits_patient_id_patients')),
    sa.ForeignKeyConstraint(['previous_episode_id'], ['episodes.id'], name=op.f('fk_adt_visits_previous_episode_id_episodes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adt_visits')),
    sa.UniqueConstraint('visit_number', name=op.f('uq_adt_visits_visit_number'))
    )
    with op.batch_alter_table('adt_visits', schema=None) as batch_op:
        batch_op.create_index('ix_adt_visits_patient_id', ['patient_id'], unique=False)



def downgrade():
    with op.batch_alter_table('adt_visits', schema=None) as batch_op:
        batch_op.drop_index('ix_adt_visits_patient_id')

    op.drop_table('adt_visits')
    with op.batch_alter_table('adt_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adt_messages_patient_id'))

    op.drop_table('adt_messages')
    with op.batch_alter_table('adt_merges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adt_merges_surviving_patient_id'))

    op.drop_table('adt_merges')
    with op.batch_alter_table('adt_locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adt_locations_ward_id'))

    op.drop_table('adt_locations')
    op.drop_table('adt_doctors')
