BEGIN TRANSACTION;
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO "alembic_version" VALUES('31ba2a15b99d');
CREATE TABLE api_tokens (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	revoked_at DATETIME, 
	CONSTRAINT pk_api_tokens PRIMARY KEY (id), 
	CONSTRAINT fk_api_tokens_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
	CONSTRAINT uq_api_tokens_token_hash UNIQUE (token_hash)
);
CREATE TABLE audit_chain_head (
	id INTEGER NOT NULL, 
	hash VARCHAR(64) NOT NULL, 
	CONSTRAINT pk_audit_chain_head PRIMARY KEY (id), 
	CONSTRAINT ck_audit_chain_head_one_row CHECK (id = 1)
);
INSERT INTO "audit_chain_head" VALUES(1,'0000000000000000000000000000000000000000000000000000000000000000');
CREATE TABLE audit_events (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	actor_user_id INTEGER, 
	actor_role VARCHAR(20) NOT NULL, 
	action VARCHAR(60) NOT NULL, 
	patient_id INTEGER, 
	object_type VARCHAR(40), 
	object_id VARCHAR(64), 
	request_id VARCHAR(64), 
	prev_hash VARCHAR(64) NOT NULL, 
	hash VARCHAR(64) NOT NULL, 
	CONSTRAINT pk_audit_events PRIMARY KEY (id), 
	CONSTRAINT uq_audit_events_hash UNIQUE (hash)
);
CREATE TABLE "contacts" (
	id INTEGER NOT NULL, 
	client_id CHAR(32) NOT NULL, 
	patient_id INTEGER NOT NULL, 
	professional_id INTEGER NOT NULL, 
	ward_id INTEGER, 
	kind VARCHAR(40) NOT NULL, 
	occurred_at DATETIME NOT NULL, 
	duration_minutes INTEGER, 
	received_at DATETIME NOT NULL, 
	logged_by INTEGER, 
	status VARCHAR(40) DEFAULT 'recorded' NOT NULL, 
	retracted_at DATETIME, 
	retracted_by INTEGER, 
	retraction_reason VARCHAR(500), 
	CONSTRAINT pk_contacts PRIMARY KEY (id), 
	CONSTRAINT ck_contacts_duration_range CHECK (duration_minutes IS NULL OR (duration_minutes BETWEEN 1 AND 1440)), 
	CONSTRAINT ck_contacts_contact_kind CHECK (kind IN ('conversation', 'group', 'phone', 'video', 'medication', 'decision', 'coercive_measure', 'maintenance', 'admission', 'discharge')), 
	CONSTRAINT fk_contacts_logged_by_users FOREIGN KEY(logged_by) REFERENCES users (id), 
	CONSTRAINT fk_contacts_professional_id_professionals FOREIGN KEY(professional_id) REFERENCES professionals (id), 
	CONSTRAINT fk_contacts_ward_id_wards FOREIGN KEY(ward_id) REFERENCES wards (id), 
	CONSTRAINT fk_contacts_patient_id_patients FOREIGN KEY(patient_id) REFERENCES patients (id), 
	CONSTRAINT uq_contacts_client_id UNIQUE (client_id), 
	CONSTRAINT ck_contacts_contact_status CHECK (status IN ('recorded', 'entered_in_error')), 
	CONSTRAINT fk_contacts_retracted_by_users FOREIGN KEY(retracted_by) REFERENCES users (id)
);
CREATE TABLE continuity_snapshots (
	patient_id INTEGER NOT NULL, 
	window_days INTEGER NOT NULL, 
	contacts INTEGER NOT NULL, 
	distinct_professionals INTEGER NOT NULL, 
	new_professionals INTEGER NOT NULL, 
	upc DOUBLE, 
	coc DOUBLE, 
	secon DOUBLE, 
	kpc DOUBLE, 
	computed_at DATETIME NOT NULL, 
	CONSTRAINT pk_continuity_snapshots PRIMARY KEY (patient_id, window_days), 
	CONSTRAINT ck_continuity_snapshots_known_window CHECK (window_days IN (30, 90)), 
	CONSTRAINT fk_continuity_snapshots_patient_id_patients FOREIGN KEY(patient_id) REFERENCES patients (id)
);
CREATE TABLE crisis_plan_suggestions (
	id INTEGER NOT NULL, 
	patient_id INTEGER NOT NULL, 
	number INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	created_by INTEGER, 
	section VARCHAR(40), 
	status VARCHAR(20) NOT NULL, 
	answered_version INTEGER, 
	answered_at DATETIME, 
	answered_by INTEGER, 
	key_id VARCHAR(40) NOT NULL, 
	wrapped_key BLOB NOT NULL, 
	nonce BLOB NOT NULL, 
	ciphertext BLOB NOT NULL, 
	CONSTRAINT pk_crisis_plan_suggestions PRIMARY KEY (id), 
	CONSTRAINT ck_crisis_plan_suggestions_status_known CHECK (status IN ('open', 'answered')), 
	CONSTRAINT fk_crisis_plan_suggestions_answered_by_users FOREIGN KEY(answered_by) REFERENCES users (id), 
	CONSTRAINT fk_crisis_plan_suggestions_created_by_users FOREIGN KEY(created_by) REFERENCES users (id), 
	CONSTRAINT fk_crisis_plan_suggestions_patient_id_patients FOREIGN KEY(patient_id) REFERENCES patients (id), 
	CONSTRAINT uq_crisis_plan_suggestions_patient_id_number UNIQUE (patient_id, number)
);
CREATE TABLE crisis_plan_versions (
	id INTEGER NOT NULL, 
	patient_id INTEGER NOT NULL, 
	version INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	created_by INTEGER, 
	author_name VARCHAR(200) NOT NULL, 
	author_role VARCHAR(20) NOT NULL, 
	reviewed_with_patient BOOLEAN NOT NULL, 
	key_id VARCHAR(40) NOT NULL, 
	wrapped_key BLOB NOT NULL, 
	nonce BLOB NOT NULL, 
	ciphertext BLOB NOT NULL, 
	CONSTRAINT pk_crisis_plan_versions PRIMARY KEY (id), 
	CONSTRAINT ck_crisis_plan_versions_version_positive CHECK (version >= 1), 
	CONSTRAINT fk_crisis_plan_versions_created_by_users FOREIGN KEY(created_by) REFERENCES users (id), 
	CONSTRAINT fk_crisis_plan_versions_patient_id_patients FOREIGN KEY(patient_id) REFERENCES patients (id), 
	CONSTRAINT uq_crisis_plan_versions_patient_id_version UNIQUE (patient_id, version)
);
CREATE TABLE deliveries (
	id INTEGER NOT NULL, 
	reminder_id INTEGER, 
	digest_id INTEGER, 
	user_id INTEGER NOT NULL, 
	channel VARCHAR(40) NOT NULL, 
	status VARCHAR(40) NOT NULL, 
	attempts INTEGER NOT NULL, 
	next_attempt_at DATETIME NOT NULL, 
	created_at DATETIME NOT NULL, 
	sent_at DATETIME, 
	last_error VARCHAR(200), 
	CONSTRAINT pk_deliveries PRIMARY KEY (id), 
	CONSTRAINT ck_deliveries_one_subject CHECK ((reminder_id IS NULL) <> (digest_id IS NULL)), 
	CONSTRAINT fk_deliveries_digest_id_digests FOREIGN KEY(digest_id) REFERENCES digests (id) ON DELETE CASCADE, 
	CONSTRAINT fk_deliveries_reminder_id_reminders FOREIGN KEY(reminder_id) REFERENCES reminders (id) ON DELETE CASCADE, 
	CONSTRAINT fk_deliveries_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
	CONSTRAINT uq_deliveries_digest_id_user_id_channel UNIQUE (digest_id, user_id, channel), 
	CONSTRAINT uq_deliveries_reminder_id_user_id_channel UNIQUE (reminder_id, user_id, channel), 
	CONSTRAINT ck_deliveries_delivery_channel CHECK (channel IN ('email', 'push')), 
	CONSTRAINT ck_deliveries_delivery_status CHECK (status IN ('pending', 'sent', 'failed', 'gone', 'cancelled'))
);
CREATE TABLE designations (
	id INTEGER NOT NULL, 
	patient_id INTEGER NOT NULL, 
	professional_id INTEGER NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	chosen_by_patient BOOLEAN NOT NULL, 
	started_at DATETIME NOT NULL, 
	ended_at DATETIME, 
	created_by INTEGER, 
	CONSTRAINT pk_designations PRIMARY KEY (id), 
	CONSTRAINT ck_designations_ends_after_start CHECK (ended_at IS NULL OR ended_at >= started_at), 
	CONSTRAINT fk_designations_created_by_users FOREIGN KEY(created_by) REFERENCES users (id), 
	CONSTRAINT fk_designations_patient_id_patients FOREIGN KEY(patient_id) REFERENCES patients (id), 
	CONSTRAINT fk_designations_professional_id_professionals FOREIGN KEY(professional_id) REFERENCES professionals (id), 
	CONSTRAINT ck_designations_designation_kind CHECK (kind IN ('safety_person', 'primary_contact', 'therapist'))
);
CREATE TABLE digests (
	id INTEGER NOT NULL, 
	ward_id INTEGER NOT NULL, 
	local_date DATE NOT NULL, 
	since_at DATETIME NOT NULL, 
	created_at DATETIME NOT NULL, 
	new_flags INTEGER NOT NULL, 
	CONSTRAINT pk_digests PRIMARY KEY (id), 
	CONSTRAINT fk_digests_ward_id_wards FOREIGN KEY(ward_id) REFERENCES wards (id), 
	CONSTRAINT uq_digests_ward_id_local_date UNIQUE (ward_id, local_date)
);
CREATE TABLE emergency_access (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	patient_id INTEGER NOT NULL, 
	reason VARCHAR(500) NOT NULL, 
	granted_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	reviewed_at DATETIME, 
	reviewed_by INTEGER, 
	review_note VARCHAR(1000), 
	CONSTRAINT pk_emergency_access PRIMARY KEY (id), 
	CONSTRAINT ck_emergency_access_review_has_reviewer CHECK ((reviewed_at IS NULL) = (reviewed_by IS NULL)), 
	CONSTRAINT ck_emergency_access_expires_after_grant CHECK (expires_at > granted_at), 
	CONSTRAINT fk_emergency_access_patient_id_patients FOREIGN KEY(patient_id) REFERENCES patients (id), 
	CONSTRAINT fk_emergency_access_reviewed_by_users FOREIGN KEY(reviewed_by) REFERENCES users (id), 
	CONSTRAINT fk_emergency_access_user_id_users FOREIGN KEY(user_id) REFERENCES users (id)
);
CREATE TABLE episodes (
	id INTEGER NOT NULL, 
	patient_id INTEGER NOT NULL, 
	ward_id INTEGER NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	legal_status VARCHAR(40) NOT NULL, 
	started_at DATETIME NOT NULL, 
	ended_at DATETIME, 
	created_at DATETIME NOT NULL, location VARCHAR(40), 
	CONSTRAINT pk_episodes PRIMARY KEY (id), 
	CONSTRAINT ck_episodes_ends_after_start CHECK (ended_at IS NULL OR ended_at > started_at), 
	CONSTRAINT fk_episodes_patient_id_patients FOREIGN KEY(patient_id) REFERENCES patients (id), 
	CONSTRAINT fk_episodes_ward_id_wards FOREIGN KEY(ward_id) REFERENCES wards (id), 
	CONSTRAINT ck_episodes_episode_kind CHECK (kind IN ('inpatient', 'outpatient')), 
	CONSTRAINT ck_episodes_legal_status CHECK (legal_status IN ('voluntary', 'involuntary'))
);
CREATE TABLE flag_recompute_queue (
	patient_id INTEGER NOT NULL, 
	queued_at DATETIME NOT NULL, 
	CONSTRAINT pk_flag_recompute_queue PRIMARY KEY (patient_id), 
	CONSTRAINT fk_flag_recompute_queue_patient_id_patients FOREIGN KEY(patient_id) REFERENCES patients (id)
);
CREATE TABLE flags (
	id INTEGER NOT NULL, 
	patient_id INTEGER NOT NULL, 
	code VARCHAR(40) NOT NULL, 
	subject VARCHAR(60) NOT NULL, 
	severity VARCHAR(40) NOT NULL, 
	status VARCHAR(40) NOT NULL, 
	detail VARCHAR(1000) NOT NULL, 
	opened_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	acknowledged_at DATETIME, 
	acknowledged_by INTEGER, 
	acknowledge_note VARCHAR(1000), 
	resolved_at DATETIME, 
	resolved_by INTEGER, 
	resolve_note VARCHAR(1000), 
	suppressed BOOLEAN DEFAULT 0 NOT NULL, reasons JSON, 
	CONSTRAINT pk_flags PRIMARY KEY (id), 
	CONSTRAINT fk_flags_acknowledged_by_users FOREIGN KEY(acknowledged_by) REFERENCES users (id), 
	CONSTRAINT fk_flags_patient_id_patients FOREIGN KEY(patient_id) REFERENCES patients (id), 
	CONSTRAINT fk_flags_resolved_by_users FOREIGN KEY(resolved_by) REFERENCES users (id), 
	CONSTRAINT ck_flags_flag_code CHECK (code IN ('no_safety_person', 'high_turnover', 'stranger_decision', 'readmission_tipping_point', 'extensive_hospitalisation', 'no_crisis_plan', 'crisis_plan_stale', 'maintenance_overdue', 'transition_without_known_professional')), 
	CONSTRAINT ck_flags_flag_severity CHECK (severity IN ('low', 'medium', 'high')), 
	CONSTRAINT ck_flags_flag_status CHECK (status IN ('open', 'acknowledged', 'resolved'))
);
CREATE TABLE login_throttle (
	"key" VARCHAR(64) NOT NULL, 
	failures INTEGER DEFAULT '0' NOT NULL, 
	pending INTEGER DEFAULT '0' NOT NULL, 
	next_at DATETIME, 
	expires_at DATETIME NOT NULL, 
	CONSTRAINT pk_login_throttle PRIMARY KEY ("key")
);
CREATE TABLE maintenance_plans (
	id INTEGER NOT NULL, 
	patient_id INTEGER NOT NULL, 
	professional_id INTEGER NOT NULL, 
	interval_days INTEGER NOT NULL, 
	any_contact_counts BOOLEAN NOT NULL, 
	note VARCHAR(500), 
	started_at DATETIME NOT NULL, 
	ended_at DATETIME, 
	created_by INTEGER, 
	CONSTRAINT pk_maintenance_plans PRIMARY KEY (id), 
	CONSTRAINT ck_maintenance_plans_interval_range CHECK (interval_days BETWEEN 7 AND 730), 
	CONSTRAINT fk_maintenance_plans_created_by_users FOREIGN KEY(created_by) REFERENCES users (id), 
	CONSTRAINT fk_maintenance_plans_patient_id_patients FOREIGN KEY(patient_id) REFERENCES patients (id), 
	CONSTRAINT fk_maintenance_plans_professional_id_professionals FOREIGN KEY(professional_id) REFERENCES professionals (id)
);
CREATE TABLE outside_admissions (
	id INTEGER NOT NULL, 
	episode_id INTEGER NOT NULL, 
	patient_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	from_ward_id INTEGER NOT NULL, 
	reason VARCHAR(500) NOT NULL, 
	admitted_at DATETIME NOT NULL, 
	reviewed_at DATETIME, 
	reviewed_by INTEGER, 
	review_note VARCHAR(1000), 
	CONSTRAINT pk_outside_admissions PRIMARY KEY (id), 
	CONSTRAINT ck_outside_admissions_review_has_reviewer CHECK ((reviewed_at IS NULL) = (reviewed_by IS NULL)), 
	CONSTRAINT fk_outside_admissions_episode_id_episodes FOREIGN KEY(episode_id) REFERENCES episodes (id), 
	CONSTRAINT fk_outside_admissions_from_ward_id_wards FOREIGN KEY(from_ward_id) REFERENCES wards (id), 
	CONSTRAINT fk_outside_admissions_patient_id_patients FOREIGN KEY(patient_id) REFERENCES patients (id), 
	CONSTRAINT fk_outside_admissions_reviewed_by_users FOREIGN KEY(reviewed_by) REFERENCES users (id), 
	CONSTRAINT fk_outside_admissions_user_id_users FOREIGN KEY(user_id) REFERENCES users (id), 
	CONSTRAINT uq_outside_admissions_episode_id UNIQUE (episode_id)
);
CREATE TABLE patient_professionals (
	patient_id INTEGER NOT NULL, 
	professional_id INTEGER NOT NULL, 
	first_contact_at DATETIME NOT NULL, 
	last_contact_at DATETIME NOT NULL, 
	contacts INTEGER NOT NULL, 
	CONSTRAINT pk_patient_professionals PRIMARY KEY (patient_id, professional_id), 
	CONSTRAINT fk_patient_professionals_patient_id_patients FOREIGN KEY(patient_id) REFERENCES patients (id), 
	CONSTRAINT fk_patient_professionals_professional_id_professionals FOREIGN KEY(professional_id) REFERENCES professionals (id)
);
CREATE TABLE patients (
	id INTEGER NOT NULL, 
	display_name VARCHAR(200) NOT NULL, 
	identifier VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_patients PRIMARY KEY (id), 
	CONSTRAINT uq_patients_identifier UNIQUE (identifier)
);
CREATE TABLE professionals (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	profession VARCHAR(40) NOT NULL, 
	work_phone VARCHAR(40), 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_professionals PRIMARY KEY (id), 
	CONSTRAINT ck_professionals_profession CHECK (profession IN ('nurse', 'psychiatrist', 'doctor', 'psychologist', 'social_worker', 'occupational_therapist', 'peer_worker', 'other'))
);
CREATE TABLE push_subscriptions (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	endpoint VARCHAR(2000) NOT NULL, 
	p256dh VARCHAR(200) NOT NULL, 
	auth VARCHAR(100) NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_push_subscriptions PRIMARY KEY (id), 
	CONSTRAINT fk_push_subscriptions_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
	CONSTRAINT uq_push_subscriptions_endpoint UNIQUE (endpoint)
);
CREATE TABLE "reminders" (
	id INTEGER NOT NULL, 
	plan_id INTEGER, 
	patient_id INTEGER NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	due_on DATE NOT NULL, 
	due_at DATETIME NOT NULL, 
	basis_at DATETIME NOT NULL, 
	professional_id INTEGER, 
	ward_id INTEGER, 
	status VARCHAR(40) NOT NULL, 
	snoozed_until DATE, 
	created_at DATETIME NOT NULL, 
	done_at DATETIME, 
	done_by INTEGER, 
	closed_at DATETIME, 
	crisis_plan_version_id INTEGER, 
	notified_at DATETIME, 
	CONSTRAINT pk_reminders PRIMARY KEY (id), 
	CONSTRAINT ck_reminders_reminder_kind CHECK (kind IN ('maintenance_due', 'crisis_plan_review')), 
	CONSTRAINT ck_reminders_reminder_status CHECK (status IN ('open', 'done', 'snoozed', 'closed')), 
	CONSTRAINT fk_reminders_done_by_users FOREIGN KEY(done_by) REFERENCES users (id), 
	CONSTRAINT fk_reminders_patient_id_patients FOREIGN KEY(patient_id) REFERENCES patients (id), 
	CONSTRAINT fk_reminders_plan_id_maintenance_plans FOREIGN KEY(plan_id) REFERENCES maintenance_plans (id), 
	CONSTRAINT fk_reminders_ward_id_wards FOREIGN KEY(ward_id) REFERENCES wards (id), 
	CONSTRAINT fk_reminders_professional_id_professionals FOREIGN KEY(professional_id) REFERENCES professionals (id), 
	CONSTRAINT uq_reminders_plan_id_due_on UNIQUE (plan_id, due_on), 
	CONSTRAINT uq_reminders_crisis_plan_version_id UNIQUE (crisis_plan_version_id), 
	CONSTRAINT fk_reminders_crisis_plan_version_id_crisis_plan_versions FOREIGN KEY(crisis_plan_version_id) REFERENCES crisis_plan_versions (id)
);
CREATE TABLE user_sessions (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	csrf_token VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	last_seen_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	revoked_at DATETIME, 
	CONSTRAINT pk_user_sessions PRIMARY KEY (id), 
	CONSTRAINT fk_user_sessions_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
	CONSTRAINT uq_user_sessions_token_hash UNIQUE (token_hash)
);
CREATE TABLE user_wards (
	user_id INTEGER NOT NULL, 
	ward_id INTEGER NOT NULL, 
	CONSTRAINT pk_user_wards PRIMARY KEY (user_id, ward_id), 
	CONSTRAINT fk_user_wards_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
	CONSTRAINT fk_user_wards_ward_id_wards FOREIGN KEY(ward_id) REFERENCES wards (id)
);
CREATE TABLE users (
	id INTEGER NOT NULL, 
	username VARCHAR(80) NOT NULL, 
	password_hash VARCHAR(200) NOT NULL, 
	role VARCHAR(40) NOT NULL, 
	professional_id INTEGER, 
	patient_id INTEGER, 
	created_at DATETIME NOT NULL, 
	disabled_at DATETIME, 
	email VARCHAR(254), 
	CONSTRAINT pk_users PRIMARY KEY (id), 
	CONSTRAINT ck_users_patient_role_has_patient CHECK ((role = 'patient') = (patient_id IS NOT NULL)), 
	CONSTRAINT fk_users_patient_id_patients FOREIGN KEY(patient_id) REFERENCES patients (id), 
	CONSTRAINT fk_users_professional_id_professionals FOREIGN KEY(professional_id) REFERENCES professionals (id), 
	CONSTRAINT uq_users_patient_id UNIQUE (patient_id), 
	CONSTRAINT uq_users_professional_id UNIQUE (professional_id), 
	CONSTRAINT uq_users_username UNIQUE (username), 
	CONSTRAINT ck_users_user_role CHECK (role IN ('admin', 'team_leader', 'nurse', 'patient'))
);
CREATE TABLE ward_memberships (
	id INTEGER NOT NULL, 
	professional_id INTEGER NOT NULL, 
	ward_id INTEGER NOT NULL, 
	started_on DATE NOT NULL, 
	ended_on DATE, 
	CONSTRAINT pk_ward_memberships PRIMARY KEY (id), 
	CONSTRAINT ck_ward_memberships_ends_after_start CHECK (ended_on IS NULL OR ended_on >= started_on), 
	CONSTRAINT fk_ward_memberships_professional_id_professionals FOREIGN KEY(professional_id) REFERENCES professionals (id), 
	CONSTRAINT fk_ward_memberships_ward_id_wards FOREIGN KEY(ward_id) REFERENCES wards (id)
);
CREATE TABLE ward_policies (
	ward_id INTEGER NOT NULL, 
	thresholds JSON NOT NULL, 
	updated_at DATETIME NOT NULL, 
	updated_by INTEGER, 
	CONSTRAINT pk_ward_policies PRIMARY KEY (ward_id), 
	CONSTRAINT fk_ward_policies_updated_by_users FOREIGN KEY(updated_by) REFERENCES users (id), 
	CONSTRAINT fk_ward_policies_ward_id_wards FOREIGN KEY(ward_id) REFERENCES wards (id)
);
CREATE TABLE wards (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	setting VARCHAR(40) NOT NULL, 
	timezone VARCHAR(60) DEFAULT 'Europe/Oslo' NOT NULL, 
	created_at DATETIME NOT NULL, contact_backdate_hours INTEGER DEFAULT '72' NOT NULL, 
	CONSTRAINT pk_wards PRIMARY KEY (id), 
	CONSTRAINT uq_wards_name UNIQUE (name), 
	CONSTRAINT ck_wards_ward_setting CHECK (setting IN ('acute_ward', 'forensic_unit', 'community_mental_health_centre', 'assertive_outreach_team', 'outpatient_clinic', 'crisis_resolution_team', 'substance_use_unit', 'other'))
);
CREATE INDEX ix_audit_events_patient_id ON audit_events (patient_id);
CREATE INDEX ix_professionals_profession ON professionals (profession);
CREATE INDEX ix_episodes_patient_id_started_at ON episodes (patient_id, started_at);
CREATE INDEX ix_episodes_ward_id_ended_at ON episodes (ward_id, ended_at);
CREATE INDEX ix_ward_memberships_professional_id ON ward_memberships (professional_id);
CREATE INDEX ix_ward_memberships_ward_id ON ward_memberships (ward_id);
CREATE INDEX ix_api_tokens_user_id ON api_tokens (user_id);
CREATE INDEX ix_designations_patient_id ON designations (patient_id);
CREATE INDEX ix_designations_professional_id ON designations (professional_id);
CREATE UNIQUE INDEX uq_designations_one_active ON designations (patient_id, kind) WHERE ended_at IS NULL;
CREATE INDEX ix_user_sessions_user_id ON user_sessions (user_id);
CREATE INDEX ix_user_wards_ward_id ON user_wards (ward_id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE INDEX ix_patient_professionals_professional_id ON patient_professionals (professional_id);
CREATE INDEX ix_flags_patient_id_status ON flags (patient_id, status);
CREATE UNIQUE INDEX uq_flags_one_unresolved ON flags (patient_id, code, subject) WHERE status <> 'resolved';
CREATE INDEX ix_emergency_access_patient_id ON emergency_access (patient_id);
CREATE INDEX ix_emergency_access_user_id_patient_id_expires_at ON emergency_access (user_id, patient_id, expires_at);
CREATE INDEX ix_crisis_plan_versions_key_id ON crisis_plan_versions (key_id);
CREATE INDEX ix_maintenance_plans_patient_id_professional_id ON maintenance_plans (patient_id, professional_id);
CREATE INDEX ix_maintenance_plans_professional_id ON maintenance_plans (professional_id);
CREATE INDEX ix_push_subscriptions_user_id ON push_subscriptions (user_id);
CREATE INDEX ix_deliveries_status_next_attempt_at ON deliveries (status, next_attempt_at);
CREATE INDEX ix_deliveries_user_id ON deliveries (user_id);
CREATE INDEX ix_reminders_ward_id ON reminders (ward_id);
CREATE INDEX ix_reminders_professional_id ON reminders (professional_id);
CREATE INDEX ix_reminders_patient_id_status ON reminders (patient_id, status);
CREATE TRIGGER audit_chain_advance AFTER INSERT ON audit_events BEGIN UPDATE audit_chain_head SET hash = NEW.hash WHERE id = 1; END;
CREATE INDEX ix_outside_admissions_from_ward_id ON outside_admissions (from_ward_id);
CREATE INDEX ix_outside_admissions_patient_id ON outside_admissions (patient_id);
CREATE INDEX ix_login_throttle_expires_at ON login_throttle (expires_at);
CREATE INDEX ix_contacts_patient_id_professional_id ON contacts (patient_id, professional_id);
CREATE INDEX ix_contacts_professional_id ON contacts (professional_id);
CREATE INDEX ix_contacts_patient_id_occurred_at ON contacts (patient_id, occurred_at);
CREATE INDEX ix_crisis_plan_suggestions_key_id ON crisis_plan_suggestions (key_id);
COMMIT;
