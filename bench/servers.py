"""Starting and stopping gunicorn, free ports, and CPU accounting from /proc."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
_TICK = os.sysconf("SC_CLK_TCK")


class ServerError(RuntimeError):
    """A server did not start or did not answer."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """One gunicorn master started from deploy/gunicorn.conf.py, with bind and workers overridden."""

    def __init__(self, name: str, app: str, env: dict, workers: int, log_dir: Path):
        self.name, self.app, self.env, self.workers = name, app, env, workers
        self.log_path = log_dir / f"gunicorn-{name}.log"
        self.port = 0
        self.process: subprocess.Popen | None = None

    def start(self, attempts: int = 3) -> None:
        """Start on a free port and wait until it answers; retried when the port was taken meanwhile."""
        for _ in range(attempts):
            self.port = free_port()
            command = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "--bind", f"127.0.0.1:{self.port}",
                       "--workers", str(self.workers), "--worker-class", "sync", "--chdir", str(ROOT), self.app]
            with open(self.log_path, "ab") as log:
                # A session of its own: Ctrl-C in the terminal reaches the harness only, which then stops it.
                self.process = subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=log, stderr=log,
                                                stdin=subprocess.DEVNULL, start_new_session=True)
            if self._wait_ready():
                return
            self.stop()
        raise ServerError(f"{self.name} did not start; its log:\n{self.log_tail()}")

    def _wait_ready(self, timeout: float = 60.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
                    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    # One worker may answer before the master has forked the others: keep waiting for them.
                    if sock.recv(12).startswith(b"HTTP/1.1 200") and len(self.worker_pids()) >= self.workers:
                        return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM the master's process group (graceful), SIGKILL it if it lingers."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def worker_pids(self) -> list[int]:
        return _children(self.process.pid) if self.process else []

    def cpu_seconds(self) -> float:
        """User plus system CPU of the master and its workers so far."""
        if self.process is None:
            return 0.0
        return sum(process_cpu(pid) or 0.0 for pid in [self.process.pid, *self.worker_pids()])

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def _stat_fields(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2:].split()  # fields from the 3rd on; comm may contain spaces


def process_cpu(pid: int) -> float | None:
    """User plus system CPU seconds of one process; None when it is not visible here."""
    try:
        fields = _stat_fields(pid)
    except (OSError, ValueError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if int(_stat_fields(int(entry.name))[1]) == parent:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


def machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return float(sum(values) - idle), float(sum(values))
