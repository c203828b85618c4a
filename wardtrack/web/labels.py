"""Words for the codes that several pages show: professions and contact kinds, in every page's language."""

from flask_babel import lazy_gettext as _l

from wardtrack.web.i18n import js_strings

PROFESSIONS = {
    "nurse": _l("Nurse"), "psychiatrist": _l("Psychiatrist"), "doctor": _l("Doctor"),
    "psychologist": _l("Psychologist"), "social_worker": _l("Social worker"),
    "occupational_therapist": _l("Occupational therapist"), "peer_worker": _l("Peer worker"), "other": _l("Other"),
}

# t(`prof_${code}`) in the scripts.
js_strings(**{f"prof_{code}": text for code, text in PROFESSIONS.items()})

# Contact kinds (contacts.models.KINDS), as the log page names them; t(`kind_${code}`) in flag reasons.
KINDS = {
    "conversation": _l("Conversation"), "group": _l("Group"), "phone": _l("Phone"), "video": _l("Video"),
    "medication": _l("Medication"), "decision": _l("Decision"), "coercive_measure": _l("Coercive measure"),
    "maintenance": _l("Maintenance"), "admission": _l("Admission"), "discharge": _l("Discharge"),
}

js_strings(**{f"kind_{code}": text for code, text in KINDS.items()})
