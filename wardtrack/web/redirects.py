"""Where a `next` may send someone: a path on this site, after the normalisation a browser applies
itself.

static/js/login.js applies the same rule (`localPath`) after a login; change both together.
"""

import re
from urllib.parse import unquote, urlsplit

# Browsers drop tabs and new lines anywhere in a URL and control characters and spaces at its ends,
# so "/\t/evil.example" is followed as "//evil.example": strip them all (and every other white
# space) first.
_STRIPPED = re.compile(r"[\x00-\x20\x7f\s]+")
_DECODINGS = 3  # a next that is still percent-encoded after this many rounds is refused
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _plain_path(value: str) -> bool:
    """A path of this site as it stands: "/…", not "//host", no backslash (browsers read it as a
    slash), no scheme or host."""
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return False
    parts = urlsplit(value)
    return not (parts.scheme or parts.netloc)


def local_path(value: str | None) -> str | None:
    """`value` as a path on this site, or None. The percent-decoded forms must be paths as well, so
    that an encoded "//", backslash or tab is refused however many times it was encoded."""
    if not value:
        return None
    path = _STRIPPED.sub("", value)
    decoded = path
    for _ in range(_DECODINGS + 1):
        if not _plain_path(decoded):
            return None
        if _BAD_ESCAPE.search(decoded):
            return None  # as decodeURIComponent() in the page refuses it
        try:
            plain = _STRIPPED.sub("", unquote(decoded, errors="strict"))
        except UnicodeDecodeError:
            return None
        if plain == decoded:
            return path
        decoded = plain
    return None
