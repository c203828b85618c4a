"""The feed's fixtures: two mapped wards, a listener on 127.0.0.1 (port 0) in a thread, a real
socket client, and a builder of HL7 v2 ADT messages."""

import itertools
import socket
import threading
from datetime import timedelta

import pytest
from flask import has_app_context

from wardtrack.adt.messages import END, START
from wardtrack.adt.mllp import Listener
from wardtrack.adt.models import AdtLocation
from wardtrack.core.time import utcnow
from wardtrack.extensions import db

_ids = itertools.count(1)


def hl7_time(delta=timedelta(0)) -> str:
    """An HL7 timestamp with an explicit UTC offset, `delta` ago."""
    return (utcnow() - delta).strftime("%Y%m%d%H%M%S+0000")


def adt(event, identifier="MRN-1", name="Nordmann^Kari", ward="WA", room="12", bed="2", cls="I",
        visit="V-1", ago=timedelta(hours=1), control=None, attending="D100^Lege^Lars", mrg=None,
        authority="HOSP", sep="\r") -> str:
    """One ADT message; `control` defaults to a fresh control id."""
    control = control or f"MSG-{next(_ids)}"
    at = hl7_time(ago)
    segments = [
        f"MSH|^~\\&|PAS|HOSP|WARDTRACK|WARD|{at}||ADT^{event}^ADT_A01|{control}|P|2.5",
        f"EVN|{event}|{at}",
        f"PID|1||{identifier}^^^{authority}^MR||{name}||19800101|F",
    ]
    if mrg:
        segments.append(f"MRG|{mrg}^^^{authority}^MR")
    else:
        segments.append(f"PV1|1|{cls}|{ward}^{room}^{bed}^HOSP||||{attending}|R200^Henvis^Hege|||||||||"
                        f"A300^Innlegg^Ida||{visit}")
    return sep.join(segments)


class Client:
    """An MLLP client over a real socket."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.buffer = b""

    def send(self, message: str) -> str:
        if has_app_context() and threading.current_thread() is threading.main_thread():
            fresh()  # the test's own transaction would hold SQLite's write lock
        self.sock.sendall(START + message.encode() + END)
        return self.receive()

    def receive(self) -> str:
        while END not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        frame, _, self.buffer = self.buffer.partition(END)
        assert frame.startswith(START)
        return frame[1:].decode()

    def close(self) -> None:
        self.sock.close()


def msa(ack: str) -> list[str]:
    return next(line for line in ack.split("\r") if line.startswith("MSA")).split("|")


def err(ack: str) -> str:
    return next((line for line in ack.split("\r") if line.startswith("ERR")), "")


@pytest.fixture
def wards(make):
    """Ward A (point of care WA) and Ward B (WB), mapped."""
    ward_a, ward_b = make.ward("Ward A"), make.ward("Ward B")
    db.session.add_all([AdtLocation(point_of_care="WA", ward_id=ward_a.id),
                        AdtLocation(point_of_care="WB", ward_id=ward_b.id)])
    db.session.commit()
    return ward_a, ward_b


@pytest.fixture
def listener(app, wards):
    server = Listener(app, "127.0.0.1", 0)
    server.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def mllp(listener):
    connection = Client(listener.port)
    yield connection
    connection.close()


@pytest.fixture
def connect(listener):
    opened = []

    def _connect():
        opened.append(Client(listener.port))
        return opened[-1]

    yield _connect
    for connection in opened:
        connection.close()


def fresh():
    """End the test's own transaction so that it reads what the listener committed."""
    db.session.rollback()
    db.session.expire_all()
