-- The two PostgreSQL roles of a wardtrack deployment (docs/audit.md, "Roles"). Run once, as a superuser:
--
--   psql -v owner=wardtrack_owner -v app=wardtrack_app -v database=wardtrack -f deploy/postgres-roles.sql
--
-- owner  owns the database, its schema and every table; `flask db upgrade` runs as it, and nothing else does.
-- app    the web workers and the scheduler connect as it. It owns nothing, has no role attributes, is no member
--        of the owner: it cannot ALTER a table, disable or drop a trigger, TRUNCATE, or SET
--        session_replication_role. On the audit tables it may only INSERT and SELECT (audit_chain_head: SELECT;
--        the head is locked and moved by functions of the owner). On the other tables: SELECT, INSERT, UPDATE,
--        DELETE; alembic_version: SELECT.
--
-- The table privileges are given after the migrations, by the initial migration when
-- WARDTRACK_DATABASE_APP_ROLE names the app role during `flask db upgrade`, or at any time after by
--   WARDTRACK_DATABASE_URL=postgresql+psycopg://wardtrack_owner@db/wardtrack flask audit grant-app-role wardtrack_app
-- (idempotent; it also sets the owner's default privileges, so tables added by later migrations follow).
-- Then run the app and the scheduler with WARDTRACK_DATABASE_URL naming the app role.
--
-- Passwords are not set here (none in shell history): use `\password wardtrack_app` in psql, or certificate
-- or peer authentication in pg_hba.conf.

\set ON_ERROR_STOP on
\if :{?owner}
\else
  \set owner wardtrack_owner
\endif
\if :{?app}
\else
  \set app wardtrack_app
\endif
\if :{?database}
\else
  \set database wardtrack
\endif

CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;
CREATE DATABASE :"database" OWNER :"owner";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"database" TO :"app";

\connect :"database"
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
