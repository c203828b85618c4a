"""The real app with parts of recording a contact switched off, to show what each part costs.

Run by `python -m bench --ablate` beside the real app, in the same rounds. BENCH_WITHOUT names the parts that
are off, comma-separated:

  audit    the contact's audit event (and with it the audit chain's lock on PostgreSQL)
  effects  what other packages do when a patient changes: queueing the patient's flags for recomputation
           and closing the reminders a contact satisfies (the receivers of core.signals.patient_changed)

Everything else is the real app: the same gunicorn settings, authentication, validation, the guarded insert
and the response. Not part of the app: the issue requires both parts; this only measures them.
Serve with: BENCH_WITHOUT=audit gunicorn -c deploy/gunicorn.conf.py 'bench.ablation:create()'
"""

import os
from collections.abc import Callable

from wardtrack.audit import operations as audit
from wardtrack.audit.operations import record
from wardtrack.contacts import operations
from wardtrack.core.signals import patient_changed

PARTS = ("audit", "effects")


def _no_event(*_args, **_kwargs) -> None:
    """No event and no chain lock, yet the transaction counts as holding it: with the audit switched off,
    the receivers that assert the lock order (audit.assert_chain_locked) still run, as they would."""
    audit._mark_held()


def switch_off(parts) -> Callable[[], None]:
    """Switch the named parts off in this process; returns what switches them on again."""
    parts = set(parts)
    if unknown := parts - set(PARTS):
        raise ValueError(f"unknown parts {sorted(unknown)}; known: {', '.join(PARTS)}")
    if operations.record is not record:
        raise RuntimeError("contacts.operations no longer records through audit.operations.record")
    was_muted = patient_changed.is_muted
    if "audit" in parts:
        operations.record = _no_event
    if "effects" in parts:
        patient_changed.is_muted = True

    def switch_on() -> None:
        operations.record, patient_changed.is_muted = record, was_muted

    return switch_on


def create():
    """The app gunicorn serves: the real one, with the parts BENCH_WITHOUT names switched off."""
    from app import app

    switch_off(part for part in os.environ.get("BENCH_WITHOUT", "").split(",") if part)
    return app
