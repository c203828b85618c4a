SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;
CREATE FUNCTION public.audit_chain_advance() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$ BEGIN UPDATE audit_chain_head SET hash = NEW.hash WHERE id = 1; RETURN NULL; END $$;
CREATE FUNCTION public.audit_chain_lock() RETURNS SETOF character varying
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$ BEGIN RETURN QUERY SELECT head.hash FROM audit_chain_head AS head WHERE head.id = 1 FOR UPDATE; END $$;
CREATE FUNCTION public.audit_events_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$;
CREATE FUNCTION public.audit_refuse_truncate() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RAISE EXCEPTION 'audit tables are append-only: TRUNCATE % refused', TG_TABLE_NAME; END $$;
SET default_tablespace = '';
SET default_table_access_method = heap;
CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);
CREATE TABLE public.api_tokens (
    id integer NOT NULL,
    user_id integer NOT NULL,
    token_hash character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone
);
CREATE SEQUENCE public.api_tokens_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.api_tokens_id_seq OWNED BY public.api_tokens.id;
CREATE TABLE public.audit_chain_head (
    id integer NOT NULL,
    hash character varying(64) NOT NULL,
    CONSTRAINT ck_audit_chain_head_one_row CHECK ((id = 1))
);
CREATE TABLE public.audit_events (
    id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    actor_user_id integer,
    actor_role character varying(20) NOT NULL,
    action character varying(60) NOT NULL,
    patient_id integer,
    object_type character varying(40),
    object_id character varying(64),
    request_id character varying(64),
    prev_hash character varying(64) NOT NULL,
    hash character varying(64) NOT NULL
);
CREATE SEQUENCE public.audit_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.audit_events_id_seq OWNED BY public.audit_events.id;
CREATE TABLE public.contacts (
    id bigint NOT NULL,
    client_id uuid NOT NULL,
    patient_id integer NOT NULL,
    professional_id integer NOT NULL,
    ward_id integer,
    kind character varying(40) NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    duration_minutes integer,
    received_at timestamp with time zone NOT NULL,
    logged_by integer,
    status character varying(40) DEFAULT 'recorded'::character varying NOT NULL,
    retracted_at timestamp with time zone,
    retracted_by integer,
    retraction_reason character varying(500),
    CONSTRAINT ck_contacts_contact_kind CHECK (((kind)::text = ANY ((ARRAY['conversation'::character varying, 'group'::character varying, 'phone'::character varying, 'video'::character varying, 'medication'::character varying, 'decision'::character varying, 'coercive_measure'::character varying, 'maintenance'::character varying, 'admission'::character varying, 'discharge'::character varying])::text[]))),
    CONSTRAINT ck_contacts_contact_status CHECK (((status)::text = ANY ((ARRAY['recorded'::character varying, 'entered_in_error'::character varying])::text[]))),
    CONSTRAINT ck_contacts_duration_range CHECK (((duration_minutes IS NULL) OR ((duration_minutes >= 1) AND (duration_minutes <= 1440))))
);
CREATE SEQUENCE public.contacts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.contacts_id_seq OWNED BY public.contacts.id;
CREATE TABLE public.continuity_snapshots (
    patient_id integer NOT NULL,
    window_days integer NOT NULL,
    contacts integer NOT NULL,
    distinct_professionals integer NOT NULL,
    new_professionals integer NOT NULL,
    upc double precision,
    coc double precision,
    secon double precision,
    kpc double precision,
    computed_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_continuity_snapshots_known_window CHECK ((window_days = ANY (ARRAY[30, 90])))
);
CREATE TABLE public.crisis_plan_suggestions (
    id integer NOT NULL,
    patient_id integer NOT NULL,
    number integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by integer,
    section character varying(40),
    status character varying(20) NOT NULL,
    answered_version integer,
    answered_at timestamp with time zone,
    answered_by integer,
    key_id character varying(40) NOT NULL,
    wrapped_key bytea NOT NULL,
    nonce bytea NOT NULL,
    ciphertext bytea NOT NULL,
    CONSTRAINT ck_crisis_plan_suggestions_status_known CHECK (((status)::text = ANY ((ARRAY['open'::character varying, 'answered'::character varying])::text[])))
);
CREATE SEQUENCE public.crisis_plan_suggestions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.crisis_plan_suggestions_id_seq OWNED BY public.crisis_plan_suggestions.id;
CREATE TABLE public.crisis_plan_versions (
    id integer NOT NULL,
    patient_id integer NOT NULL,
    version integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by integer,
    author_name character varying(200) NOT NULL,
    author_role character varying(20) NOT NULL,
    reviewed_with_patient boolean NOT NULL,
    key_id character varying(40) NOT NULL,
    wrapped_key bytea NOT NULL,
    nonce bytea NOT NULL,
    ciphertext bytea NOT NULL,
    CONSTRAINT ck_crisis_plan_versions_version_positive CHECK ((version >= 1))
);
CREATE SEQUENCE public.crisis_plan_versions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.crisis_plan_versions_id_seq OWNED BY public.crisis_plan_versions.id;
CREATE TABLE public.deliveries (
    id integer NOT NULL,
    reminder_id integer,
    digest_id integer,
    user_id integer NOT NULL,
    channel character varying(40) NOT NULL,
    status character varying(40) NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone NOT NULL,
    sent_at timestamp with time zone,
    last_error character varying(200),
    CONSTRAINT ck_deliveries_delivery_channel CHECK (((channel)::text = ANY ((ARRAY['email'::character varying, 'push'::character varying])::text[]))),
    CONSTRAINT ck_deliveries_delivery_status CHECK (((status)::text = ANY ((ARRAY['pending'::character varying, 'sent'::character varying, 'failed'::character varying, 'gone'::character varying, 'cancelled'::character varying])::text[]))),
    CONSTRAINT ck_deliveries_one_subject CHECK (((reminder_id IS NULL) <> (digest_id IS NULL)))
);
CREATE SEQUENCE public.deliveries_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.deliveries_id_seq OWNED BY public.deliveries.id;
CREATE TABLE public.designations (
    id integer NOT NULL,
    patient_id integer NOT NULL,
    professional_id integer NOT NULL,
    kind character varying(40) NOT NULL,
    chosen_by_patient boolean NOT NULL,
    started_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone,
    created_by integer,
    CONSTRAINT ck_designations_designation_kind CHECK (((kind)::text = ANY ((ARRAY['safety_person'::character varying, 'primary_contact'::character varying, 'therapist'::character varying])::text[]))),
    CONSTRAINT ck_designations_ends_after_start CHECK (((ended_at IS NULL) OR (ended_at >= started_at)))
);
CREATE SEQUENCE public.designations_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.designations_id_seq OWNED BY public.designations.id;
CREATE TABLE public.digests (
    id integer NOT NULL,
    ward_id integer NOT NULL,
    local_date date NOT NULL,
    since_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone NOT NULL,
    new_flags integer NOT NULL
);
CREATE SEQUENCE public.digests_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.digests_id_seq OWNED BY public.digests.id;
CREATE TABLE public.emergency_access (
    id integer NOT NULL,
    user_id integer NOT NULL,
    patient_id integer NOT NULL,
    reason character varying(500) NOT NULL,
    granted_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    reviewed_at timestamp with time zone,
    reviewed_by integer,
    review_note character varying(1000),
    CONSTRAINT ck_emergency_access_expires_after_grant CHECK ((expires_at > granted_at)),
    CONSTRAINT ck_emergency_access_review_has_reviewer CHECK (((reviewed_at IS NULL) = (reviewed_by IS NULL)))
);
CREATE SEQUENCE public.emergency_access_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.emergency_access_id_seq OWNED BY public.emergency_access.id;
CREATE TABLE public.episodes (
    id integer NOT NULL,
    patient_id integer NOT NULL,
    ward_id integer NOT NULL,
    kind character varying(40) NOT NULL,
    legal_status character varying(40) NOT NULL,
    started_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    location character varying(40),
    CONSTRAINT ck_episodes_ends_after_start CHECK (((ended_at IS NULL) OR (ended_at > started_at))),
    CONSTRAINT ck_episodes_episode_kind CHECK (((kind)::text = ANY ((ARRAY['inpatient'::character varying, 'outpatient'::character varying])::text[]))),
    CONSTRAINT ck_episodes_legal_status CHECK (((legal_status)::text = ANY ((ARRAY['voluntary'::character varying, 'involuntary'::character varying])::text[])))
);
CREATE SEQUENCE public.episodes_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.episodes_id_seq OWNED BY public.episodes.id;
CREATE TABLE public.flag_recompute_queue (
    patient_id integer NOT NULL,
    queued_at timestamp with time zone NOT NULL
);
CREATE TABLE public.flags (
    id integer NOT NULL,
    patient_id integer NOT NULL,
    code character varying(40) NOT NULL,
    subject character varying(60) NOT NULL,
    severity character varying(40) NOT NULL,
    status character varying(40) NOT NULL,
    detail character varying(1000) NOT NULL,
    opened_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    acknowledged_at timestamp with time zone,
    acknowledged_by integer,
    acknowledge_note character varying(1000),
    resolved_at timestamp with time zone,
    resolved_by integer,
    resolve_note character varying(1000),
    suppressed boolean DEFAULT false NOT NULL,
    reasons json,
    CONSTRAINT ck_flags_flag_code CHECK (((code)::text = ANY ((ARRAY['no_safety_person'::character varying, 'high_turnover'::character varying, 'stranger_decision'::character varying, 'readmission_tipping_point'::character varying, 'extensive_hospitalisation'::character varying, 'no_crisis_plan'::character varying, 'crisis_plan_stale'::character varying, 'maintenance_overdue'::character varying, 'transition_without_known_professional'::character varying])::text[]))),
    CONSTRAINT ck_flags_flag_severity CHECK (((severity)::text = ANY ((ARRAY['low'::character varying, 'medium'::character varying, 'high'::character varying])::text[]))),
    CONSTRAINT ck_flags_flag_status CHECK (((status)::text = ANY ((ARRAY['open'::character varying, 'acknowledged'::character varying, 'resolved'::character varying])::text[])))
);
CREATE SEQUENCE public.flags_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.flags_id_seq OWNED BY public.flags.id;
CREATE TABLE public.login_throttle (
    key character varying(64) NOT NULL,
    failures integer DEFAULT 0 NOT NULL,
    pending integer DEFAULT 0 NOT NULL,
    next_at timestamp with time zone,
    expires_at timestamp with time zone NOT NULL
);
CREATE TABLE public.maintenance_plans (
    id integer NOT NULL,
    patient_id integer NOT NULL,
    professional_id integer NOT NULL,
    interval_days integer NOT NULL,
    any_contact_counts boolean NOT NULL,
    note character varying(500),
    started_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone,
    created_by integer,
    CONSTRAINT ck_maintenance_plans_interval_range CHECK (((interval_days >= 7) AND (interval_days <= 730)))
);
CREATE SEQUENCE public.maintenance_plans_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.maintenance_plans_id_seq OWNED BY public.maintenance_plans.id;
CREATE TABLE public.outside_admissions (
    id integer NOT NULL,
    episode_id integer NOT NULL,
    patient_id integer NOT NULL,
    user_id integer NOT NULL,
    from_ward_id integer NOT NULL,
    reason character varying(500) NOT NULL,
    admitted_at timestamp with time zone NOT NULL,
    reviewed_at timestamp with time zone,
    reviewed_by integer,
    review_note character varying(1000),
    CONSTRAINT ck_outside_admissions_review_has_reviewer CHECK (((reviewed_at IS NULL) = (reviewed_by IS NULL)))
);
CREATE SEQUENCE public.outside_admissions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.outside_admissions_id_seq OWNED BY public.outside_admissions.id;
CREATE TABLE public.patient_professionals (
    patient_id integer NOT NULL,
    professional_id integer NOT NULL,
    first_contact_at timestamp with time zone NOT NULL,
    last_contact_at timestamp with time zone NOT NULL,
    contacts integer NOT NULL
);
CREATE TABLE public.patients (
    id integer NOT NULL,
    display_name character varying(200) NOT NULL,
    identifier character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE SEQUENCE public.patients_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.patients_id_seq OWNED BY public.patients.id;
CREATE TABLE public.professionals (
    id integer NOT NULL,
    name character varying(200) NOT NULL,
    profession character varying(40) NOT NULL,
    work_phone character varying(40),
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_professionals_profession CHECK (((profession)::text = ANY ((ARRAY['nurse'::character varying, 'psychiatrist'::character varying, 'doctor'::character varying, 'psychologist'::character varying, 'social_worker'::character varying, 'occupational_therapist'::character varying, 'peer_worker'::character varying, 'other'::character varying])::text[])))
);
CREATE SEQUENCE public.professionals_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.professionals_id_seq OWNED BY public.professionals.id;
CREATE TABLE public.push_subscriptions (
    id integer NOT NULL,
    user_id integer NOT NULL,
    endpoint character varying(2000) NOT NULL,
    p256dh character varying(200) NOT NULL,
    auth character varying(100) NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE SEQUENCE public.push_subscriptions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.push_subscriptions_id_seq OWNED BY public.push_subscriptions.id;
CREATE TABLE public.reminders (
    id integer NOT NULL,
    plan_id integer,
    patient_id integer NOT NULL,
    kind character varying(40) NOT NULL,
    due_on date NOT NULL,
    due_at timestamp with time zone NOT NULL,
    basis_at timestamp with time zone NOT NULL,
    professional_id integer,
    ward_id integer,
    status character varying(40) NOT NULL,
    snoozed_until date,
    created_at timestamp with time zone NOT NULL,
    done_at timestamp with time zone,
    done_by integer,
    closed_at timestamp with time zone,
    crisis_plan_version_id integer,
    notified_at timestamp with time zone,
    CONSTRAINT ck_reminders_reminder_kind CHECK (((kind)::text = ANY ((ARRAY['maintenance_due'::character varying, 'crisis_plan_review'::character varying])::text[]))),
    CONSTRAINT ck_reminders_reminder_status CHECK (((status)::text = ANY ((ARRAY['open'::character varying, 'done'::character varying, 'snoozed'::character varying, 'closed'::character varying])::text[])))
);
CREATE SEQUENCE public.reminders_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.reminders_id_seq OWNED BY public.reminders.id;
CREATE TABLE public.user_sessions (
    id integer NOT NULL,
    user_id integer NOT NULL,
    token_hash character varying(64) NOT NULL,
    csrf_token character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone
);
CREATE SEQUENCE public.user_sessions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.user_sessions_id_seq OWNED BY public.user_sessions.id;
CREATE TABLE public.user_wards (
    user_id integer NOT NULL,
    ward_id integer NOT NULL
);
CREATE TABLE public.users (
    id integer NOT NULL,
    username character varying(80) NOT NULL,
    password_hash character varying(200) NOT NULL,
    role character varying(40) NOT NULL,
    professional_id integer,
    patient_id integer,
    created_at timestamp with time zone NOT NULL,
    disabled_at timestamp with time zone,
    email character varying(254),
    CONSTRAINT ck_users_patient_role_has_patient CHECK ((((role)::text = 'patient'::text) = (patient_id IS NOT NULL))),
    CONSTRAINT ck_users_user_role CHECK (((role)::text = ANY ((ARRAY['admin'::character varying, 'team_leader'::character varying, 'nurse'::character varying, 'patient'::character varying])::text[])))
);
CREATE SEQUENCE public.users_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;
CREATE TABLE public.ward_memberships (
    id integer NOT NULL,
    professional_id integer NOT NULL,
    ward_id integer NOT NULL,
    started_on date NOT NULL,
    ended_on date,
    CONSTRAINT ck_ward_memberships_ends_after_start CHECK (((ended_on IS NULL) OR (ended_on >= started_on)))
);
CREATE SEQUENCE public.ward_memberships_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.ward_memberships_id_seq OWNED BY public.ward_memberships.id;
CREATE TABLE public.ward_policies (
    ward_id integer NOT NULL,
    thresholds json NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    updated_by integer
);
CREATE TABLE public.wards (
    id integer NOT NULL,
    name character varying(200) NOT NULL,
    setting character varying(40) NOT NULL,
    timezone character varying(60) DEFAULT 'Europe/Oslo'::character varying NOT NULL,
    created_at timestamp with time zone NOT NULL,
    contact_backdate_hours integer DEFAULT 72 NOT NULL,
    CONSTRAINT ck_wards_ward_setting CHECK (((setting)::text = ANY ((ARRAY['acute_ward'::character varying, 'forensic_unit'::character varying, 'community_mental_health_centre'::character varying, 'assertive_outreach_team'::character varying, 'outpatient_clinic'::character varying, 'crisis_resolution_team'::character varying, 'substance_use_unit'::character varying, 'other'::character varying])::text[])))
);
CREATE SEQUENCE public.wards_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.wards_id_seq OWNED BY public.wards.id;
ALTER TABLE ONLY public.api_tokens ALTER COLUMN id SET DEFAULT nextval('public.api_tokens_id_seq'::regclass);
ALTER TABLE ONLY public.audit_events ALTER COLUMN id SET DEFAULT nextval('public.audit_events_id_seq'::regclass);
ALTER TABLE ONLY public.contacts ALTER COLUMN id SET DEFAULT nextval('public.contacts_id_seq'::regclass);
ALTER TABLE ONLY public.crisis_plan_suggestions ALTER COLUMN id SET DEFAULT nextval('public.crisis_plan_suggestions_id_seq'::regclass);
ALTER TABLE ONLY public.crisis_plan_versions ALTER COLUMN id SET DEFAULT nextval('public.crisis_plan_versions_id_seq'::regclass);
ALTER TABLE ONLY public.deliveries ALTER COLUMN id SET DEFAULT nextval('public.deliveries_id_seq'::regclass);
ALTER TABLE ONLY public.designations ALTER COLUMN id SET DEFAULT nextval('public.designations_id_seq'::regclass);
ALTER TABLE ONLY public.digests ALTER COLUMN id SET DEFAULT nextval('public.digests_id_seq'::regclass);
ALTER TABLE ONLY public.emergency_access ALTER COLUMN id SET DEFAULT nextval('public.emergency_access_id_seq'::regclass);
ALTER TABLE ONLY public.episodes ALTER COLUMN id SET DEFAULT nextval('public.episodes_id_seq'::regclass);
ALTER TABLE ONLY public.flags ALTER COLUMN id SET DEFAULT nextval('public.flags_id_seq'::regclass);
ALTER TABLE ONLY public.maintenance_plans ALTER COLUMN id SET DEFAULT nextval('public.maintenance_plans_id_seq'::regclass);
ALTER TABLE ONLY public.outside_admissions ALTER COLUMN id SET DEFAULT nextval('public.outside_admissions_id_seq'::regclass);
ALTER TABLE ONLY public.patients ALTER COLUMN id SET DEFAULT nextval('public.patients_id_seq'::regclass);
ALTER TABLE ONLY public.professionals ALTER COLUMN id SET DEFAULT nextval('public.professionals_id_seq'::regclass);
ALTER TABLE ONLY public.push_subscriptions ALTER COLUMN id SET DEFAULT nextval('public.push_subscriptions_id_seq'::regclass);
ALTER TABLE ONLY public.reminders ALTER COLUMN id SET DEFAULT nextval('public.reminders_id_seq'::regclass);
ALTER TABLE ONLY public.user_sessions ALTER COLUMN id SET DEFAULT nextval('public.user_sessions_id_seq'::regclass);
ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);
ALTER TABLE ONLY public.ward_memberships ALTER COLUMN id SET DEFAULT nextval('public.ward_memberships_id_seq'::regclass);
ALTER TABLE ONLY public.wards ALTER COLUMN id SET DEFAULT nextval('public.wards_id_seq'::regclass);
ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);
ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT pk_api_tokens PRIMARY KEY (id);
ALTER TABLE ONLY public.audit_chain_head
    ADD CONSTRAINT pk_audit_chain_head PRIMARY KEY (id);
