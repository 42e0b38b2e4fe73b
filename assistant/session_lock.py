"""One session open in one place at a time.

Two windows that both resumed a session used to both answer it, and the second one's finish
overwrote the artifact the first had just edited. A window (the TUI, ``reflect chat``) holds
an exclusive lock on the session while it has it open; another window that tries gets
:class:`SessionBusy`, whose text says so.

The lock is a ``flock`` on a small file in ``REFLECT_HOME/locks``: the system lets go of it
when the process ends in any way (even ``kill -9``), so a crash never leaves a session locked.
Two locks taken in one process also exclude each other (``flock`` locks belong to an open
file, not to a process), which is what tests rely on.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from assistant.private_files import PRIVATE_FILE_MODE, ensure_private_dir

LOCKS_FOLDER = "locks"


class SessionBusy(Exception):
    """The session is open elsewhere. ``str()`` is the sentence for the user."""


class SessionLock:
    """The lock on one session, held from :meth:`take` until :meth:`release`."""

    def __init__(self, session_id: str, descriptor: int | None) -> None:
        self.session_id = session_id
        self._descriptor = descriptor

    @classmethod
    def take(cls, home: Path, session_id: str) -> SessionLock:
        """Lock ``session_id``; raise :class:`SessionBusy` if another window holds it.

        Where no lock file can be written (a read-only home, where nothing can be saved
        either), the session is opened without one.
        """
        path = home / LOCKS_FOLDER / f"{session_id}.lock"
        try:
            ensure_private_dir(path.parent)
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
        except OSError:
            return cls(session_id, None)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(descriptor)
            os.close(descriptor)
            raise SessionBusy(
                f"Session {session_id} is open in another Reflect window{holder}; "
                f"finish or leave it there first, or read it here from the journal."
            ) from None
        os.ftruncate(descriptor, 0)
        os.write(descriptor, str(os.getpid()).encode())
        return cls(session_id, descriptor)

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None


def _holder(descriptor: int) -> str:
    try:
        pid = os.pread(descriptor, 32, 0).decode().strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (process {pid})" if pid.isdigit() else ""
