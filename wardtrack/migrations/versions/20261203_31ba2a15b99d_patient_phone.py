"""patient phone: the crisis-plan changes a patient suggests from their phone (encrypted)

Revision ID: 31ba2a15b99d
Revises: 02e654d0bbe7
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import wardtrack.core.db

revision = '31ba2a15b99d'
down_revision = '02e654d0bbe7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'crisis_plan_suggestions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('patient_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('created_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('section', sa.String(length=40), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('answered_version', sa.Integer(), nullable=True),
        sa.Column('answered_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column('answered_by', sa.Integer(), nullable=True),
        sa.Column('key_id', sa.String(length=40), nullable=False),
        sa.Column('wrapped_key', sa.LargeBinary(), nullable=False),
        sa.Column('nonce', sa.LargeBinary(), nullable=False),
        sa.Column('ciphertext', sa.LargeBinary(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'answered')", name=op.f('ck_crisis_plan_suggestions_status_known')),
        sa.ForeignKeyConstraint(['answered_by'], ['users.id'],
                                name=op.f('fk_crisis_plan_suggestions_answered_by_users')),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'],
                                name=op.f('fk_crisis_plan_suggestions_created_by_users')),
        sa.ForeignKeyConstraint(['patient_id'], ['patients.id'],
                                name=op.f('fk_crisis_plan_suggestions_patient_id_patients')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_crisis_plan_suggestions')),
        sa.UniqueConstraint('patient_id', 'number', name='uq_crisis_plan_suggestions_patient_id_number'),
    )
    with op.batch_alter_table('crisis_plan_suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crisis_plan_suggestions_key_id'), ['key_id'], unique=False)


def downgrade():
    with op.batch_alter_table('crisis_plan_suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crisis_plan_suggestions_key_id'))
    op.drop_table('crisis_plan_suggestions')
