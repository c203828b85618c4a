"""Signals through which a lower package tells higher ones about a change."""

from blinker import Namespace

_signals = Namespace()

#: sent with patient_id= whenever a contact, episode or designation of a patient changes
patient_changed = _signals.signal("patient-changed")
