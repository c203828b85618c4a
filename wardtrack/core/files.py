"""Files the application writes for itself: development keys and secrets under the instance
folder."""

import os
from pathlib import Path


def write_private(path: Path, text: str) -> None:
    """Create `path` (and its folder) readable by this user only, with `text` in it; an existing
    file is an error (FileExistsError), so that a key another process has just written is never
    overwritten."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
