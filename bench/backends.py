"""Throwaway databases (SQLite in a temporary directory, PostgreSQL as a new database), migrated and seeded.

Every database is removed by a callback on the caller's ExitStack, registered as soon as it exists, so
that a failure or Ctrl-C later on still drops it.
"""

import contextlib
import json
import os
import re
import secrets
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from bench.servers import ROOT, process_cpu

DEFAULT_POSTGRESQL = "postgresql+psycopg://postgres@127.0.0.1:5432/"


class Unavailable(RuntimeError):
    """The backend cannot be benchmarked here; the message says why."""


@dataclass
class Seeded:
    """A migrated, seeded database and what the load needs to reach it."""

    url: str
    app_env: dict
    token: str
    nurse_id: int
    ward_id: int
    professional_id: int
    patient_id: int


def _base_env() -> dict:
    """The harness's environment without any setting that could point the app elsewhere."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("WARDTRACK_", "FLASK_", "BENCH_"))}


def app_env(url: str) -> dict:
    """The environment for the app's CLI and server: production mode, keys given so nothing goes to instance/."""
    from wardtrack.core.crypto import generate_key_line

    return {**_base_env(), "FLASK_APP": "app.py", "WARDTRACK_ENV": "production", "WARDTRACK_DATABASE_URL": url,
            "WARDTRACK_SECRET_KEY": secrets.token_urlsafe(48), "WARDTRACK_CRYPTO_KEYS": generate_key_line()}


def baseline_env(seeded: Seeded) -> dict:
    """The environment for the bare WSGI baseline."""
    return {**_base_env(), "BENCH_DATABASE_URL": seeded.url, "BENCH_LOGGED_BY": str(seeded.nurse_id)}


def sqlite_database(workdir: Path) -> str:
    """A SQLite URL for a file in the harness's temporary directory (removed with it)."""
    return f"sqlite:///{workdir / 'bench.sqlite3'}"


def postgresql_database(stack: contextlib.ExitStack) -> str:
    """Create a throwaway database on the server of WARDTRACK_BENCH_DATABASE_URL; Unavailable when unreachable."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    server = make_url(os.environ.get("WARDTRACK_BENCH_DATABASE_URL") or DEFAULT_POSTGRESQL)
    admin = server.set(drivername="postgresql", database=server.database or "postgres")
    conninfo = admin.render_as_string(hide_password=False)
    name = f"wardtrack_bench_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise Unavailable(f"PostgreSQL at {admin.render_as_string()} is unreachable: {reason}") from None
    stack.callback(_drop_database, conninfo, name)
    return server.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)


def _drop_database(conninfo: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as connection:
            connection.execute(statement)
    except psycopg.Error as error:
        print(f"warning: could not drop the benchmark database {name}: {error}", file=sys.stderr)


class DatabaseCpu:
    """CPU time of the PostgreSQL backend processes connected to one database, when the server is local.

    Read from /proc through the pids in pg_stat_activity; None where the server runs elsewhere (or for SQLite,
    whose work is already inside the gunicorn workers).
    """

    def __init__(self, url: str):
        self.url, self._connection = url, None
        if url.startswith("postgresql"):
            import psycopg

            self._connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1),
                                               autocommit=True, connect_timeout=5)

    def cpu_seconds(self) -> dict[int, float] | None:
        """{backend pid: CPU seconds}; None when unknown."""
        if self._connection is None:
            return None
        pids = [row[0] for row in self._connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")]
        times = {pid: process_cpu(pid) for pid in pids}
        return times if all(value is not None for value in times.values()) else None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _run(args: list[str], env: dict, stdin: str | None = None) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True,
                          timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"`{' '.join(args)}` failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


def _create_user(env: dict, username: str, role: str, *options: str) -> int:
    out = _run(["-m", "flask", "users", "create", username, "--role", role, *options, "--password-stdin"], env,
               stdin=secrets.token_urlsafe(24) + "\n")
    match = re.search(r"\(id (\d+)\)", out)
    if not match:
        raise RuntimeError(f"unexpected output of `flask users create`: {out!r}")
    return int(match.group(1))


def _token(env: dict, username: str) -> str:
    return _run(["-m", "flask", "users", "token", username], env).strip().splitlines()[-1]


def migrate_and_seed(url: str) -> Seeded:
    """`flask db upgrade`, then an admin (only to seed), the ward, professional and patient, and the nurse."""
    env = app_env(url)
    _run(["-m", "flask", "db", "upgrade"], env)
    _create_user(env, "bench-admin", "admin")
    ids = json.loads(_run(["-m", "bench.seed"], {**env, "BENCH_ADMIN_TOKEN": _token(env, "bench-admin")}))
    nurse_id = _create_user(env, "bench-nurse", "nurse", "--ward-id", str(ids["ward_id"]),
                            "--professional-id", str(ids["professional_id"]))
    return Seeded(url=url, app_env=env, token=_token(env, "bench-nurse"), nurse_id=nurse_id, **ids)
