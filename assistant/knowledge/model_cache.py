"""The local model as onnxruntime optimised it, saved in REFLECT_HOME so that later starts skip
the work.

A session made from the model as it ships reads and checks its 23 MB, imports protobuf to
rewrite its graph (:mod:`assistant.knowledge.model_graph`) and lets onnxruntime optimise it.
The first session saves what onnxruntime made (``SessionOptions.optimized_model_filepath``) in
``REFLECT_HOME/model-cache``; the next ones load that file as it is, with no optimisation, and
are ready in about half the time (``benchmarks/search_cli.py``).

The file is named by what it was made from: the pinned SHA-256 of the shipped model, the
onnxruntime version and :data:`GRAPH_VERSION`, so that an upgrade of either makes a new one.
Beside it is its own SHA-256, checked before every use: a damaged or altered copy is never
run, but made again. Saving is best effort: a read-only home only costs the time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.private_files import PRIVATE_FILE_MODE, ensure_private_dir

CACHE_DIR_NAME = "model-cache"
#: Changes when the graph rewrite or the session's optimisation level changes.
GRAPH_VERSION = 1
DIGEST_SUFFIX = ".sha256"


@dataclass(frozen=True)
class SavedModel:
    """Where the optimised model made from one model and one onnxruntime is kept."""

    home: Path
    name: str

    @property
    def folder(self) -> Path:
        return self.home / CACHE_DIR_NAME

    @property
    def path(self) -> Path:
        return self.folder / self.name

    @property
    def digest_path(self) -> Path:
        return self.folder / (self.name + DIGEST_SUFFIX)


def saved_model(home: Path, model_sha256: str, runtime_version: str) -> SavedModel:
    name = f"minilm-{model_sha256[:16]}-ort{runtime_version}-graph{GRAPH_VERSION}.onnx"
    return SavedModel(home, name)


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def is_intact(saved: SavedModel) -> bool:
    """Whether the saved model is there and still the file that was saved."""
    try:
        recorded = saved.digest_path.read_text(encoding="ascii").strip()
        return bool(recorded) and file_sha256(saved.path) == recorded
    except (OSError, UnicodeDecodeError):
        return False


@contextmanager
def staging(saved: SavedModel | None) -> Iterator[tuple[Path, Path | None]]:
    """A private folder for the files a session is made from, and where onnxruntime should
    write the optimised model (None when it cannot be kept: no cache, or not writable).

    The folder is in the cache, so that keeping the model is a rename; in the system's
    temporary folder when the cache cannot be written.
    """
    folder: Path | None = None
    if saved is not None:
        try:
            ensure_private_dir(saved.home)
            parent = ensure_private_dir(saved.folder)
            folder = Path(tempfile.mkdtemp(prefix=".staging-", dir=parent))
        except OSError:
            folder = None
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="reflect-model-") as fallback:
            yield Path(fallback), None
        return
    try:
        yield folder, folder / "optimised.onnx"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def keep(saved: SavedModel, optimised: Path) -> bool:
    """Move the optimised model written by onnxruntime into place, with its SHA-256, and drop
    the models saved for other versions; whether it was kept. A failure only means the next
    start optimises again.
    """
    try:
        os.chmod(optimised, PRIVATE_FILE_MODE)
        digest = file_sha256(optimised)
        saved.digest_path.unlink(missing_ok=True)  # never a new file beside an old digest
        os.replace(optimised, saved.path)
        staged_digest = optimised.with_name(optimised.name + DIGEST_SUFFIX)
        staged_digest.write_text(digest + "\n", encoding="ascii")
        os.chmod(staged_digest, PRIVATE_FILE_MODE)
        os.replace(staged_digest, saved.digest_path)
    except OSError:
        return False
    for other in saved.folder.iterdir():
        if other.is_file() and other not in (saved.path, saved.digest_path):
            other.unlink(missing_ok=True)
    return True
