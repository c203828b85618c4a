"""The acceptance of the feed over a real MLLP socket: admit, resend, transfer, discharge, undo,
merge, refusals, concurrency and a client that drops mid-frame."""

import socket
import threading
from datetime import timedelta

import sqlalchemy as sa

from tests.adt.conftest import Client, adt, err, fresh, msa
from wardtrack.adt.messages import START
from wardtrack.adt.models import AdtDoctor, AdtMessage
from wardtrack.audit.models import AuditEvent
from wardtrack.continuity.models import RecomputeQueue
from wardtrack.extensions import db
from wardtrack.patients.models import Designation, Episode, Patient


def _episodes(identifier="MRN-1"):
    fresh()
    patient = db.session.scalar(sa.select(Patient).where(Patient.identifier == identifier))
    if patient is None:
        return []
    return list(db.session.scalars(sa.select(Episode).where(Episode.patient_id == patient.id)
                                   .order_by(Episode.id)))


def _count(model):
    fresh()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a01_admits_with_ward_bed_and_doctors(mllp, wards):
    ack = mllp.send(adt("A01", control="C-1"))
    assert msa(ack)[1:3] == ["AA", "C-1"]
    [episode] = _episodes()
    assert (episode.ward_id, episode.kind, episode.location, episode.ended_at) == (
        wards[0].id, "inpatient", "12-2", None)
    assert db.session.scalar(sa.select(Patient.display_name)) == "Kari Nordmann"
    assert _count(AdtDoctor) == 3  # attending, referring, admitting: professionals without a login
    attending = db.session.scalar(sa.select(Designation).where(Designation.kind == "attending_doctor"))
    assert attending.ended_at is None
    assert db.session.scalar(sa.select(AuditEvent.actor_role).where(AuditEvent.action == "adt.a01.applied")) == "feed"
    row = db.session.scalar(sa.select(AdtMessage))
    assert (row.control_id, row.event, row.outcome) == ("C-1", "A01", "applied")


def test_the_same_message_again_changes_nothing_and_is_aa(mllp, wards):
    message = adt("A01", control="C-1")
    assert msa(mllp.send(message))[1] == "AA"
    events = _count(AuditEvent)
    assert msa(mllp.send(message))[1] == "AA"
    assert len(_episodes()) == 1
    assert _count(AuditEvent) == events
    assert _count(AdtMessage) == 1


def test_a02_moves_ward_as_a_typed_transfer(mllp, wards):
    mllp.send(adt("A01", ago=timedelta(hours=3)))
    ack = mllp.send(adt("A02", ward="WB", room="3", bed="1", ago=timedelta(hours=1),
                        attending="D101^Doktor^Dag"))
    assert msa(ack)[1] == "AA", ack
    old, new = _episodes()
    assert old.ward_id == wards[0].id and old.ended_at == new.started_at
    assert (new.ward_id, new.location, new.ended_at) == (wards[1].id, "3-1", None)
    kinds = db.session.scalars(sa.select(Designation).where(Designation.kind == "attending_doctor")
                               .order_by(Designation.id)).all()
    assert [d.ended_at is None for d in kinds] == [False, True]  # the attending doctor changed
    assert db.session.get(RecomputeQueue, new.patient_id) is not None  # queued as a typed one is


def test_a03_ends_and_a13_undoes(mllp, wards):
    mllp.send(adt("A01", ago=timedelta(hours=3)))
    assert msa(mllp.send(adt("A03", ago=timedelta(hours=1))))[1] == "AA"
    [episode] = _episodes()
    assert episode.ended_at is not None
    assert msa(mllp.send(adt("A13", ago=timedelta(minutes=30))))[1] == "AA"
    [episode] = _episodes()
    assert episode.ended_at is None


def test_a11_cancels_the_admission(mllp, wards):
    mllp.send(adt("A01", ago=timedelta(hours=3)))
    assert msa(mllp.send(adt("A11", ago=timedelta(hours=1))))[1] == "AA"
    assert _episodes() == []
    assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "episode.cancel"))


def test_a12_cancels_the_transfer(mllp, wards):
    mllp.send(adt("A01", ago=timedelta(hours=3)))
    mllp.send(adt("A02", ward="WB", ago=timedelta(hours=2)))
    assert msa(mllp.send(adt("A12", ward="WA", ago=timedelta(hours=1))))[1] == "AA"
    [episode] = _episodes()
    assert (episode.ward_id, episode.ended_at) == (wards[0].id, None)


