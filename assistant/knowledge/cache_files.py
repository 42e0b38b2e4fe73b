"""The search cache on disk: named numpy arrays that a new process opens without reading them.

Each large array is one ``.npy`` file, opened as a read-only memory map, so that opening the copy
of a 100,000-chunk index costs milliseconds and a search reads only the pages it touches.
Small arrays are kept together in one ``.npz`` and read whole. The files of one copy sit in
a folder of their own (a *generation*), and ``header.json`` names the generation to read,
with the key the copy was made under and each file's size.
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
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.private_files import PRIVATE_FILE_MODE, ensure_private_dir, write_private_text

if TYPE_CHECKING:
    import numpy as np

HEADER_NAME = "header.json"
GENERATION_PREFIX = "generation-"
#: Where the small arrays go, together: one file to write and flush instead of twenty.
SMALL_ARRAYS_NAME = "small.npz"
#: Arrays of this size and more get a file of their own and are memory-mapped; smaller ones
#: are read whole (a memory map of a small file costs more than it saves).
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

    Every file is flushed to disk before the header names it, so that a crash cannot leave
    a header naming files that were never written. ``facts`` go in the header for a reader
    of the files (how many chunks, ...).
    """
    ensure_private_dir(folder)
    generation = Path(tempfile.mkdtemp(prefix=GENERATION_PREFIX, dir=folder))
    try:
        mapped = [name for name, array in arrays.items() if array.nbytes >= MAP_FROM_BYTES]
        small = {name: array for name, array in arrays.items() if name not in mapped}
        sizes = {f"{name}.npy": _save(generation / f"{name}.npy", arrays[name]) for name in mapped}
        sizes[SMALL_ARRAYS_NAME] = _save(generation / SMALL_ARRAYS_NAME, small)
        _flush_folder(generation)
        header = {
            "format": form,
            "key": key,
            **(facts or {}),
            "generation": generation.name,
            "mapped": mapped,
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


def _save(path: Path, content: np.ndarray | Mapping[str, np.ndarray]) -> int:
    """Write one array as ``.npy``, or several as an uncompressed ``.npz``; its size in bytes."""
    import numpy as np

    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    with os.fdopen(handle, "wb") as stream:
        if isinstance(content, np.ndarray):
            np.save(stream, np.ascontiguousarray(content), allow_pickle=False)
        else:
            np.savez(stream, allow_pickle=False, **content)
        stream.flush()
        os.fsync(stream.fileno())
    return path.stat().st_size


def _flush_folder(folder: Path) -> None:
    """Make the folder's entries durable (where the system lets a folder be flushed)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def recorded_key(folder: Path) -> str | None:
    """The key of the copy in ``folder``, if there is one."""
    header = _header(folder)
    return None if header is None else str(header.get("key"))


def read(folder: Path, key: str, *, form: int) -> dict[str, np.ndarray] | None:
    """The arrays of the copy made under ``key`` in this format, or None if it is not there.

    The large arrays are read-only views of memory maps.
    """
    import numpy as np

    header = _header(folder)
    if header is None or header.get("format") != form or header.get("key") != key:
        return None
    try:
        generation = folder / Path(str(header["generation"])).name
        for name, size in dict(header["sizes"]).items():
            if (generation / Path(str(name)).name).stat().st_size != size:
                return None
        with np.load(generation / SMALL_ARRAYS_NAME, allow_pickle=False) as small:
            arrays = {name: small[name] for name in small.files}
        for name in list(header["mapped"]):
            path = generation / f"{Path(str(name)).name}.npy"
            mapped = np.load(path, mmap_mode="r", allow_pickle=False)
            # A plain array over the same pages: slicing a np.memmap costs some 10 µs more.
            arrays[str(name)] = mapped.view(np.ndarray)
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile):
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