ALTER TABLE ONLY public.audit_events
    ADD CONSTRAINT pk_audit_events PRIMARY KEY (id);
ALTER TABLE ONLY public.contacts
    ADD CONSTRAINT pk_contacts PRIMARY KEY (id);
ALTER TABLE ONLY public.continuity_snapshots
    ADD CONSTRAINT pk_continuity_snapshots PRIMARY KEY (patient_id, window_days);
ALTER TABLE ONLY public.crisis_plan_suggestions
    ADD CONSTRAINT pk_crisis_plan_suggestions PRIMARY KEY (id);
ALTER TABLE ONLY public.crisis_plan_versions
    ADD CONSTRAINT pk_crisis_plan_versions PRIMARY KEY (id);
ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT pk_deliveries PRIMARY KEY (id);
ALTER TABLE ONLY public.designations
    ADD CONSTRAINT pk_designations PRIMARY KEY (id);
ALTER TABLE ONLY public.digests
    ADD CONSTRAINT pk_digests PRIMARY KEY (id);
ALTER TABLE ONLY public.emergency_access
    ADD CONSTRAINT pk_emergency_access PRIMARY KEY (id);
ALTER TABLE ONLY public.episodes
    ADD CONSTRAINT pk_episodes PRIMARY KEY (id);
ALTER TABLE ONLY public.flag_recompute_queue
    ADD CONSTRAINT pk_flag_recompute_queue PRIMARY KEY (patient_id);
