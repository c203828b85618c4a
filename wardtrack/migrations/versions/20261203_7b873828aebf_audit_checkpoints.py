"""audit tables for a least-privileged app role: TRUNCATE refused, the chain's head locked and moved by
functions of the owner, so the app needs only INSERT and SELECT on the audit tables

On PostgreSQL:
- a statement trigger refuses TRUNCATE on audit_events and audit_chain_head (the row triggers never see it);
- audit_chain_lock() returns the head's hash locked FOR UPDATE (which needs UPDATE privilege on the table),
  and audit_chain_advance() moves the head on: both run as their owner (SECURITY DEFINER, fixed search_path),
  so the app's role appends events without being allowed to change the head itself;
- when WARDTRACK_DATABASE_APP_ROLE names the app's role, it gets its grants (`flask audit grant-app-role`
  does the same and may be run again at any time; see docs/audit.md and deploy/postgres-roles.sql).
SQLite has no TRUNCATE and no roles: nothing changes there.

Revision ID: 7b873828aebf
Revises: 5c7e47da97d8
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '7b873828aebf'
down_revision = '5c7e47da97d8'
branch_labels = None
depends_on = None

AUDIT_TABLES = ("audit_events", "audit_chain_head")


def _search_path(bind) -> str:
    schema = bind.dialect.identifier_preparer.quote(bind.scalar(sa.text("SELECT current_schema()")))
    return f"SET search_path = {schema}, pg_temp"


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(
        "CREATE FUNCTION audit_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'audit tables are append-only: TRUNCATE % refused', TG_TABLE_NAME; END $$"
    )
    for table in AUDIT_TABLES:
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()")
    search_path = _search_path(bind)
    lock = "RETURN QUERY SELECT head.hash FROM audit_chain_head AS head WHERE head.id = 1 FOR UPDATE"
    op.execute("CREATE FUNCTION audit_chain_lock() RETURNS SETOF varchar LANGUAGE plpgsql SECURITY DEFINER "
               f"{search_path} AS $$ BEGIN {lock}; END $$")
    op.execute("REVOKE EXECUTE ON FUNCTION audit_chain_lock() FROM PUBLIC")
    op.execute(f"ALTER FUNCTION audit_chain_advance() SECURITY DEFINER {search_path}")
    from flask import current_app

    role = current_app.config.get("DATABASE_APP_ROLE")
    if role:
        from wardtrack.audit.roles import grant_app_role

        grant_app_role(bind, role)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER FUNCTION audit_chain_advance() SECURITY INVOKER RESET search_path")
    op.execute("DROP FUNCTION audit_chain_lock()")
    for table in AUDIT_TABLES:
        op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
    op.execute("DROP FUNCTION audit_refuse_truncate()")
