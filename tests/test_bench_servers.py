"""The benchmark's servers: a gunicorn server counts as started only once all its workers run."""

import os

from bench.servers import Gunicorn


def test_a_server_is_ready_only_when_every_worker_has_started(tmp_path):
    # The first worker answers before the master has forked the others; with several workers the
    # server used to be given up as failed at that point.
    server = Gunicorn("baseline", "bench.baseline:app", {"PATH": os.environ["PATH"]}, 4, tmp_path)
    try:
        server.start(attempts=1)
        assert len(server.worker_pids()) == 4
    finally:
        server.stop()
    assert server.process is None
