"""Words for the codes that several pages show: professions and contact kinds, in every page's
language."""

from flask_babel import lazy_gettext as _l

PROFESSIONS = {
    "nurse": _l("Nurse"),
    "psychiatrist": _l("Psychiatrist"),
    "doctor": _l("Doctor"),
    "psychologist": _l("Psychologist"),
    "social_worker": _l("Social worker"),
    "occupational_therapist": _l("Occupational therapist"),
    "peer_worker": _l("Peer worker"),
    "other": _l("Other"),
}

# Contact kinds (contacts.models.KINDS), as the log page names them; t(`kind_${code}`) in flag
# reasons.
KINDS = {
    "conversation": _l("Conversation"),
    "group": _l("Group"),
    "phone": _l("Phone"),
    "video": _l("Video"),
    "medication": _l("Medication"),
    "decision": _l("Decision"),
    "coercive_measure": _l("Coercive measure"),
    "maintenance": _l("Maintenance"),
    "admission": _l("Admission"),
    "discharge": _l("Discharge"),
}

#: The scripts' words for these codes, t(`prof_${code}`) and t(`kind_${code}`); the web pages'
#: blueprint brings them to the app's catalogue (views.py).
SCRIPT_STRINGS = {**{f"prof_{code}": text for code, text in PROFESSIONS.items()},
                  **{f"kind_{code}": text for code, text in KINDS.items()}}