ALTER TABLE ONLY public.flags
    ADD CONSTRAINT pk_flags PRIMARY KEY (id);
ALTER TABLE ONLY public.login_throttle
    ADD CONSTRAINT pk_login_throttle PRIMARY KEY (key);
ALTER TABLE ONLY public.maintenance_plans
    ADD CONSTRAINT pk_maintenance_plans PRIMARY KEY (id);
ALTER TABLE ONLY public.outside_admissions
    ADD CONSTRAINT pk_outside_admissions PRIMARY KEY (id);
ALTER TABLE ONLY public.patient_professionals
    ADD CONSTRAINT pk_patient_professionals PRIMARY KEY (patient_id, professional_id);
ALTER TABLE ONLY public.patients
    ADD CONSTRAINT pk_patients PRIMARY KEY (id);
ALTER TABLE ONLY public.professionals
    ADD CONSTRAINT pk_professionals PRIMARY KEY (id);
ALTER TABLE ONLY public.push_subscriptions
    ADD CONSTRAINT pk_push_subscriptions PRIMARY KEY (id);
ALTER TABLE ONLY public.reminders
    ADD CONSTRAINT pk_reminders PRIMARY KEY (id);
ALTER TABLE ONLY public.user_sessions
    ADD CONSTRAINT pk_user_sessions PRIMARY KEY (id);
