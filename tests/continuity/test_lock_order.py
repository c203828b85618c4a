"""Writes that queue a patient, and operations that take patients off the queue or queue a whole ward, at once.

Writers record their audit event (taking the chain's lock on PostgreSQL) and then queue the patient. Whatever
takes patients off the queue, or queues them, and records an event too must take the chain's lock first, or
PostgreSQL finds a deadlock and one of the two fails.
"""

from tests.support import race_for_the_chain
from wardtrack.audit.models import AuditEvent
from wardtrack.audit.operations import record
from wardtrack.auth.models import User
from wardtrack.continuity.models import Flag, RecomputeQueue
from wardtrack.continuity.operations import enqueue, refresh, resolve, set_policy
from wardtrack.core.time import utcnow
from wardtrack.extensions import db


def _actions() -> list[str]:
    db.session.expire_all()
    return db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)).all()


def _write(patient_id):
    return lambda: record("test.write", patient_id=patient_id)


def test_a_read_that_recomputes_never_deadlocks_with_a_write_that_queues(app, ward_setup):
    patient_id = ward_setup.patient_a.id
    enqueue(patient_id)

    def read():
        refresh([patient_id])
        record("test.read", patient_id=patient_id)

    assert race_for_the_chain(app, _write(patient_id), lambda: enqueue(patient_id), read) == []
    assert _actions() == ["test.write", "test.read"]
    assert db.session.get(RecomputeQueue, patient_id) is None  # the read recomputed after the write queued


def test_resolving_a_flag_never_deadlocks_with_a_write_that_queues(app, ward_setup):
    patient_id, leader_id = ward_setup.patient_a.id, ward_setup.leader.id
    flag = Flag(patient_id=patient_id, code="no_safety_person", subject="", severity="high", status="open",
                detail="No safety person", opened_at=utcnow())
    db.session.add(flag)
    enqueue(patient_id)
    db.session.flush()
    flag_id = flag.id

    def resolve_flag():
        resolve(db.session.get(User, leader_id), db.session.get(Flag, flag_id), "Talked it through")

    assert race_for_the_chain(app, _write(patient_id), lambda: enqueue(patient_id), resolve_flag) == []
    assert _actions() == ["test.write", "flag.resolve"]
    assert db.session.get(Flag, flag_id).status == "resolved"
    assert db.session.get(RecomputeQueue, patient_id) is None  # resolving recomputed after the write queued


def test_changing_a_ward_policy_never_deadlocks_with_a_write_that_queues(app, ward_setup):
    patient_id, ward_id, admin_id = ward_setup.patient_a.id, ward_setup.ward_a.id, ward_setup.admin.id

    def change_policy():
        set_policy(db.session.get(User, admin_id), ward_id, {"readmission_count": 4})

    assert race_for_the_chain(app, _write(patient_id), lambda: enqueue(patient_id), change_policy) == []
    assert _actions() == ["test.write", "ward.policy.update"]
    assert db.session.get(RecomputeQueue, patient_id) is not None
