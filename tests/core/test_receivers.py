"""Signal receivers are connected by each package's init_app, not as a side effect of an import."""

import subprocess
import sys

from wardtrack.continuity import operations as continuity
from wardtrack.core.signals import patient_changed
from wardtrack.reminders import operations as reminders

_IMPORT_ONLY = """
from wardtrack.core.signals import patient_changed
import wardtrack.continuity.operations, wardtrack.reminders.operations
print(len(patient_changed.receivers))
"""


def test_importing_the_operations_connects_nothing():
    result = subprocess.run([sys.executable, "-c", _IMPORT_ONLY], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "0"


def test_a_fresh_app_connects_the_continuity_and_reminders_receivers_once(app):
    from wardtrack import create_app

    create_app(app.config.copy())  # a second app in the same process
    receivers = list(patient_changed.receivers.values())  # strong references: connected with weak=False
    assert continuity.on_patient_changed in receivers
    assert reminders.on_patient_changed in receivers
    assert len(receivers) == 2
