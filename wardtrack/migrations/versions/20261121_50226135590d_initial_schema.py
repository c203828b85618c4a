"""initial schema

Revision ID: 50226135590d
Revises: 
Create Date: 2026-11-21

"""
import sqlalchemy as sa
from alembic import op

import wardtrack.core.db

# revision identifiers, used by Alembic.
revision = '50226135590d'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=True),
    sa.Column('object_type', sa.String(length=40), nullable=True),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_events_hash'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_patient_id'), ['patient_id'], unique=False)

    op.create_table('patients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('identifier', sa.String(length=64), nullable=False),
    sa.Column('created_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patients')),
    sa.UniqueConstraint('identifier', name=op.f('uq_patients_identifier'))
    )
    op.create_table('professionals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('profession', sa.Enum('nurse', 'psychiatrist', 'doctor', 'psychologist', 'social_worker', 'occupational_therapist', 'peer_worker', 'other', name='profession', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('work_phone', sa.String(length=40), nullable=True),
    sa.Column('created_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_professionals'))
    )
    with op.batch_alter_table('professionals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_professionals_profession'), ['profession'], unique=False)

    op.create_table('wards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('setting', sa.Enum('acute_ward', 'forensic_unit', 'community_mental_health_centre', 'assertive_outreach_team', 'outpatient_clinic', 'crisis_resolution_team', 'substance_use_unit', 'other', name='ward_setting', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('timezone', sa.String(length=60), server_default='Europe/Oslo', nullable=False),
    sa.Column('created_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wards')),
    sa.UniqueConstraint('name', name=op.f('uq_wards_name'))
    )
    op.create_table('episodes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('inpatient', 'outpatient', name='episode_kind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('legal_status', sa.Enum('voluntary', 'involuntary', name='legal_status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('started_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ended_at IS NULL OR ended_at > started_at', name=op.f('ck_episodes_ends_after_start')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_episodes_patient_id_patients')),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_episodes_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_episodes'))
    )
    with op.batch_alter_table('episodes', schema=None) as batch_op:
        batch_op.create_index('ix_episodes_patient_id_started_at', ['patient_id', 'started_at'], unique=False)
        batch_op.create_index('ix_episodes_ward_id_ended_at', ['ward_id', 'ended_at'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('admin', 'team_leader', 'nurse', 'patient', name='user_role', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=True),
    sa.Column('patient_id', sa.Integer(), nullable=True),
    sa.Column('created_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('disabled_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False),
    sa.Column('locked_until', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(role = 'patient') = (patient_id IS NOT NULL)", name=op.f('ck_users_patient_role_has_patient')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_users_patient_id_patients')),
    sa.ForeignKeyConstraint(['professional_id'], ['professionals.id'], name=op.f('fk_users_professional_id_professionals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('patient_id', name=op.f('uq_users_patient_id')),
    sa.UniqueConstraint('professional_id', name=op.f('uq_users_professional_id')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('ward_memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.CheckConstraint('ended_on IS NULL OR ended_on >= started_on', name=op.f('ck_ward_memberships_ends_after_start')),
    sa.ForeignKeyConstraint(['professional_id'], ['professionals.id'], name=op.f('fk_ward_memberships_professional_id_professionals')),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_ward_memberships_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ward_memberships'))
    )
    with op.batch_alter_table('ward_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ward_memberships_professional_id'), ['professional_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ward_memberships_ward_id'), ['ward_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('conversation', 'group', 'phone', 'video', 'medication', 'decision', 'coercive_measure', 'maintenance', 'admission', 'discharge', name='contact_kind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('occurred_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('received_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('logged_by', sa.Integer(), nullable=True),
    sa.CheckConstraint('duration_minutes IS NULL OR (duration_minutes BETWEEN 1 AND 1440)', name=op.f('ck_contacts_duration_range')),
    sa.ForeignKeyConstraint(['logged_by'], ['users.id'], name=op.f('fk_contacts_logged_by_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_contacts_patient_id_patients')),
    sa.ForeignKeyConstraint(['professional_id'], ['professionals.id'], name=op.f('fk_contacts_professional_id_professionals')),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_contacts_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('client_id', name=op.f('uq_contacts_client_id'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_patient_id_occurred_at', ['patient_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_contacts_patient_id_professional_id', ['patient_id', 'professional_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_professional_id'), ['professional_id'], unique=False)

    op.create_table('designations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('safety_person', 'primary_contact', 'therapist', name='designation_kind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('chosen_by_patient', sa.Boolean(), nullable=False),
    sa.Column('started_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.CheckConstraint('ended_at IS NULL OR ended_at >= started_at', name=op.f('ck_designations_ends_after_start')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_designations_created_by_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_designations_patient_id_patients')),
    sa.ForeignKeyConstraint(['professional_id'], ['professionals.id'], name=op.f('fk_designations_professional_id_professionals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_designations'))
    )
    with op.batch_alter_table('designations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_designations_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_designations_professional_id'), ['professional_id'], unique=False)
        batch_op.create_index('uq_designations_one_active', ['patient_id', 'kind'], unique=True, sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))

    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('user_wards',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_wards_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_user_wards_ward_id_wards')),
    sa.PrimaryKeyConstraint('user_id', 'ward_id', name=op.f('pk_user_wards'))
    )
    with op.batch_alter_table('user_wards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_wards_ward_id'), ['ward_id'], unique=False)

    _protect_audit_events()


def _protect_audit_events():
    # The audit trail is append-only: the database itself refuses to change or delete an event.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{event.lower()} BEFORE {event} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION audit_events_append_only()")
    else:
        op.execute("DROP TRIGGER audit_events_no_update")
        op.execute("DROP TRIGGER audit_events_no_delete")
    with op.batch_alter_table('user_wards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_wards_ward_id'))

    op.drop_table('user_wards')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))

    op.drop_table('user_sessions')
    with op.batch_alter_table('designations', schema=None) as batch_op:
        batch_op.drop_index('uq_designations_one_active', sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_designations_professional_id'))
        batch_op.drop_index(batch_op.f('ix_designations_patient_id'))

    op.drop_table('designations')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_professional_id'))
        batch_op.drop_index('ix_contacts_patient_id_professional_id')
        batch_op.drop_index('ix_contacts_patient_id_occurred_at')

    op.drop_table('contacts')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('ward_memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ward_memberships_ward_id'))
        batch_op.drop_index(batch_op.f('ix_ward_memberships_professional_id'))

    op.drop_table('ward_memberships')
    op.drop_table('users')
    with op.batch_alter_table('episodes', schema=None) as batch_op:
        batch_op.drop_index('ix_episodes_ward_id_ended_at')
        batch_op.drop_index('ix_episodes_patient_id_started_at')

    op.drop_table('episodes')
    op.drop_table('wards')
    with op.batch_alter_table('professionals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_professionals_profession'))

    op.drop_table('professionals')
    op.drop_table('patients')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_patient_id'))

    op.drop_table('audit_events')