ALTER TABLE ONLY public.user_wards
    ADD CONSTRAINT pk_user_wards PRIMARY KEY (user_id, ward_id);
ALTER TABLE ONLY public.users
    ADD CONSTRAINT pk_users PRIMARY KEY (id);
ALTER TABLE ONLY public.ward_memberships
    ADD CONSTRAINT pk_ward_memberships PRIMARY KEY (id);
ALTER TABLE ONLY public.ward_policies
    ADD CONSTRAINT pk_ward_policies PRIMARY KEY (ward_id);
ALTER TABLE ONLY public.wards
    ADD CONSTRAINT pk_wards PRIMARY KEY (id);
ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT uq_api_tokens_token_hash UNIQUE (token_hash);
ALTER TABLE ONLY public.audit_events
    ADD CONSTRAINT uq_audit_events_hash UNIQUE (hash);
ALTER TABLE ONLY public.contacts
    ADD CONSTRAINT uq_contacts_client_id UNIQUE (client_id);
ALTER TABLE ONLY public.crisis_plan_suggestions
    ADD CONSTRAINT uq_crisis_plan_suggestions_patient_id_number UNIQUE (patient_id, number);
ALTER TABLE ONLY public.crisis_plan_versions
    ADD CONSTRAINT uq_crisis_plan_versions_patient_id_version UNIQUE (patient_id, version);
ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT uq_deliveries_digest_id_user_id_channel UNIQUE (digest_id, user_id, channel);
ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT uq_deliveries_reminder_id_user_id_channel UNIQUE (reminder_id, user_id, channel);
ALTER TABLE ONLY public.digests
    ADD CONSTRAINT uq_digests_ward_id_local_date UNIQUE (ward_id, local_date);
