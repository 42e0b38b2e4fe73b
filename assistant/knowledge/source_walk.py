"""Finding the text files under a folder the user added, safely.

What the walk refuses, each with one line saying so (the rest is still used):

- a name that is not UTF-8 (Python holds its bytes as lone surrogates, which no index, prompt
  or terminal can take): the file or folder is skipped;
- a symbolic link that leads out of the added folder: following it would index whatever it
  points at (a private key, another user's notes). To use such a file, add its target itself.
  (A broken link is listed, so that reading it says it is broken);
- a subfolder that cannot be read (mode 000, say): named, not skipped in silence;
- a folder far larger than a set of notes (``reflect knowledge add /``): the walk stops after
  ``MAX_ROOT_FILES`` files or ``MAX_ROOT_ENTRIES`` entries looked at, and says so.

Hidden files and folders (names starting with ``.``) are skipped without a word, as before.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.knowledge.documents import TEXT_SUFFIXES
from assistant.sanitize import is_encodable

#: The most text files taken from one added folder.
MAX_ROOT_FILES = 2000
#: The most files and folders looked at in one added folder.
MAX_ROOT_ENTRIES = 200_000
#: How often (in entries looked at) the walk reports how far it got.
PROGRESS_EVERY = 500

Found = Callable[[int], None]


@dataclass
class Walk:
    """The text files found under a folder (absolute paths, sorted) and what was refused."""

    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def shown(path: Path | str) -> str:
    """A path as it can be printed, even with bytes that are not UTF-8 in its name."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def walk_text_files(folder: Path, found: Found | None = None) -> Walk:
    """The ``.md`` and ``.txt`` files under ``folder``; see the module's notes for the rules."""
    walk = Walk()
    inside = folder.resolve()
    seen = 0

    def unreadable(error: OSError) -> None:
        where = shown(error.filename) if error.filename else shown(folder)
        reason = (error.strerror or str(error)).lower()
        walk.problems.append(f"{where}: skipped, the folder cannot be read ({reason})")

    for current, folders, names in os.walk(folder, onerror=unreadable):
        base = Path(current)
        kept: list[str] = []
        for name in sorted(folders):
            path = base / name
            if name.startswith(".") or _refused(path, inside, walk.problems, folder=True):
                continue
            if path.is_symlink():
                continue  # a link to a folder inside the added one: its files are found there
            kept.append(name)
        folders[:] = kept
        for name in sorted(names):
            seen += 1
            if found is not None and seen % PROGRESS_EVERY == 0:
                found(len(walk.files))
            path = base / name
            if name.startswith(".") or not name.lower().endswith(TEXT_SUFFIXES):
                continue
            if _refused(path, inside, walk.problems, folder=False):
                continue
            walk.files.append(path)
            if len(walk.files) >= MAX_ROOT_FILES:
                walk.problems.append(_too_large(folder, f"the first {MAX_ROOT_FILES} files"))
                return _sorted(walk)
        seen += len(folders)
        if seen >= MAX_ROOT_ENTRIES:
            walk.problems.append(_too_large(folder, f"{MAX_ROOT_ENTRIES:,} entries looked at"))
            return _sorted(walk)
    return _sorted(walk)


def _refused(path: Path, inside: Path, problems: list[str], *, folder: bool) -> bool:
    kind = "folder" if folder else "file"
    if not is_encodable(path.name):
        problems.append(
            f"{shown(path)}: skipped, the {kind}'s name is not UTF-8 text; rename it to use it"
        )
        return True
    if path.is_symlink() and path.exists() and not _leads_inside(path, inside):
        problems.append(
            f"{path}: skipped, it is a link to a {kind} outside the added folder; "
            f"add its target itself to use it"
        )
        return True
    return False


def _leads_inside(link: Path, inside: Path) -> bool:
    try:
        return link.resolve().is_relative_to(inside)
    except (OSError, RuntimeError):  # a loop of links
        return False


def _too_large(folder: Path, what: str) -> str:
    return (
        f"{folder}: stopped after {what}; this looks like more than a folder of notes. "
        f"Add the folders you mean one by one (`reflect knowledge sources --remove {folder}` "
        f"takes this one out)"
    )


def _sorted(walk: Walk) -> Walk:
    walk.files.sort()
    return walk
