"""A write that queues a patient and a read that recomputes queued patients, at the same time.

Writers record their audit event (taking the chain's lock on PostgreSQL) and then queue the patient; a read
takes patients off the queue and records its own event afterwards. Both must take the locks in one order,
or PostgreSQL finds a deadlock and one of them fails with a 500.
"""

import threading
import time

from wardtrack.audit.models import AuditEvent
from wardtrack.audit.operations import record
from wardtrack.continuity.models import RecomputeQueue
from wardtrack.continuity.operations import enqueue, refresh
from wardtrack.extensions import db


def _in_thread(app, work, errors):
    def run():
        with app.app_context():
            try:
                work()
                db.session.commit()
            except Exception as error:  # noqa: BLE001 (reported to the test below)
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    return threading.Thread(target=run)


def test_a_read_that_recomputes_never_deadlocks_with_a_write_that_queues(app, ward_setup):
    patient_id = ward_setup["patient_a"].id
    enqueue(patient_id)
    db.session.commit()
    writer_locked, reader_started, errors = threading.Event(), threading.Event(), []

    def write():
        record("test.write", patient_id=patient_id)  # holds the chain's lock from here to commit
        writer_locked.set()
        reader_started.wait(5)
        time.sleep(0.5)  # the read is now waiting for the chain, or (wrong order) holds the queue row
        enqueue(patient_id)

    def read():
        writer_locked.wait(5)
        reader_started.set()
        refresh([patient_id])
        record("test.read", patient_id=patient_id)

    threads = [_in_thread(app, write, errors), _in_thread(app, read, errors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    db.session.expire_all()
    actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.action.like("test.%"))
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["test.write", "test.read"]
    assert db.session.get(RecomputeQueue, patient_id) is None  # the read recomputed after the write queued