ALTER TABLE ONLY public.outside_admissions
    ADD CONSTRAINT uq_outside_admissions_episode_id UNIQUE (episode_id);
ALTER TABLE ONLY public.patients
    ADD CONSTRAINT uq_patients_identifier UNIQUE (identifier);
ALTER TABLE ONLY public.push_subscriptions
    ADD CONSTRAINT uq_push_subscriptions_endpoint UNIQUE (endpoint);
ALTER TABLE ONLY public.reminders
    ADD CONSTRAINT uq_reminders_crisis_plan_version_id UNIQUE (crisis_plan_version_id);
ALTER TABLE ONLY public.reminders
    ADD CONSTRAINT uq_reminders_plan_id_due_on UNIQUE (plan_id, due_on);
ALTER TABLE ONLY public.user_sessions
    ADD CONSTRAINT uq_user_sessions_token_hash UNIQUE (token_hash);
ALTER TABLE ONLY public.users
    ADD CONSTRAINT uq_users_patient_id UNIQUE (patient_id);
ALTER TABLE ONLY public.users
    ADD CONSTRAINT uq_users_professional_id UNIQUE (professional_id);
ALTER TABLE ONLY public.users
    ADD CONSTRAINT uq_users_username UNIQUE (username);
ALTER TABLE ONLY public.wards
    ADD CONSTRAINT uq_wards_name UNIQUE (name);
