"""The lock order as a structure: queueing a patient or closing reminders asserts that the transaction holds
the audit chain's lock, which @audited_write (or record()) takes once per transaction, on every database."""

import pytest
from flask import current_app

from wardtrack.audit import operations as audit
from wardtrack.audit.operations import assert_chain_locked, audited_write, chain_locked, record
from wardtrack.continuity.models import RecomputeQueue
from wardtrack.continuity.operations import enqueue_ward
from wardtrack.core.signals import patient_changed
from wardtrack.extensions import db
from wardtrack.reminders.operations import close_satisfied


def _queue_and_close(ward_id: int, patient_id: int) -> None:
    enqueue_ward(ward_id)
    close_satisfied(patient_id)


@pytest.fixture
def takes(monkeypatch):
    """takes() -> how many times the chain's lock was taken (a statement on PostgreSQL) since the start."""
    taken = []
    take = audit._take_lock
    monkeypatch.setattr(audit, "_take_lock", lambda: (taken.append(1), take())[1])
    return lambda: len(taken)


@pytest.mark.parametrize("operation", [
    lambda ward_id, _patient_id: enqueue_ward(ward_id),
    lambda _ward_id, patient_id: close_satisfied(patient_id),
    lambda _ward_id, patient_id: patient_changed.send(current_app._get_current_object(), patient_id=patient_id),
], ids=["enqueue_ward", "close_satisfied", "patient_changed"])
def test_queueing_or_closing_without_the_chain_lock_raises(app, ward_setup, operation):
    db.session.commit()
    with pytest.raises(RuntimeError, match="audit chain's lock first"):
        operation(ward_setup.ward_a.id, ward_setup.patient_a.id)
    db.session.rollback()
    assert db.session.get(RecomputeQueue, ward_setup.patient_a.id) is None


def test_through_the_structure_queueing_and_closing_work(app, ward_setup, takes):
    ward_id, patient_id = ward_setup.ward_a.id, ward_setup.patient_a.id
    db.session.commit()
    audited_write(_queue_and_close)(ward_id, patient_id)
    assert chain_locked() and takes() == 1
    db.session.commit()
    assert db.session.get(RecomputeQueue, patient_id) is not None


def test_recording_an_event_holds_the_lock_for_the_rest_of_the_transaction(app, ward_setup, takes):
    db.session.commit()
    record("test.write", patient_id=ward_setup.patient_a.id)
    close_satisfied(ward_setup.patient_a.id)
    assert_chain_locked("test")
    assert takes() == 0  # record()'s own statement locked the head


def test_the_structure_is_idempotent_and_ends_with_the_transaction(app, ward_setup, takes):
    ward_id, patient_id = ward_setup.ward_a.id, ward_setup.patient_a.id
    db.session.commit()

    @audited_write
    def outer():
        inner(ward_id, patient_id)
        inner(ward_id, patient_id)

    inner = audited_write(_queue_and_close)
    outer()
    assert takes() == 1  # nested use takes the lock once
    db.session.commit()
    assert not chain_locked()
    with pytest.raises(RuntimeError):
        close_satisfied(patient_id)
    db.session.rollback()
    outer()
    assert takes() == 2  # a new transaction takes it again


def test_a_savepoint_rolled_back_forgets_the_lock_it_took(app, ward_setup):
    db.session.commit()
    savepoint = db.session.begin_nested()
    audited_write(lambda: None)()
    assert chain_locked()
    savepoint.rollback()
    assert not chain_locked()
