"""Words for the codes that several pages show: professions, in every page's language."""

from flask_babel import lazy_gettext as _l

from wardtrack.web.i18n import js_strings

PROFESSIONS = {
    "nurse": _l("Nurse"), "psychiatrist": _l("Psychiatrist"), "doctor": _l("Doctor"),
    "psychologist": _l("Psychologist"), "social_worker": _l("Social worker"),
    "occupational_therapist": _l("Occupational therapist"), "peer_worker": _l("Peer worker"), "other": _l("Other"),
}

# t(`prof_${code}`) in the scripts.
js_strings(**{f"prof_{code}": text for code, text in PROFESSIONS.items()})