CREATE INDEX ix_api_tokens_user_id ON public.api_tokens USING btree (user_id);
CREATE INDEX ix_audit_events_patient_id ON public.audit_events USING btree (patient_id);
CREATE INDEX ix_contacts_patient_id_occurred_at ON public.contacts USING btree (patient_id, occurred_at);
CREATE INDEX ix_contacts_patient_id_professional_id ON public.contacts USING btree (patient_id, professional_id);
CREATE INDEX ix_contacts_professional_id ON public.contacts USING btree (professional_id);
CREATE INDEX ix_crisis_plan_suggestions_key_id ON public.crisis_plan_suggestions USING btree (key_id);
CREATE INDEX ix_crisis_plan_versions_key_id ON public.crisis_plan_versions USING btree (key_id);
CREATE INDEX ix_deliveries_status_next_attempt_at ON public.deliveries USING btree (status, next_attempt_at);
CREATE INDEX ix_deliveries_user_id ON public.deliveries USING btree (user_id);
CREATE INDEX ix_designations_patient_id ON public.designations USING btree (patient_id);
CREATE INDEX ix_designations_professional_id ON public.designations USING btree (professional_id);
CREATE INDEX ix_emergency_access_patient_id ON public.emergency_access USING btree (patient_id);
CREATE INDEX ix_emergency_access_user_id_patient_id_expires_at ON public.emergency_access USING btree (user_id, patient_id, expires_at);
CREATE INDEX ix_episodes_patient_id_started_at ON public.episodes USING btree (patient_id, started_at);
CREATE INDEX ix_episodes_ward_id_ended_at ON public.episodes USING btree (ward_id, ended_at);
CREATE INDEX ix_flags_patient_id_status ON public.flags USING btree (patient_id, status);
CREATE INDEX ix_login_throttle_expires_at ON public.login_throttle USING btree (expires_at);
CREATE INDEX ix_maintenance_plans_patient_id_professional_id ON public.maintenance_plans USING btree (patient_id, professional_id);
CREATE INDEX ix_maintenance_plans_professional_id ON public.maintenance_plans USING btree (professional_id);
CREATE INDEX ix_outside_admissions_from_ward_id ON public.outside_admissions USING btree (from_ward_id);
CREATE INDEX ix_outside_admissions_patient_id ON public.outside_admissions USING btree (patient_id);
CREATE INDEX ix_patient_professionals_professional_id ON public.patient_professionals USING btree (professional_id);
CREATE INDEX ix_professionals_profession ON public.professionals USING btree (profession);
CREATE INDEX ix_push_subscriptions_user_id ON public.push_subscriptions USING btree (user_id);
CREATE INDEX ix_reminders_patient_id_status ON public.reminders USING btree (patient_id, status);
CREATE INDEX ix_reminders_professional_id ON public.reminders USING btree (professional_id);
CREATE INDEX ix_reminders_ward_id ON public.reminders USING btree (ward_id);
CREATE INDEX ix_user_sessions_user_id ON public.user_sessions USING btree (user_id);
CREATE INDEX ix_user_wards_ward_id ON public.user_wards USING btree (ward_id);
CREATE INDEX ix_ward_memberships_professional_id ON public.ward_memberships USING btree (professional_id);
CREATE INDEX ix_ward_memberships_ward_id ON public.ward_memberships USING btree (ward_id);
CREATE UNIQUE INDEX uq_designations_one_active ON public.designations USING btree (patient_id, kind) WHERE (ended_at IS NULL);
CREATE UNIQUE INDEX uq_flags_one_unresolved ON public.flags USING btree (patient_id, code, subject) WHERE ((status)::text <> 'resolved'::text);
CREATE TRIGGER audit_chain_advance AFTER INSERT ON public.audit_events FOR EACH ROW EXECUTE FUNCTION public.audit_chain_advance();
CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON public.audit_chain_head FOR EACH STATEMENT EXECUTE FUNCTION public.audit_refuse_truncate();
CREATE TRIGGER audit_events_append_only BEFORE DELETE OR UPDATE ON public.audit_events FOR EACH ROW EXECUTE FUNCTION public.audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON public.audit_events FOR EACH STATEMENT EXECUTE FUNCTION public.audit_refuse_truncate();
ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT fk_api_tokens_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.contacts
    ADD CONSTRAINT fk_contacts_logged_by_users FOREIGN KEY (logged_by) REFERENCES public.users(id);
