"""initial schema: every package's tables, and the audit trail's protections in the database itself

One migration in place of the chain that ended at revision 31ba2a15b99d, under that revision's id: a database
that chain built is at this revision already, and goes on from here (tests/test_migrations.py upgrades one).

The audit trail is append-only. On SQLite, triggers refuse an update or delete of an event. On PostgreSQL:
- a row trigger refuses an update or delete of an event, and a statement trigger TRUNCATE of either audit table;
- audit_chain_lock() returns the chain head's hash locked FOR UPDATE, and audit_chain_advance() moves the head
  on after every insert: both run as their owner (SECURITY DEFINER, fixed search_path), so that the app's
  role appends events without being allowed to change the head itself;
- when WARDTRACK_DATABASE_APP_ROLE names the app's role, it gets its grants (`flask audit grant-app-role`
  does the same and may be run again at any time; see docs/audit.md and deploy/postgres-roles.sql).

Revision ID: 31ba2a15b99d
Revises:
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import wardtrack.core.db

revision = '31ba2a15b99d'
down_revision = None
branch_labels = None
depends_on = None

GENESIS = "0" * 64
AUDIT_TABLES = ("audit_events", "audit_chain_head")


def upgrade():
    op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_audit_chain_head_one_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
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
    op.create_index(op.f('ix_audit_events_patient_id'), 'audit_events', ['patient_id'], unique=False)
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), server_default='0', nullable=False),
    sa.Column('pending', sa.Integer(), server_default='0', nullable=False),
    sa.Column('next_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    op.create_index(op.f('ix_login_throttle_expires_at'), 'login_throttle', ['expires_at'], unique=False)
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
    op.create_index(op.f('ix_professionals_profession'), 'professionals', ['profession'], unique=False)
    op.create_table('wards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('setting', sa.Enum('acute_ward', 'forensic_unit', 'community_mental_health_centre', 'assertive_outreach_team', 'outpatient_clinic', 'crisis_resolution_team', 'substance_use_unit', 'other', name='ward_setting', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('timezone', sa.String(length=60), server_default='Europe/Oslo', nullable=False),
    sa.Column('contact_backdate_hours', sa.Integer(), server_default='72', nullable=False),
    sa.Column('created_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wards')),
    sa.UniqueConstraint('name', name=op.f('uq_wards_name'))
    )
    op.create_table('continuity_snapshots',
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('window_days', sa.Integer(), nullable=False),
    sa.Column('contacts', sa.Integer(), nullable=False),
    sa.Column('distinct_professionals', sa.Integer(), nullable=False),
    sa.Column('new_professionals', sa.Integer(), nullable=False),
    sa.Column('upc', sa.Double(), nullable=True),
    sa.Column('coc', sa.Double(), nullable=True),
    sa.Column('secon', sa.Double(), nullable=True),
    sa.Column('kpc', sa.Double(), nullable=True),
    sa.Column('computed_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('window_days IN (30, 90)', name=op.f('ck_continuity_snapshots_known_window')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_continuity_snapshots_patient_id_patients')),
    sa.PrimaryKeyConstraint('patient_id', 'window_days', name=op.f('pk_continuity_snapshots'))
    )
    op.create_table('digests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('since_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('created_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('new_flags', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_digests_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digests')),
    sa.UniqueConstraint('ward_id', 'local_date', name='uq_digests_ward_id_local_date')
    )
    op.create_table('episodes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('inpatient', 'outpatient', name='episode_kind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('legal_status', sa.Enum('voluntary', 'involuntary', name='legal_status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('started_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('location', sa.String(length=40), nullable=True),
    sa.Column('created_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ended_at IS NULL OR ended_at > started_at', name=op.f('ck_episodes_ends_after_start')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_episodes_patient_id_patients')),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_episodes_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_episodes'))
    )
    op.create_index('ix_episodes_patient_id_started_at', 'episodes', ['patient_id', 'started_at'], unique=False)
    op.create_index('ix_episodes_ward_id_ended_at', 'episodes', ['ward_id', 'ended_at'], unique=False)
    op.create_table('flag_recompute_queue',
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('queued_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_flag_recompute_queue_patient_id_patients')),
    sa.PrimaryKeyConstraint('patient_id', name=op.f('pk_flag_recompute_queue'))
    )
    op.create_table('patient_professionals',
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=False),
    sa.Column('first_contact_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('last_contact_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('contacts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_patient_professionals_patient_id_patients')),
    sa.ForeignKeyConstraint(['professional_id'], ['professionals.id'], name=op.f('fk_patient_professionals_professional_id_professionals')),
    sa.PrimaryKeyConstraint('patient_id', 'professional_id', name=op.f('pk_patient_professionals'))
    )
    op.create_index(op.f('ix_patient_professionals_professional_id'), 'patient_professionals', ['professional_id'], unique=False)
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('admin', 'team_leader', 'nurse', 'patient', name='user_role', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=True),
    sa.Column('patient_id', sa.Integer(), nullable=True),
    sa.Column('created_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('disabled_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
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
    op.create_index(op.f('ix_ward_memberships_professional_id'), 'ward_memberships', ['professional_id'], unique=False)
    op.create_index(op.f('ix_ward_memberships_ward_id'), 'ward_memberships', ['ward_id'], unique=False)
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
    op.create_index(op.f('ix_api_tokens_user_id'), 'api_tokens', ['user_id'], unique=False)
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
    sa.Column('status', sa.Enum('recorded', 'entered_in_error', name='contact_status', native_enum=False, create_constraint=True, length=40), server_default='recorded', nullable=False),
    sa.Column('retracted_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('retracted_by', sa.Integer(), nullable=True),
    sa.Column('retraction_reason', sa.String(length=500), nullable=True),
    sa.CheckConstraint('duration_minutes IS NULL OR (duration_minutes BETWEEN 1 AND 1440)', name=op.f('ck_contacts_duration_range')),
    sa.ForeignKeyConstraint(['logged_by'], ['users.id'], name=op.f('fk_contacts_logged_by_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_contacts_patient_id_patients')),
    sa.ForeignKeyConstraint(['professional_id'], ['professionals.id'], name=op.f('fk_contacts_professional_id_professionals')),
    sa.ForeignKeyConstraint(['retracted_by'], ['users.id'], name=op.f('fk_contacts_retracted_by_users')),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_contacts_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('client_id', name=op.f('uq_contacts_client_id'))
    )
    op.create_index('ix_contacts_patient_id_occurred_at', 'contacts', ['patient_id', 'occurred_at'], unique=False)
    op.create_index('ix_contacts_patient_id_professional_id', 'contacts', ['patient_id', 'professional_id'], unique=False)
    op.create_index(op.f('ix_contacts_professional_id'), 'contacts', ['professional_id'], unique=False)
    op.create_table('crisis_plan_suggestions',
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
    sa.ForeignKeyConstraint(['answered_by'], ['users.id'], name=op.f('fk_crisis_plan_suggestions_answered_by_users')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_crisis_plan_suggestions_created_by_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_crisis_plan_suggestions_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crisis_plan_suggestions')),
    sa.UniqueConstraint('patient_id', 'number', name='uq_crisis_plan_suggestions_patient_id_number')
    )
    op.create_index(op.f('ix_crisis_plan_suggestions_key_id'), 'crisis_plan_suggestions', ['key_id'], unique=False)
    op.create_table('crisis_plan_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('author_role', sa.String(length=20), nullable=False),
    sa.Column('reviewed_with_patient', sa.Boolean(), nullable=False),
    sa.Column('key_id', sa.String(length=40), nullable=False),
    sa.Column('wrapped_key', sa.LargeBinary(), nullable=False),
    sa.Column('nonce', sa.LargeBinary(), nullable=False),
    sa.Column('ciphertext', sa.LargeBinary(), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_crisis_plan_versions_version_positive')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_crisis_plan_versions_created_by_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_crisis_plan_versions_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crisis_plan_versions')),
    sa.UniqueConstraint('patient_id', 'version', name='uq_crisis_plan_versions_patient_id_version')
    )
    op.create_index(op.f('ix_crisis_plan_versions_key_id'), 'crisis_plan_versions', ['key_id'], unique=False)
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
    op.create_index(op.f('ix_designations_patient_id'), 'designations', ['patient_id'], unique=False)
    op.create_index(op.f('ix_designations_professional_id'), 'designations', ['professional_id'], unique=False)
    op.create_index('uq_designations_one_active', 'designations', ['patient_id', 'kind'], unique=True, sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))
    op.create_table('emergency_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('granted_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('reviewed_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.Column('review_note', sa.String(length=1000), nullable=True),
    sa.CheckConstraint('(reviewed_at IS NULL) = (reviewed_by IS NULL)', name=op.f('ck_emergency_access_review_has_reviewer')),
    sa.CheckConstraint('expires_at > granted_at', name=op.f('ck_emergency_access_expires_after_grant')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_emergency_access_patient_id_patients')),
    sa.ForeignKeyConstraint(['reviewed_by'], ['users.id'], name=op.f('fk_emergency_access_reviewed_by_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_emergency_access_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emergency_access'))
    )
    op.create_index(op.f('ix_emergency_access_patient_id'), 'emergency_access', ['patient_id'], unique=False)
    op.create_index('ix_emergency_access_user_id_patient_id_expires_at', 'emergency_access', ['user_id', 'patient_id', 'expires_at'], unique=False)
    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.Enum('no_safety_person', 'high_turnover', 'stranger_decision', 'readmission_tipping_point', 'extensive_hospitalisation', 'no_crisis_plan', 'crisis_plan_stale', 'maintenance_overdue', 'transition_without_known_professional', name='flag_code', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('subject', sa.String(length=60), nullable=False),
    sa.Column('severity', sa.Enum('low', 'medium', 'high', name='flag_severity', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('status', sa.Enum('open', 'acknowledged', 'resolved', name='flag_status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('detail', sa.String(length=1000), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=True),
    sa.Column('opened_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.Integer(), nullable=True),
    sa.Column('acknowledge_note', sa.String(length=1000), nullable=True),
    sa.Column('resolved_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.Integer(), nullable=True),
    sa.Column('resolve_note', sa.String(length=1000), nullable=True),
    sa.Column('suppressed', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['acknowledged_by'], ['users.id'], name=op.f('fk_flags_acknowledged_by_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_flags_patient_id_patients')),
    sa.ForeignKeyConstraint(['resolved_by'], ['users.id'], name=op.f('fk_flags_resolved_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags'))
    )
    op.create_index('ix_flags_patient_id_status', 'flags', ['patient_id', 'status'], unique=False)
    op.create_index('uq_flags_one_unresolved', 'flags', ['patient_id', 'code', 'subject'], unique=True, sqlite_where=sa.text("status <> 'resolved'"), postgresql_where=sa.text("status <> 'resolved'"))
    op.create_table('maintenance_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=False),
    sa.Column('interval_days', sa.Integer(), nullable=False),
    sa.Column('any_contact_counts', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('started_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.CheckConstraint('interval_days BETWEEN 7 AND 730', name=op.f('ck_maintenance_plans_interval_range')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_maintenance_plans_created_by_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_maintenance_plans_patient_id_patients')),
    sa.ForeignKeyConstraint(['professional_id'], ['professionals.id'], name=op.f('fk_maintenance_plans_professional_id_professionals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_maintenance_plans'))
    )
    op.create_index('ix_maintenance_plans_patient_id_professional_id', 'maintenance_plans', ['patient_id', 'professional_id'], unique=False)
    op.create_index(op.f('ix_maintenance_plans_professional_id'), 'maintenance_plans', ['professional_id'], unique=False)
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
    sa.CheckConstraint('(reviewed_at IS NULL) = (reviewed_by IS NULL)', name=op.f('ck_outside_admissions_review_has_reviewer')),
    sa.ForeignKeyConstraint(['episode_id'], ['episodes.id'], name=op.f('fk_outside_admissions_episode_id_episodes')),
    sa.ForeignKeyConstraint(['from_ward_id'], ['wards.id'], name=op.f('fk_outside_admissions_from_ward_id_wards')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_outside_admissions_patient_id_patients')),
    sa.ForeignKeyConstraint(['reviewed_by'], ['users.id'], name=op.f('fk_outside_admissions_reviewed_by_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outside_admissions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outside_admissions')),
    sa.UniqueConstraint('episode_id', name=op.f('uq_outside_admissions_episode_id'))
    )
    op.create_index(op.f('ix_outside_admissions_from_ward_id'), 'outside_admissions', ['from_ward_id'], unique=False)
    op.create_index(op.f('ix_outside_admissions_patient_id'), 'outside_admissions', ['patient_id'], unique=False)
    op.create_table('push_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('endpoint', sa.String(length=2000), nullable=False),
    sa.Column('p256dh', sa.String(length=200), nullable=False),
    sa.Column('auth', sa.String(length=100), nullable=False),
    sa.Column('created_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_push_subscriptions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_subscriptions')),
    sa.UniqueConstraint('endpoint', name=op.f('uq_push_subscriptions_endpoint'))
    )
    op.create_index(op.f('ix_push_subscriptions_user_id'), 'push_subscriptions', ['user_id'], unique=False)
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
    op.create_index(op.f('ix_user_sessions_user_id'), 'user_sessions', ['user_id'], unique=False)
    op.create_table('user_wards',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_wards_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_user_wards_ward_id_wards')),
    sa.PrimaryKeyConstraint('user_id', 'ward_id', name=op.f('pk_user_wards'))
    )
    op.create_index(op.f('ix_user_wards_ward_id'), 'user_wards', ['ward_id'], unique=False)
    op.create_table('ward_policies',
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('thresholds', sa.JSON(), nullable=False),
    sa.Column('updated_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_ward_policies_updated_by_users')),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_ward_policies_ward_id_wards')),
    sa.PrimaryKeyConstraint('ward_id', name=op.f('pk_ward_policies'))
    )
    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('maintenance_due', 'crisis_plan_review', name='reminder_kind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('due_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('basis_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=True),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('open', 'done', 'snoozed', 'closed', name='reminder_status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('snoozed_until', sa.Date(), nullable=True),
    sa.Column('created_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('done_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('done_by', sa.Integer(), nullable=True),
    sa.Column('closed_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('crisis_plan_version_id', sa.Integer(), nullable=True),
    sa.Column('notified_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['crisis_plan_version_id'], ['crisis_plan_versions.id'], name=op.f('fk_reminders_crisis_plan_version_id_crisis_plan_versions')),
    sa.ForeignKeyConstraint(['done_by'], ['users.id'], name=op.f('fk_reminders_done_by_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_reminders_patient_id_patients')),
    sa.ForeignKeyConstraint(['plan_id'], ['maintenance_plans.id'], name=op.f('fk_reminders_plan_id_maintenance_plans')),
    sa.ForeignKeyConstraint(['professional_id'], ['professionals.id'], name=op.f('fk_reminders_professional_id_professionals')),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_reminders_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('crisis_plan_version_id', name='uq_reminders_crisis_plan_version_id'),
    sa.UniqueConstraint('plan_id', 'due_on', name='uq_reminders_plan_id_due_on')
    )
    op.create_index('ix_reminders_patient_id_status', 'reminders', ['patient_id', 'status'], unique=False)
    op.create_index(op.f('ix_reminders_professional_id'), 'reminders', ['professional_id'], unique=False)
    op.create_index(op.f('ix_reminders_ward_id'), 'reminders', ['ward_id'], unique=False)
    op.create_table('deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reminder_id', sa.Integer(), nullable=True),
    sa.Column('digest_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('email', 'push', name='delivery_channel', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', 'gone', 'cancelled', name='delivery_status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('created_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.CheckConstraint('(reminder_id IS NULL) <> (digest_id IS NULL)', name=op.f('ck_deliveries_one_subject')),
    sa.ForeignKeyConstraint(['digest_id'], ['digests.id'], name=op.f('fk_deliveries_digest_id_digests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reminder_id'], ['reminders.id'], name=op.f('fk_deliveries_reminder_id_reminders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_deliveries_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
    sa.UniqueConstraint('digest_id', 'user_id', 'channel', name='uq_deliveries_digest_id_user_id_channel'),
    sa.UniqueConstraint('reminder_id', 'user_id', 'channel', name='uq_deliveries_reminder_id_user_id_channel')
    )
    op.create_index('ix_deliveries_status_next_attempt_at', 'deliveries', ['status', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_deliveries_user_id'), 'deliveries', ['user_id'], unique=False)

    op.execute(sa.text("INSERT INTO audit_chain_head (id, hash) VALUES (1, :genesis)").bindparams(genesis=GENESIS))
    if op.get_bind().dialect.name == "postgresql":
        _protect_audit_tables_postgresql()
    else:
        _protect_audit_events_sqlite()


def _protect_audit_events_sqlite():
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_events_no_{event.lower()} BEFORE {event} ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
        )
    op.execute(
        "CREATE TRIGGER audit_chain_advance AFTER INSERT ON audit_events "
        "BEGIN UPDATE audit_chain_head SET hash = NEW.hash WHERE id = 1; END"
    )


def _protect_audit_tables_postgresql():
    bind = op.get_bind()
    op.execute(
        "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
    )
    op.execute(
        "CREATE FUNCTION audit_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'audit tables are append-only: TRUNCATE % refused', TG_TABLE_NAME; END $$"
    )
    for table in AUDIT_TABLES:
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()")
    schema = bind.dialect.identifier_preparer.quote(bind.scalar(sa.text("SELECT current_schema()")))
    search_path = f"SET search_path = {schema}, pg_temp"
    advance = "UPDATE audit_chain_head SET hash = NEW.hash WHERE id = 1; RETURN NULL;"
    op.execute("CREATE FUNCTION audit_chain_advance() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
               f"{search_path} AS $$ BEGIN {advance} END $$")
    op.execute("CREATE TRIGGER audit_chain_advance AFTER INSERT ON audit_events "
               "FOR EACH ROW EXECUTE FUNCTION audit_chain_advance()")
    lock = "RETURN QUERY SELECT head.hash FROM audit_chain_head AS head WHERE head.id = 1 FOR UPDATE"
    op.execute("CREATE FUNCTION audit_chain_lock() RETURNS SETOF varchar LANGUAGE plpgsql SECURITY DEFINER "
               f"{search_path} AS $$ BEGIN {lock}; END $$")
    op.execute("REVOKE EXECUTE ON FUNCTION audit_chain_lock() FROM PUBLIC")
    from flask import current_app

    role = current_app.config.get("DATABASE_APP_ROLE")
    if role:
        from wardtrack.audit.roles import grant_app_role

        grant_app_role(bind, role)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in AUDIT_TABLES:
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        op.execute("DROP TRIGGER audit_chain_advance ON audit_events")
        op.execute("DROP TRIGGER audit_events_append_only ON audit_events")
        for function in ("audit_refuse_truncate", "audit_chain_advance", "audit_chain_lock", "audit_events_append_only"):
            op.execute(f"DROP FUNCTION {function}()")
    else:
        for trigger in ("audit_events_no_update", "audit_events_no_delete", "audit_chain_advance"):
            op.execute(f"DROP TRIGGER {trigger}")
    op.drop_index(op.f('ix_deliveries_user_id'), table_name='deliveries')
    op.drop_index('ix_deliveries_status_next_attempt_at', table_name='deliveries')
    op.drop_table('deliveries')
    op.drop_index(op.f('ix_reminders_ward_id'), table_name='reminders')
    op.drop_index(op.f('ix_reminders_professional_id'), table_name='reminders')
    op.drop_index('ix_reminders_patient_id_status', table_name='reminders')
    op.drop_table('reminders')
    op.drop_table('ward_policies')
    op.drop_index(op.f('ix_user_wards_ward_id'), table_name='user_wards')
    op.drop_table('user_wards')
    op.drop_index(op.f('ix_user_sessions_user_id'), table_name='user_sessions')
    op.drop_table('user_sessions')
    op.drop_index(op.f('ix_push_subscriptions_user_id'), table_name='push_subscriptions')
    op.drop_table('push_subscriptions')
    op.drop_index(op.f('ix_outside_admissions_patient_id'), table_name='outside_admissions')
    op.drop_index(op.f('ix_outside_admissions_from_ward_id'), table_name='outside_admissions')
    op.drop_table('outside_admissions')
    op.drop_index(op.f('ix_maintenance_plans_professional_id'), table_name='maintenance_plans')
    op.drop_index('ix_maintenance_plans_patient_id_professional_id', table_name='maintenance_plans')
    op.drop_table('maintenance_plans')
    op.drop_index('uq_flags_one_unresolved', table_name='flags', sqlite_where=sa.text("status <> 'resolved'"), postgresql_where=sa.text("status <> 'resolved'"))
    op.drop_index('ix_flags_patient_id_status', table_name='flags')
    op.drop_table('flags')
    op.drop_index('ix_emergency_access_user_id_patient_id_expires_at', table_name='emergency_access')
    op.drop_index(op.f('ix_emergency_access_patient_id'), table_name='emergency_access')
    op.drop_table('emergency_access')
    op.drop_index('uq_designations_one_active', table_name='designations', sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))
    op.drop_index(op.f('ix_designations_professional_id'), table_name='designations')
    op.drop_index(op.f('ix_designations_patient_id'), table_name='designations')
    op.drop_table('designations')
    op.drop_index(op.f('ix_crisis_plan_versions_key_id'), table_name='crisis_plan_versions')
    op.drop_table('crisis_plan_versions')
    op.drop_index(op.f('ix_crisis_plan_suggestions_key_id'), table_name='crisis_plan_suggestions')
    op.drop_table('crisis_plan_suggestions')
    op.drop_index(op.f('ix_contacts_professional_id'), table_name='contacts')
    op.drop_index('ix_contacts_patient_id_professional_id', table_name='contacts')
    op.drop_index('ix_contacts_patient_id_occurred_at', table_name='contacts')
    op.drop_table('contacts')
    op.drop_index(op.f('ix_api_tokens_user_id'), table_name='api_tokens')
    op.drop_table('api_tokens')
    op.drop_index(op.f('ix_ward_memberships_ward_id'), table_name='ward_memberships')
    op.drop_index(op.f('ix_ward_memberships_professional_id'), table_name='ward_memberships')
    op.drop_table('ward_memberships')
    op.drop_table('users')
    op.drop_index(op.f('ix_patient_professionals_professional_id'), table_name='patient_professionals')
    op.drop_table('patient_professionals')
    op.drop_table('flag_recompute_queue')
    op.drop_index('ix_episodes_ward_id_ended_at', table_name='episodes')
    op.drop_index('ix_episodes_patient_id_started_at', table_name='episodes')
    op.drop_table('episodes')
    op.drop_table('digests')
    op.drop_table('continuity_snapshots')
    op.drop_table('wards')
    op.drop_index(op.f('ix_professionals_profession'), table_name='professionals')
    op.drop_table('professionals')
    op.drop_table('patients')
    op.drop_index(op.f('ix_login_throttle_expires_at'), table_name='login_throttle')
    op.drop_table('login_throttle')
    op.drop_index(op.f('ix_audit_events_patient_id'), table_name='audit_events')
    op.drop_table('audit_events')
    op.drop_table('audit_chain_head')
