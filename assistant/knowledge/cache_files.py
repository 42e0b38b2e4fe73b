"""The search cache on disk: named numpy arrays that a new process opens without reading them.

Each array is one ``.npy`` file, opened as a read-only memory map, so that opening the copy
of a 100,000-chunk index costs milliseconds and a search reads only the pages it touches.
The files of one copy sit in a folder of their own (a *generation*), and ``header.json``
names the generation to read, with the key the copy was made under and each file's size.
Writing a new copy writes its generation whole, then replaces the header in one
``os.replace``: a reader sees the old copy or the new one, never a mix, and a copy cut off
half-way by a crash has no header naming it. A missing or resized file, a header of another
format or key, or a file numpy cannot read makes the copy unreadable, and the caller builds
it again. Everything is private to the user (folders 0700, files 0600). Numpy is imported
only to read or write arrays: asking for the key imports nothing heavy.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from assistant.private_files import PRIVATE_FILE_MODE, ensure_private_dir, write_private_text

if TYPE_CHECKING:
    import numpy as np

HEADER_NAME = "header.json"
GENERATION_PREFIX = "generation-"
#: Arrays smaller than this are read whole: a memory map of a small file costs more than it saves.
MAP_FROM_BYTES = 1 << 20


def write(
    folder: Path,
    key: str,
    arrays: Mapping[str, np.ndarray],
    *,
    form: int,
    facts: Mapping[str, int | str] | None = None,
) -> None:
    """Write ``arrays`` as the copy kept under ``key``, replacing the one there was.

    ``facts`` go in the header for a reader of the files (how many chunks, ...).
    """
    ensure_private_dir(folder)
    generation = Path(tempfile.mkdtemp(prefix=GENERATION_PREFIX, dir=folder))
    try:
        sizes = {name: _save(generation / f"{name}.npy", array) for name, array in arrays.items()}
        header = {
            "format": form,
            "key": key,
            **(facts or {}),
            "generation": generation.name,
            "sizes": sizes,
        }
        write_private_text(folder / HEADER_NAME, json.dumps(header))
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    for old in folder.iterdir():
        # Earlier generations, and files of earlier formats. A process still reading an
        # earlier copy keeps its memory maps (POSIX).
        if old.name.startswith(GENERATION_PREFIX) and old != generation:
            shutil.rmtree(old, ignore_errors=True)
        elif old.suffix != ".tmp" and old.is_file() and old.name != HEADER_NAME:
            old.unlink(missing_ok=True)


def _save(path: Path, array: np.ndarray) -> int:
    import numpy as np

    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    with os.fdopen(handle, "wb") as stream:
        np.save(stream, np.ascontiguousarray(array), allow_pickle=False)
        stream.flush()
        os.fsync(stream.fileno())
    return path.stat().st_size


def recorded_key(folder: Path) -> str | None:
    """The key of the copy in ``folder``, if there is one."""
    header = _header(folder)
    return None if header is None else str(header.get("key"))


def read(folder: Path, key: str, *, form: int) -> dict[str, np.ndarray] | None:
    """The arrays of the copy made under ``key`` in this format, or None if it is not there."""
    import numpy as np

    header = _header(folder)
    if header is None or header.get("format") != form or header.get("key") != key:
        return None
    try:
        generation = folder / Path(str(header["generation"])).name
        arrays = {}
        for name, size in dict(header["sizes"]).items():
            path = generation / f"{name}.npy"
            if path.stat().st_size != size:
                return None
            mode: Literal["r"] | None = "r" if size >= MAP_FROM_BYTES else None
            arrays[str(name)] = np.load(path, mmap_mode=mode, allow_pickle=False)
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        return None
    return arrays


def _header(folder: Path) -> dict[str, Any] | None:
    try:
        header = json.loads((folder / HEADER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return header if isinstance(header, dict) else None


def discard(folder: Path) -> None:
    """Forget the copy: the header first, so that no reader trusts what is left."""
    with contextlib.suppress(OSError):
        (folder / HEADER_NAME).unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)