ALTER TABLE ONLY public.contacts
    ADD CONSTRAINT fk_contacts_patient_id_patients FOREIGN KEY (patient_id) REFERENCES public.patients(id);
ALTER TABLE ONLY public.contacts
    ADD CONSTRAINT fk_contacts_professional_id_professionals FOREIGN KEY (professional_id) REFERENCES public.professionals(id);
ALTER TABLE ONLY public.contacts
    ADD CONSTRAINT fk_contacts_retracted_by_users FOREIGN KEY (retracted_by) REFERENCES public.users(id);
ALTER TABLE ONLY public.contacts
    ADD CONSTRAINT fk_contacts_ward_id_wards FOREIGN KEY (ward_id) REFERENCES public.wards(id);
ALTER TABLE ONLY public.continuity_snapshots
    ADD CONSTRAINT fk_continuity_snapshots_patient_id_patients FOREIGN KEY (patient_id) REFERENCES public.patients(id);
ALTER TABLE ONLY public.crisis_plan_suggestions
    ADD CONSTRAINT fk_crisis_plan_suggestions_answered_by_users FOREIGN KEY (answered_by) REFERENCES public.users(id);
ALTER TABLE ONLY public.crisis_plan_suggestions
    ADD CONSTRAINT fk_crisis_plan_suggestions_created_by_users FOREIGN KEY (created_by) REFERENCES public.users(id);
ALTER TABLE ONLY public.crisis_plan_suggestions
    ADD CONSTRAINT fk_crisis_plan_suggestions_patient_id_patients FOREIGN KEY (patient_id) REFERENCES public.patients(id);
ALTER TABLE ONLY public.crisis_plan_versions
    ADD CONSTRAINT fk_crisis_plan_versions_created_by_users FOREIGN KEY (created_by) REFERENCES public.users(id);
ALTER TABLE ONLY public.crisis_plan_versions
    ADD CONSTRAINT fk_crisis_plan_versions_patient_id_patients FOREIGN KEY (patient_id) REFERENCES public.patients(id);
ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT fk_deliveries_digest_id_digests FOREIGN KEY (digest_id) REFERENCES public.digests(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT fk_deliveries_reminder_id_reminders FOREIGN KEY (reminder_id) REFERENCES public.reminders(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT fk_deliveries_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.designations
    ADD CONSTRAINT fk_designations_created_by_users FOREIGN KEY (created_by) REFERENCES public.users(id);
ALTER TABLE ONLY public.designations
    ADD CONSTRAINT fk_designations_patient_id_patients FOREIGN KEY (patient_id) REFERENCES public.patients(id);
ALTER TABLE ONLY public.designations
    ADD CONSTRAINT fk_designations_professional_id_professionals FOREIGN KEY (professional_id) REFERENCES public.professionals(id);
ALTER TABLE ONLY public.digests
    ADD CONSTRAINT fk_digests_ward_id_wards FOREIGN KEY (ward_id) REFERENCES public.wards(id);
ALTER TABLE ONLY public.emergency_access
    ADD CONSTRAINT fk_emergency_access_patient_id_patients FOREIGN KEY (patient_id) REFERENCES public.patients(id);
ALTER TABLE ONLY public.emergency_access
    ADD CONSTRAINT fk_emergency_access_reviewed_by_users FOREIGN KEY (reviewed_by) REFERENCES public.users(id);
ALTER TABLE ONLY public.emergency_access
    ADD CONSTRAINT fk_emergency_access_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id);
ALTER TABLE ONLY public.episodes
    ADD CONSTRAINT fk_episodes_patient_id_patients FOREIGN KEY (patient_id) REFERENCES public.patients(id);
ALTER TABLE ONLY public.episodes
    ADD CONSTRAINT fk_episodes_ward_id_wards FOREIGN KEY (ward_id) REFERENCES public.wards(id);
ALTER TABLE ONLY public.flag_recompute_queue
    ADD CONSTRAINT fk_flag_recompute_queue_patient_id_patients FOREIGN KEY (patient_id) REFERENCES public.patients(id);
ALTER TABLE ONLY public.flags
    ADD CONSTRAINT fk_flags_acknowledged_by_users FOREIGN KEY (acknowledged_by) REFERENCES public.users(id);
ALTER TABLE ONLY public.flags
    ADD CONSTRAINT fk_flags_patient_id_patients FOREIGN KEY (patient_id) REFERENCES public.patients(id);
ALTER TABLE ONLY public.flags
    ADD CONSTRAINT fk_flags_resolved_by_users FOREIGN KEY (resolved_by) REFERENCES public.users(id);
ALTER TABLE ONLY public.maintenance_plans
    ADD CONSTRAINT fk_maintenance_plans_created_by_users FOREIGN KEY (created_by) REFERENCES public.users(id);
ALTER TABLE ONLY public.maintenance_plans
    ADD CONSTRAINT fk_maintenance_plans_patient_id_patients FOREIGN KEY (patient_id) REFERENCES public.patients(id);
ALTER TABLE ONLY public.maintenance_plans
    ADD CONSTRAINT fk_maintenance_plans_professional_id_professionals FOREIGN KEY (professional_id) REFERENCES public.professionals(id);
ALTER TABLE ONLY public.outside_admissions
    ADD CONSTRAINT fk_outside_admissions_episode_id_episodes FOREIGN KEY (episode_id) REFERENCES public.episodes(id);
ALTER TABLE ONLY public.outside_admissions
    ADD CONSTRAINT fk_outside_admissions_from_ward_id_wards FOREIGN KEY (from_ward_id) REFERENCES public.wards(id);
ALTER TABLE ONLY public.outside_admissions
    ADD CONSTRAINT fk_outside_admissions_patient_id_patients FOREIGN KEY (patient_id) REFERENCES public.patients(id);
ALTER TABLE ONLY public.outside_admissions
    ADD CONSTRAINT fk_outside_admissions_reviewed_by_users FOREIGN KEY (reviewed_by) REFERENCES public.users(id);
ALTER TABLE ONLY public.outside_admissions
    ADD CONSTRAINT fk_outside_admissions_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id);
