"""Least privilege on PostgreSQL: the grants of the role the app and the scheduler connect as.

Migrations run as the owner role, which owns every table. The app's role owns nothing, is no
superuser and no member of the owner (so it cannot ALTER a table, disable a trigger, or SET
session_replication_role), and may only INSERT and SELECT audit events and SELECT the chain's head
(which functions of the owner lock and move). On every other table it may SELECT, INSERT, UPDATE and
DELETE; on alembic_version only SELECT. Idempotent: run it again after any upgrade (default
privileges already cover the tables later migrations create). See docs/audit.md and
deploy/postgres-roles.sql.
"""

import sqlalchemy as sa

AUDIT_EVENTS, AUDIT_HEAD = "audit_events", "audit_chain_head"


class RoleError(RuntimeError):
    """The role cannot be the app's role, or the database is not ready for it."""


def _refuse_powerful(connection, role: str, owner: str) -> None:
    attributes = connection.execute(sa.text(
        "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication FROM pg_roles "
        "WHERE rolname = :role"), {"role": role}).first()
    if attributes is None:
        raise RoleError(f"role {role} does not exist: create it first (deploy/postgres-roles.sql)")
    powers = [
        name
        for name, held in zip(("SUPERUSER", "BYPASSRLS", "CREATEROLE", "CREATEDB", "REPLICATION"),
                              attributes, strict=True)
        if held
    ]
    if powers:
        raise RoleError(f"role {role} has {', '.join(powers)}: the app's role must have none")
    if role == owner or connection.scalar(sa.text("SELECT pg_has_role(:role, :owner, 'MEMBER')"),
                                          {"role": role, "owner": owner}):
        raise RoleError(
            f"role {role} is, or acts as, {owner}, which owns the tables: use a role of its own"
        )
    owned = connection.scalar(
        sa.text(
            "SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid) + (SELECT count(*) FROM "
            "pg_proc WHERE proowner = r.oid) + (SELECT count(*) FROM pg_namespace WHERE nspowner = "
            "r.oid) FROM pg_roles AS r WHERE r.rolname = :role"
        ),
        {"role": role},
    )
    if owned:
        raise RoleError(
            f"role {role} owns {owned} objects in this database: the app's role must own nothing"
        )


def statements(connection, role: str) -> list[str]:
    """The GRANT and REVOKE statements for `role`, after checking that it may be the app's role."""
    if connection.dialect.name != "postgresql":
        raise RoleError(
            "roles exist on PostgreSQL only; a SQLite file is protected by its file permissions"
        )
    owner = connection.scalar(
        sa.text(
            "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = "
            ":table"
        ),
        {"table": AUDIT_EVENTS},
    )
    if owner is None:
        raise RoleError(
            "the audit tables do not exist yet: run `flask db upgrade` as the owner role first"
        )
    _refuse_powerful(connection, role, owner)
    quote = connection.dialect.identifier_preparer.quote
    app, owner_q = quote(role), quote(owner)
    schema = quote(connection.scalar(sa.text("SELECT current_schema()")))
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {app}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {AUDIT_EVENTS} FROM {app}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {AUDIT_HEAD} FROM {app}",
        (
            "REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON alembic_version FROM "
            f"{app}"
        ),
        f"REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA {schema} FROM {app}",
        f"GRANT EXECUTE ON FUNCTION audit_chain_lock() TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner_q} IN SCHEMA {schema} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
        (
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner_q} IN SCHEMA {schema} GRANT USAGE, SELECT "
            f"ON SEQUENCES TO {app}"
        ),
    ]


def grant_app_role(connection, role: str) -> list[str]:
    """Give `role` exactly the app's privileges (run as the owner or a superuser); the statements
    run."""
    done = statements(connection, role)
    for statement in done:
        connection.execute(sa.text(statement))
    return done
