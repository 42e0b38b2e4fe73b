"""Where guidance comes from: the built-in corpus and the folders and files a user added.

The user's sources are recorded in ``sources.json`` in ``REFLECT_HOME`` (the files stay where
they are). Each gets a prefix under ``user/`` so that its passages' ``source`` is unique,
e.g. ``user/notes/feedback.md`` for ``feedback.md`` in an added folder ``notes``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import Settings
from assistant.knowledge.chunking import SCHEMA_VERSION
from assistant.knowledge.documents import TEXT_SUFFIXES
from assistant.knowledge.source_walk import Found, shown, walk_text_files
from assistant.private_files import write_private_text
from assistant.sanitize import is_encodable

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


@dataclass
class SourcePlan:
    """Every file the index should hold, and what could not be used (one line each)."""

    files: list[PlannedFile] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def load_user_roots(settings: Settings) -> list[UserRoot]:
    """The recorded roots; a missing or damaged ``sources.json`` means none."""
    return read_user_roots(settings)[0]


def read_user_roots(settings: Settings) -> tuple[list[UserRoot], str | None]:
    """The recorded roots, and a line for the user when ``sources.json`` is damaged.

    A damaged file is copied to ``sources.json.damaged`` first (one copy, the latest), so
    the list of the user's folders survives the next ``reflect knowledge add``, which writes a
    new ``sources.json``.
    """
    path = sources_file(settings)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], None
    except (OSError, ValueError) as exc:
        return [], f"{path} cannot be read ({exc}); your own sources are not used this time"
    try:
        entries = json.loads(text)
        return [UserRoot(Path(e["path"]), e["prefix"]) for e in entries["roots"]], None
    except (ValueError, KeyError, TypeError) as exc:
        backup = path.with_name(f"{path.name}.damaged")
        try:
            write_private_text(backup, text)
        except OSError:
            kept = "it could not be copied aside"
        else:
            kept = f"a copy was kept at {backup}"
        return [], (
            f"{path} is damaged ({type(exc).__name__}: {exc}); {kept}. Your own folders are "
            f"not used until you add them again with `reflect knowledge add PATH`; "
            f"`reflect knowledge sources --remove PATH` takes one out"
        )


def plan_sources(settings: Settings, builtin_dir: Path) -> SourcePlan:
    """The built-in files and those under the user's roots, with every problem found."""
    plan = SourcePlan(builtin_files(builtin_dir))
    roots, damaged = read_user_roots(settings)
    if damaged:
        plan.problems.append(damaged)
    for root in roots:
        files, problems = scan_root(root)
        plan.files.extend(files)
        plan.problems.extend(problems)
    return plan


def remove_user_root(settings: Settings, wanted: str) -> UserRoot | None:
    """Forget the root whose path, prefix (``user/notes``) or folder name is ``wanted``."""
    roots = load_user_roots(settings)
    path = Path(wanted).expanduser().absolute()
    match = next(
        (r for r in roots if r.path == path or wanted.rstrip("/") in (r.prefix, r.path.name)),
        None,
    )
    if match is not None:
        save_user_roots(settings, [root for root in roots if root != match])
    return match


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
    """The corpus's files, in the order of their paths.

    Each name is worked out once and sorted part by part, as paths compare: with an
    organisation's corpus of 25,000 files, pathlib's comparisons took most of a second.
    """
    named: list[tuple[list[str], str, Path]] = []
    for path in builtin_dir.rglob("*.md"):
        name = path.relative_to(builtin_dir).as_posix()
        if name not in BUILTIN_SKIPPED and path.is_file():
            named.append((name.split("/"), name, path))
    named.sort(key=lambda entry: entry[0])
    return [PlannedFile(name, path, True) for _, name, path in named]


def scan_root(root: UserRoot, found: Found | None = None) -> tuple[list[PlannedFile], list[str]]:
    """The .md and .txt files under a root (itself, if it is a file), and what was refused.

    Hidden files are skipped; links out of the folder, names that are not UTF-8 and folders
    that cannot be read are refused with a line each (see :mod:`source_walk`). A broken link
    or other entry that is not a folder but has a text suffix is still listed, so that reading
    it reports why it cannot be used.
    """
    if not is_encodable(str(root.path)) or not is_encodable(root.prefix):
        return [], [f"{shown(root.path)}: skipped, its name is not UTF-8 text"]
    if not root.path.is_dir():
        return [PlannedFile(root.prefix, root.path, False)], []
    walk = walk_text_files(root.path, found)
    files = [
        PlannedFile(f"{root.prefix}/{path.relative_to(root.path).as_posix()}", path, False)
        for path in walk.files
    ]
    return files, walk.problems


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
