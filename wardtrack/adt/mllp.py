"""The MLLP listener: TCP, each message framed 0x0b … 0x1c 0x0d, one thread per connection, each
message answered with its ACK after its transaction has committed."""

import logging
import socket
import socketserver
import threading

from flask import Flask

from wardtrack.adt.messages import END, START, frame
from wardtrack.adt.service import process

log = logging.getLogger("wardtrack.adt")
MAX_FRAME = 1 << 20  # bytes; an ADT message is a few kilobytes
IDLE_SECONDS = 600  # an engine keeps its connection open; one silent this long is closed


def frames(connection: socket.socket):
    """Yield each complete frame's content; stop when the peer closes (a half-sent frame is
    dropped) or sends a frame too large."""
    buffer = b""
    while True:
        start = buffer.find(START)
        end = buffer.find(END, start + 1) if start >= 0 else -1
        if end >= 0:
            yield buffer[start + 1:end]
            buffer = buffer[end + len(END):]
            continue
        if start < 0:
            buffer = b""  # bytes outside a frame are noise
        elif len(buffer) - start > MAX_FRAME:
            log.warning("adt: frame larger than %d bytes; connection closed", MAX_FRAME)
            return
        chunk = connection.recv(65536)
        if not chunk:
            return
        buffer += chunk


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.settimeout(IDLE_SECONDS)
        try:
            for content in frames(self.request):
                with self.server.app.app_context():
                    answer = process(content.decode("utf-8", "replace"))
                self.request.sendall(frame(answer.ack))
        except (OSError, TimeoutError) as error:  # the peer went away mid-frame or mid-answer
            log.info("adt: connection ended (%s)", type(error).__name__)
        except Exception as error:  # noqa: BLE001  the database went away, say: no ACK, so the engine resends
            log.error("adt: message not applied (%s); connection closed without an ACK",
                      type(error).__name__)


class Listener(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """A threaded MLLP server bound to (host, port); port 0 picks a free one (see .port)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 2575):
        self.app = app
        super().__init__((host, port), _Handler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def start(self) -> threading.Thread:
        """Serve in a background thread (tests, or an embedding process)."""
        thread = threading.Thread(target=self.serve_forever, name="adt-mllp", daemon=True)
        thread.start()
        return thread
