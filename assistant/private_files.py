"""Files and folders that only the user can read.

Everything Reflect writes holds personal reflections, so folders are created 0700 and
files 0600 whatever the process umask says.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def restrict_umask() -> None:
    """Make every file this process creates (SQLite, chromadb, exports) private by default."""
    os.umask(0o077)


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it readable by the user alone."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if path.stat().st_mode & 0o777 != PRIVATE_DIR_MODE:
        os.chmod(path, PRIVATE_DIR_MODE)
    return path


def make_private(path: Path) -> None:
    """Set a file the app owns to 0600, if it exists."""
    if path.exists():
        os.chmod(path, PRIVATE_FILE_MODE)


def write_private_text(path: Path, text: str) -> None:
    """Write ``text`` atomically: a crash leaves either the old file or the new one."""
    ensure_private_dir(path.parent)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, PRIVATE_FILE_MODE)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
