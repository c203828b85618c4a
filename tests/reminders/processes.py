"""`flask scheduler run` as real subprocesses for the scheduler tests, with their log lines collected."""

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.conftest import TEST_AUDIT_SIGNING_KEY, TEST_KEYS

ROOT = Path(__file__).resolve().parents[2]


def wait_until(condition, seconds: float = 30, every: float = 0.2):
    """Poll `condition()` until it is truthy (returned) or `seconds` pass (AssertionError)."""
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting after {seconds} s")
        time.sleep(every)


class SchedulerProcess:
    """One `flask scheduler run` against `database_url`, logging to a list of lines."""

    def __init__(self, name: str, database_url: str, **settings):
        self.name, self.lines = name, []
        env = {key: value for key, value in os.environ.items() if not key.startswith("WARDTRACK_")}
        env.update({"FLASK_APP": "app.py", "WARDTRACK_DATABASE_URL": database_url,
                    "WARDTRACK_SECRET_KEY": "test-secret", "WARDTRACK_CRYPTO_KEYS": TEST_KEYS,
                    "WARDTRACK_SCHEDULER_SWEEP_SECONDS": "1", "WARDTRACK_SCHEDULER_DELIVERY_SECONDS": "1",
                    "WARDTRACK_SCHEDULER_FLAGS_SECONDS": "3600", "WARDTRACK_SCHEDULER_DIGEST_SECONDS": "3600",
                    "PYTHONUNBUFFERED": "1", "WARDTRACK_AUDIT_SIGNING_KEY": TEST_AUDIT_SIGNING_KEY,
                    "WARDTRACK_AUDIT_CHECKPOINT_FILE": str(Path(tempfile.mkdtemp()) / "audit-checkpoints.jsonl")})
        env.update({f"WARDTRACK_{key}": str(value) for key, value in settings.items()})
        self.process = subprocess.Popen([sys.executable, "-m", "flask", "scheduler", "run"], cwd=ROOT, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    def logged(self, text: str) -> int:
        """How many log lines contain `text`."""
        return sum(text in line for line in list(self.lines))

    def log(self) -> str:
        return "\n".join(f"[{self.name}] {line}" for line in self.lines)

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to clean up (its database connections just drop)."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> int:
        """SIGTERM, as systemd stops a service; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(20)
        finally:
            self.reader.join(5)

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        if self.process.poll() is None:
            self.kill()