ALTER TABLE ONLY public.patient_professionals
    ADD CONSTRAINT fk_patient_professionals_patient_id_patients FOREIGN KEY (patient_id) REFERENCES public.patients(id);
ALTER TABLE ONLY public.patient_professionals
    ADD CONSTRAINT fk_patient_professionals_professional_id_professionals FOREIGN KEY (professional_id) REFERENCES public.professionals(id);
ALTER TABLE ONLY public.push_subscriptions
    ADD CONSTRAINT fk_push_subscriptions_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.reminders
    ADD CONSTRAINT fk_reminders_crisis_plan_version_id_crisis_plan_versions FOREIGN KEY (crisis_plan_version_id) REFERENCES public.crisis_plan_versions(id);
ALTER TABLE ONLY public.reminders
    ADD CONSTRAINT fk_reminders_done_by_users FOREIGN KEY (done_by) REFERENCES public.users(id);
ALTER TABLE ONLY public.reminders
    ADD CONSTRAINT fk_reminders_patient_id_patients FOREIGN KEY (patient_id) REFERENCES public.patients(id);
ALTER TABLE ONLY public.reminders
    ADD CONSTRAINT fk_reminders_plan_id_maintenance_plans FOREIGN KEY (plan_id) REFERENCES public.maintenance_plans(id);
ALTER TABLE ONLY public.reminders
    ADD CONSTRAINT fk_reminders_professional_id_professionals FOREIGN KEY (professional_id) REFERENCES public.professionals(id);
ALTER TABLE ONLY public.reminders
    ADD CONSTRAINT fk_reminders_ward_id_wards FOREIGN KEY (ward_id) REFERENCES public.wards(id);
ALTER TABLE ONLY public.user_sessions
    ADD CONSTRAINT fk_user_sessions_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.user_wards
    ADD CONSTRAINT fk_user_wards_user_id_users FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.user_wards
    ADD CONSTRAINT fk_user_wards_ward_id_wards FOREIGN KEY (ward_id) REFERENCES public.wards(id);
ALTER TABLE ONLY public.users
    ADD CONSTRAINT fk_users_patient_id_patients FOREIGN KEY (patient_id) REFERENCES public.patients(id);
ALTER TABLE ONLY public.users
    ADD CONSTRAINT fk_users_professional_id_professionals FOREIGN KEY (professional_id) REFERENCES public.professionals(id);
ALTER TABLE ONLY public.ward_memberships
    ADD CONSTRAINT fk_ward_memberships_professional_id_professionals FOREIGN KEY (professional_id) REFERENCES public.professionals(id);
ALTER TABLE ONLY public.ward_memberships
    ADD CONSTRAINT fk_ward_memberships_ward_id_wards FOREIGN KEY (ward_id) REFERENCES public.wards(id);
ALTER TABLE ONLY public.ward_policies
    ADD CONSTRAINT fk_ward_policies_updated_by_users FOREIGN KEY (updated_by) REFERENCES public.users(id);
ALTER TABLE ONLY public.ward_policies
    ADD CONSTRAINT fk_ward_policies_ward_id_wards FOREIGN KEY (ward_id) REFERENCES public.wards(id);
REVOKE ALL ON FUNCTION public.audit_chain_lock() FROM PUBLIC;
SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;
INSERT INTO public.alembic_version VALUES ('31ba2a15b99d');
INSERT INTO public.audit_chain_head VALUES (1, '0000000000000000000000000000000000000000000000000000000000000000');
