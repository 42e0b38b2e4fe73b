"""Writing an export where the user asked, without harming what is already there.

The target's folder belongs to the user, not to Reflect: its mode is never changed (only
``REFLECT_HOME`` and its own folders are made private). An existing file is replaced only
when the user says ``--force``, and then atomically; something that is not a regular file (a
device such as ``/dev/full``, a pipe, a socket, a folder) is never replaced. The export itself,
and any folder created for it, is readable by the user alone, like everything Reflect writes.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from assistant.private_files import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE


class ExportError(Exception):
    """The export cannot be written there. ``str()`` is the one line for the user."""


def write_export(target: Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` to ``target``; raise :class:`ExportError` with the reason if not."""
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {_reason(exc)}") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise ExportError(f"{target} is a folder; give a file name, e.g. {target}/notes.md")
        if not stat.S_ISREG(info.st_mode):
            raise ExportError(f"{target} is not a regular file; an export is never written there")
        if not force:
            raise ExportError(f"{target} already exists; add --force to replace it")
    data = text.encode("utf-8")
    try:
        # Folders that are missing are created (private, as ours); existing ones are untouched.
        target.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
        if info is None:
            _create_new(target, data)
        else:
            _replace(target, data)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {_reason(exc)}") from None


def _create_new(target: Path, data: bytes) -> None:
    """Create ``target``, failing if something appeared there since it was checked."""
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    try:
        _write_all(descriptor, data)
    except BaseException:
        os.close(descriptor)
        target.unlink(missing_ok=True)
        raise
    os.close(descriptor)


def _replace(target: Path, data: bytes) -> None:
    """Replace a regular file atomically: a crash leaves the old file or the new one."""
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        _write_all(descriptor, data)
        os.close(descriptor)
        descriptor = -1
        os.replace(temporary, target)
    except BaseException:
        if descriptor >= 0:
            os.close(descriptor)
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_all(descriptor: int, data: bytes) -> None:
    with memoryview(data) as view:
        written = 0
        while written < len(view):
            written += os.write(descriptor, view[written:])
    os.fsync(descriptor)


def _reason(exc: OSError) -> str:
    if exc.errno == errno.EEXIST:
        return "something was created there meanwhile; run the export again"
    return (exc.strerror or str(exc)).lower()