def test_an_older_message_is_recorded_but_does_not_roll_back(mllp, wards):
    mllp.send(adt("A01", ago=timedelta(hours=3)))
    mllp.send(adt("A03", ago=timedelta(hours=1)))
    late = adt("A02", ward="WB", ago=timedelta(hours=2), control="LATE")
    assert msa(mllp.send(late))[1] == "AA"
    [episode] = _episodes()
    assert episode.ward_id == wards[0].id and episode.ended_at is not None
    assert db.session.scalar(sa.select(AdtMessage.outcome).where(AdtMessage.control_id == "LATE")) == "stale"


def test_malformed_and_unknown_event_and_missing_segment(mllp, wards):
    ack = mllp.send("this is not hl7")
    assert msa(ack)[1] == "AR"
    ack = mllp.send(adt("A99", control="U-1"))
    assert msa(ack)[1:3] == ["AE", "U-1"] and "A99" in err(ack)
    no_pv1 = "\r".join(adt("A01", control="M-1").split("\r")[:3])
    ack = mllp.send(no_pv1)
    assert msa(ack)[1] == "AE" and "PV1" in err(ack)
    ack = mllp.send(adt("A01", control="T-1").replace("EVN|A01|", "EVN|A01|2026-12-xx"))
    assert msa(ack)[1] == "AE"
    assert _count(Patient) == 0 and _count(Episode) == 0 and _count(Designation) == 0
    outcomes = set(db.session.scalars(sa.select(AdtMessage.outcome)))
    assert outcomes == {"error"}


def test_unknown_location_is_ae_naming_it_and_nothing_is_stored(mllp, wards):
    ack = mllp.send(adt("A01", ward="NOWHERE", control="L-1"))
    assert msa(ack)[1] == "AE" and "NOWHERE" in err(ack)
    assert _count(Patient) == 0 and _count(Episode) == 0 and _count(AdtDoctor) == 0
    # Once mapped, the same message (same control id) is applied.
    from wardtrack.adt.models import AdtLocation

    db.session.add(AdtLocation(point_of_care="NOWHERE", ward_id=wards[1].id))
    db.session.commit()
    assert msa(mllp.send(adt("A01", ward="NOWHERE", control="L-1")))[1] == "AA"
    assert len(_episodes()) == 1


def test_two_connections_at_once(connect, wards):
    first, second = connect(), connect()
    answers = {}

    def send(name, connection, identifier):
        answers[name] = []
        for n in range(5):
            for event, hours in (("A01", 10 - n), ("A03", 9.5 - n)):
                ack = connection.send(adt(event, identifier=identifier, visit=f"V-{identifier}-{n}",
                                          ago=timedelta(hours=hours)))
                answers[name].append(msa(ack)[1])

    threads = [threading.Thread(target=send, args=("one", first, "P-1")),
               threading.Thread(target=send, args=("two", second, "P-2"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert answers == {"one": ["AA"] * 10, "two": ["AA"] * 10}
    assert len(_episodes("P-1")) == 5 and len(_episodes("P-2")) == 5


def test_a_client_that_drops_mid_frame(listener, connect, wards):
    dropped = socket.create_connection(("127.0.0.1", listener.port), timeout=5)
    dropped.sendall(START + adt("A01", control="HALF").encode()[:40])
    dropped.close()
    survivor = connect()
    assert msa(survivor.send(adt("A01", control="WHOLE")))[1] == "AA"
    assert _count(AdtMessage) == 1
    assert msa(Client(listener.port).send(adt("A08", name="Nordmann^Kari^Ny")))[1] == "AA"


def test_a02_raises_the_transition_flag_as_a_typed_transfer_does(mllp, wards, make, runner):
    import uuid

    from wardtrack.contacts.models import Contact
    from wardtrack.continuity.models import Flag
    from wardtrack.core.time import utcnow

    mllp.send(adt("A01", ago=timedelta(days=5)))
    fresh()
    patient = db.session.scalar(sa.select(Patient))
    nina = make.professional("Nina", "nurse", [wards[0]])
    db.session.add(Contact(client_id=uuid.uuid4(), patient_id=patient.id, professional_id=nina.id,
                           ward_id=wards[0].id, occurred_at=utcnow() - timedelta(days=3), kind="conversation",
                           received_at=utcnow()))
    db.session.commit()
    assert msa(mllp.send(adt("A02", ward="WB", ago=timedelta(days=1))))[1] == "AA"
    assert runner.invoke(args=["flags", "sweep"]).exit_code == 0
    fresh()
    codes = set(db.session.scalars(sa.select(Flag.code).where(Flag.patient_id == patient.id)))
    assert "transition_without_known_professional" in codes


def test_the_same_message_on_two_connections_at_once(connect, wards):
    message = adt("A01", control="TWICE")
    connections, answers = [connect(), connect()], []
    threads = [threading.Thread(target=lambda c=c: answers.append(msa(c.send(message))[1])) for c in connections]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert answers == ["AA", "AA"]
    assert len(_episodes()) == 1 and _count(AdtMessage) == 1
