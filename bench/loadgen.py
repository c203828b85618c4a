"""A closed-loop HTTP/1.1 load generator: one process per connection slot, plain blocking sockets.

gunicorn's sync workers close the connection after every response, so each request opens a fresh TCP
connection to 127.0.0.1, sends `Connection: close`, and reads until the server closes. One process per
slot keeps the client's cost per request to a few system calls and one small string build, without a
shared GIL or an event loop, which matters on a 2-core machine where the client competes with the
server for CPU. Every request carries a fresh UUID client_id.

Each slot runs until the warm-up plus the measured duration has passed, or until it has made its share
of the request budget. Requests started during the warm-up are not recorded.
"""

import json
import math
import multiprocessing
import os
import signal
import socket
import time
import uuid
from array import array
from collections import Counter
from dataclasses import dataclass

_PLACEHOLDER = "00000000-0000-4000-8000-000000000000"


@dataclass
class LoadResult:
    """What one run measured: latencies (ms) of recorded requests, status counts, timing and client CPU."""

    latencies_ms: array
    statuses: Counter
    window_s: float
    client_cpu_s: float
    elapsed_s: float
    sent: int  # every request of the run, warm-up included, as the CPU figures cover the whole run

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def errors(self) -> int:
        """Responses outside 2xx, plus connections that failed ("conn")."""
        return sum(n for status, n in self.statuses.items() if not str(status).startswith("2"))

    @property
    def rate(self) -> float:
        return self.requests / self.window_s if self.window_s > 0 else 0.0

    def percentile(self, q: float) -> float:
        """Nearest-rank percentile in milliseconds (q in 0..1)."""
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def _request_parts(port: int, path: str, headers: dict, body: dict) -> tuple[bytes, bytes]:
    """The request split around the client_id, so that each request costs one join."""
    text = json.dumps({**body, "client_id": _PLACEHOLDER}, separators=(",", ":"))
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Content-Type: application/json",
             "Connection: close", *(f"{name}: {value}" for name, value in headers.items()),
             f"Content-Length: {len(text)}", "", ""]
    before, after = text.split(_PLACEHOLDER)
    return "\r\n".join(lines).encode() + before.encode(), after.encode()


def _one(address, head: bytes, tail: bytes) -> str:
    """Send one request on a new connection; the status code as text, or "conn" when the socket failed."""
    try:
        with socket.create_connection(address, timeout=30) as sock:
            sock.sendall(head + str(uuid.uuid4()).encode() + tail)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
    except OSError:
        return "conn"
    first = b"".join(chunks)[:12]
    return first[9:12].decode() if first.startswith(b"HTTP/1.") else "conn"


def _slot(conn, go, start_at, address, head, tail, warm_end_offset, end_offset, quota):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends the slots
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited through fork
    conn.send("ready")
    go.wait()
    start = start_at.value
    warm_end, end = start + warm_end_offset, start + end_offset
    while time.monotonic() < start:
        time.sleep(0.0005)
    cpu0 = sum(os.times()[:2])
    latencies, statuses, last, done = array("d"), Counter(), warm_end, 0
    while True:
        began = time.monotonic()
        if began >= end or len(latencies) >= quota:
            break
        status = _one(address, head, tail)
        finished, done = time.monotonic(), done + 1
        if began >= warm_end:
            latencies.append((finished - began) * 1000.0)
            statuses[status] += 1
            last = finished
        elif status == "conn":
            time.sleep(0.01)  # do not spin while a server is down during warm-up
    conn.send((latencies.tobytes(), dict(statuses), last, sum(os.times()[:2]) - cpu0, done))
    conn.close()


def run(port: int, path: str, headers: dict, body: dict, *, concurrency: int, warmup: float, duration: float,
        max_requests: int) -> LoadResult:
    """Drive POST path on 127.0.0.1:port with `concurrency` connection slots; blocks until done."""
    context = multiprocessing.get_context("fork")
    head, tail = _request_parts(port, path, headers, body)
    quota = math.ceil(max_requests / concurrency)
    start_at, go = context.Value("d", 0.0, lock=False), context.Event()
    slots, outcomes = [], None
    try:
        for _ in range(concurrency):
            parent_end, child_end = context.Pipe(duplex=False)
            process = context.Process(target=_slot, daemon=True, args=(
                child_end, go, start_at, ("127.0.0.1", port), head, tail, warmup, warmup + duration, quota))
            process.start()
            child_end.close()
            slots.append((process, parent_end))
        for _, pipe in slots:
            pipe.recv()
        start_at.value = time.monotonic() + 0.05
        go.set()
        try:
            outcomes = [pipe.recv() for _, pipe in slots]
        except EOFError:
            raise RuntimeError("a load generator process died") from None
        elapsed = time.monotonic() - start_at.value
    finally:
        for process, pipe in slots:
            process.join(timeout=2 if outcomes is not None else 0)  # done: they are exiting on their own
            if process.is_alive():
                process.terminate()
                process.join(timeout=5)
            pipe.close()
    return _merge(outcomes, start_at.value + warmup, elapsed, concurrency)


def _merge(outcomes, warm_end: float, elapsed: float, concurrency: int) -> LoadResult:
    latencies, statuses, last, cpu, done = array("d"), Counter(), warm_end, 0.0, 0
    for raw, counts, finished, used, sent in outcomes:
        latencies.frombytes(raw)
        statuses.update(counts)
        last, cpu, done = max(last, finished), cpu + used, done + sent
    return LoadResult(latencies, statuses, last - warm_end, cpu, elapsed, done)
