"""gunicorn settings for wardtrack in production: `gunicorn -c deploy/gunicorn.conf.py app:app`.

Run `flask db upgrade` before starting (the app never migrates itself). Bind address and worker count
come from the environment so that one file serves every host; command-line flags still win over this
file (the benchmark uses that to pick a free port).

Environment (all optional):
  WARDTRACK_BIND            address to listen on, e.g. 127.0.0.1:8000 or unix:/run/wardtrack.sock
  WARDTRACK_WORKERS         sync worker processes (default: 2 per CPU core plus one, at most 8)
  WARDTRACK_TIMEOUT         seconds a worker may stay silent before it is restarted (default 30)
  WARDTRACK_ACCESS_LOG      access log file, "-" for stderr (default: none; the reverse proxy logs requests)
  WARDTRACK_LOG_LEVEL       gunicorn's own log level (default info)
  WARDTRACK_FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1,::1)
  WARDTRACK_CONTROL_SOCKET  path of gunicorn's control socket (default: none, so that several
                            instances on one host never fight over one shared path)
  PROMETHEUS_MULTIPROC_DIR  an empty directory, private to this service, where each worker keeps its
                            metrics so that /metrics adds them up (wardtrack/core/metrics.py); emptied
                            here at start
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Sync workers: each request holds one worker and one database connection, which suits a short
# write-heavy API and keeps SQLite's single writer simple; scale with processes, not threads.
bind = os.environ.get("WARDTRACK_BIND", "127.0.0.1:8000")
workers = _int("WARDTRACK_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 8))
worker_class = "sync"
timeout = _int("WARDTRACK_TIMEOUT", 30)
graceful_timeout = 30
# Heartbeat files on tmpfs: a disk-backed /tmp can stall workers long enough to get them killed.
_SHM = "/dev/shm"  # noqa: S108  (gunicorn makes and unlinks its own file there)
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None

# Behind a TLS-terminating reverse proxy on the same host.
forwarded_allow_ips = os.environ.get("WARDTRACK_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# Logging: no PHI reaches these logs, the app logs ids only; request lines are the proxy's job.
accesslog = os.environ.get("WARDTRACK_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("WARDTRACK_LOG_LEVEL", "info")
proc_name = "wardtrack"

# Refuse oversized request lines and headers early (bearer tokens and cookies fit well within these).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# gunicorn >= 25 opens a control socket at a per-user default path; only where it is asked for.
control_socket = os.environ.get("WARDTRACK_CONTROL_SOCKET") or None
control_socket_disable = not control_socket


# Metrics of several workers (prometheus_client's multiprocess mode): a fresh directory at start,
# and a dead worker's live gauges dropped.
def on_starting(_server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(_server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
