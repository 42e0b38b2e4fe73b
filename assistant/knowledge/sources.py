"""Where guidance comes from: the built-in corpus and the folders and files a user added.

The user's sources are recorded in ``sources.json`` in ``REFLECT_HOME`` (the files stay where
they are). Each gets a prefix under ``user/`` so that its passages' ``source`` is unique,
e.g. ``user/notes/feedback.md`` for ``feedback.md`` in an added folder ``notes``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from assistant.config import Settings
from assistant.knowledge.chunking import SCHEMA_VERSION
from assistant.knowledge.documents import TEXT_SUFFIXES
from assistant.private_files import write_private_text

SOURCES_FILE_NAME = "sources.json"
USER_PREFIX = "user/"
BUILTIN_SKIPPED = ("README.md",)


@dataclass(frozen=True)
class UserRoot:
    """A file or folder the user added, and the prefix of its sources."""

    path: Path
    prefix: str


@dataclass(frozen=True)
class PlannedFile:
    """A file the index should hold, under its source name."""

    source: str
    path: Path
    builtin: bool


def sources_file(settings: Settings) -> Path:
    return settings.home / SOURCES_FILE_NAME


def load_user_roots(settings: Settings) -> list[UserRoot]:
    """The recorded roots; a missing or unreadable ``sources.json`` means none."""
    try:
        entries = json.loads(sources_file(settings).read_text(encoding="utf-8"))
        return [UserRoot(Path(e["path"]), e["prefix"]) for e in entries["roots"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def save_user_roots(settings: Settings, roots: list[UserRoot]) -> None:
    entries = [{"path": str(root.path), "prefix": root.prefix} for root in roots]
    write_private_text(sources_file(settings), json.dumps({"roots": entries}, indent=2) + "\n")


def new_root(path: Path, existing: list[UserRoot]) -> UserRoot:
    """A root for ``path`` whose prefix no other root uses (``notes``, ``notes-2``, ...)."""
    taken = {root.prefix for root in existing}
    base = USER_PREFIX + (path.name or "root")
    prefix, number = base, 2
    while prefix in taken:
        prefix, number = f"{base}-{number}", number + 1
    return UserRoot(path, prefix)


def builtin_files(builtin_dir: Path) -> list[PlannedFile]:
    files = sorted(p for p in builtin_dir.rglob("*.md") if p.is_file())
    return [
        PlannedFile(p.relative_to(builtin_dir).as_posix(), p, True)
        for p in files
        if p.relative_to(builtin_dir).as_posix() not in BUILTIN_SKIPPED
    ]


def root_files(root: UserRoot) -> list[PlannedFile]:
    """The .md and .txt files under a root (itself, if it is a file); hidden ones are skipped.

    A broken link or other entry that is not a folder but has a text suffix is still listed,
    so that reading it reports why it cannot be used.
    """
    if not root.path.is_dir():
        return [PlannedFile(root.prefix, root.path, False)]
    return [
        PlannedFile(f"{root.prefix}/{path.relative_to(root.path).as_posix()}", path, False)
        for path in sorted(root.path.rglob("*"))
        if is_text_candidate(path)
        and not any(part.startswith(".") for part in path.relative_to(root.path).parts)
    ]


def is_text_candidate(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES and not path.is_dir()


def fingerprint(files: list[PlannedFile]) -> str:
    """Changes when any file is added, removed, resized or touched: cheap to compute."""
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for planned in files:
        try:
            info = planned.path.stat()
            stamp = f"{info.st_size}:{info.st_mtime_ns}"
        except OSError:
            stamp = "missing"
        digest.update(f"{planned.source}\t{stamp}\n".encode())
    return digest.hexdigest()
