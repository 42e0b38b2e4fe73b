"""A manifest of the vector index's files, to find damage before chromadb reads them.

chromadb's HNSW files (``index/<segment>/data_level0.bin``, ``header.bin``, ...) are read by
native code that trusts them: random bytes in ``data_level0.bin`` crash the whole process
(SIGSEGV), and a damaged header raises errors from deep inside chromadb. So when Reflect
lets go of the index (``KnowledgeBase.close``) it records the size and SHA-256 of each of
those files in ``index/reflect-manifest.json``; before the index is opened again they are
compared, and an index whose files changed behind Reflect's back is removed, to be rebuilt
from the sources (it holds nothing else), with a notice.

chromadb writes these files while the index is open (even a search can rewrite them), so the
manifest is removed when the index is opened and written when it is closed: an index left by
a crash has none, and is opened as before (its build is completed on the next search).
An index on a Chroma server (``REFLECT_CHROMA_URL``) is the server's business.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from assistant.config import Settings
from assistant.private_files import write_private_text

MANIFEST_NAME = "reflect-manifest.json"
READ_BYTES = 1 << 20


def _manifest(settings: Settings) -> Path:
    return settings.index_dir / MANIFEST_NAME


def _segment_files(index_dir: Path) -> list[Path]:
    """The files of every segment folder (the SQLite file at the top is checked by SQLite)."""
    return sorted(path for path in index_dir.glob("*/*") if path.is_file())


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(READ_BYTES):
            digest.update(block)
    return digest.hexdigest()


def forget_manifest(settings: Settings) -> None:
    """When the index is opened: until it is closed, its files may change."""
    if not settings.chroma_url:
        with contextlib.suppress(OSError):  # a read-only home: nothing can change the files
            _manifest(settings).unlink(missing_ok=True)


def write_manifest(settings: Settings) -> None:
    """When the index is closed: record what its files are now."""
    if settings.chroma_url or not settings.index_dir.is_dir():
        return
    with contextlib.suppress(OSError):  # without a manifest the index is simply not checked
        entries = {
            path.relative_to(settings.index_dir).as_posix(): {
                "size": path.stat().st_size,
                "sha256": _digest(path),
            }
            for path in _segment_files(settings.index_dir)
        }
        write_private_text(_manifest(settings), json.dumps({"files": entries}, indent=1) + "\n")


def damaged_files(settings: Settings) -> list[str]:
    """The index files that differ from the manifest (none when there is no manifest)."""
    if settings.chroma_url:
        return []
    try:
        recorded = json.loads(_manifest(settings).read_text(encoding="utf-8"))["files"]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError):
        return [MANIFEST_NAME]
    damaged: list[str] = []
    for name, expected in recorded.items():
        path = settings.index_dir / name
        try:
            same = path.stat().st_size == expected["size"] and _digest(path) == expected["sha256"]
        except (OSError, KeyError, TypeError):
            same = False
        if not same:
            damaged.append(name)
    return damaged


def remove_if_damaged(settings: Settings) -> str | None:
    """Remove a damaged local index; return the notice for the user, or None if it is sound."""
    damaged = damaged_files(settings)
    if not damaged:
        return None
    from assistant.knowledge.store import remove_local_index

    remove_local_index(settings)
    shown = ", ".join(damaged[:3]) + (", ..." if len(damaged) > 3 else "")
    return (
        f"The guidance index at {settings.index_dir} was damaged ({shown} changed since it "
        f"was built), so it is being rebuilt from the sources; nothing of yours was lost."
    )
