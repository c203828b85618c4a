"""Signals through which a lower package tells higher ones about a change."""

from blinker import Namespace
from flask import current_app

_signals = Namespace()

#: sent with patient_id= whenever a contact, episode, designation, plan or check-in of a patient
#: changes
patient_changed = _signals.signal("patient-changed")


def send_patient_changed(patient_id: int) -> None:
    """Tell the listening packages that a contact, episode, designation, plan or check-in of the
    patient changed; sent by the app, inside the operation's transaction (receivers flush, never
    commit)."""
    patient_changed.send(current_app._get_current_object(), patient_id=patient_id)
