"""Vectors of the built-in guidance, computed when the package is made and shipped with it.

Embedding the built-in corpus is most of what a cold build costs with the local model (some
400 chunks at 10 to 25 chunks a second on two busy cores). Those texts are the same on every
machine, so their vectors ship in ``builtin_vectors/``: ``vectors.npy`` (float32, one row per
text) and ``index.json`` (the SHA-256 of each embedded text to its row, with the model file's
SHA-256 and the index format they were made for). A cold build takes a built-in chunk's vector
from there when its exact text is listed and the model and format match; anything else (an
edited guidance file, a user's own folders, another embedding provider) is embedded on the
spot as before. The probe questions of :mod:`assistant.knowledge.hubs` ship too, so a build of
the built-in corpus alone never loads the model.

After editing any file in ``knowledge/`` (or the chunking, or the model), regenerate them::

    python -m assistant.knowledge.shipped_vectors

``tests/test_shipped_vectors.py`` fails while they are stale.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from assistant.knowledge.chunking import SCHEMA_VERSION, chunk_document, embedding_texts
from assistant.knowledge.documents import read_document
from assistant.knowledge.embedding import (
    LOCAL_MODEL,
    MODEL_DIST,
    MODEL_FILE,
    MODEL_SHA256,
    VECTOR_SIZE,
    embed_texts,
    package_file,
    verified_model_bytes,
)
from assistant.knowledge.hubs import PROBES
from assistant.knowledge.sources import builtin_files
from assistant.resources import BUILTIN_KNOWLEDGE_DIR

FOLDER = "builtin_vectors"
VECTORS_FILE, INDEX_FILE = "vectors.npy", "index.json"
#: Changes when the layout of the two files changes.
FILE_FORMAT = 1
#: The embedding identity (``provider/model``) these vectors belong to.
IDENTITY = f"local/{LOCAL_MODEL}"

Embed = Callable[[list[str]], Sequence[Any]]


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ShippedVectors:
    """The shipped vectors, by the SHA-256 of the text each was computed from."""

    rows: dict[str, int]
    vectors: np.ndarray

    def embed_with(self, embed: Embed) -> Embed:
        """``embed``, answered from the shipped vectors where they hold the text."""

        def embed_texts_shipped_first(texts: list[str]) -> list[np.ndarray]:
            found = [self.rows.get(text_key(text)) for text in texts]
            missing = [text for text, row in zip(texts, found, strict=True) if row is None]
            computed = iter(embed(missing) if missing else [])
            return [
                self.vectors[row] if row is not None else np.asarray(next(computed), np.float32)
                for row in found
            ]

        return embed_texts_shipped_first


@cache
def shipped_vectors() -> ShippedVectors | None:
    """The shipped vectors, or None when they are missing, unreadable or for another model.

    They are used only with the model file they were computed with: the installed one is
    checked against its pinned SHA-256 (some 50 ms), and a damaged or swapped file raises
    :class:`KnowledgeError` here just as loading the model would.
    """
    verified_model_bytes(package_file(MODEL_DIST, MODEL_FILE))
    folder = resources.files("assistant.knowledge") / FOLDER
    try:
        index = json.loads((folder / INDEX_FILE).read_text(encoding="utf-8"))
        with (folder / VECTORS_FILE).open("rb") as handle:
            vectors = np.load(handle, allow_pickle=False)
    except (OSError, ValueError):
        return None
    if (
        index.get("format") != FILE_FORMAT
        or index.get("model_sha256") != MODEL_SHA256
        or index.get("schema") != SCHEMA_VERSION
        or vectors.dtype != np.float32
        or vectors.shape != (len(index.get("rows", {})), VECTOR_SIZE)
    ):
        return None
    return ShippedVectors(dict(index["rows"]), vectors)


def builtin_embedding_texts(builtin_dir: Path = BUILTIN_KNOWLEDGE_DIR) -> list[str]:
    """Every text a build of the built-in corpus embeds: its chunks and their asked lines,
    then the hub probes."""
    texts: list[str] = []
    for planned in builtin_files(builtin_dir):
        document = read_document(planned.path, planned.source)
        chunks = chunk_document(document)
        texts += embedding_texts(document, chunks)
        texts += [line for chunk in chunks for line in chunk.asked]
    return list(dict.fromkeys([*texts, *PROBES]))


def write_shipped_vectors(folder: Path, builtin_dir: Path = BUILTIN_KNOWLEDGE_DIR) -> int:
    """Embed every built-in text with the local model and write both files; returns the count."""
    texts = builtin_embedding_texts(builtin_dir)
    vectors = np.asarray(embed_texts(texts), dtype=np.float32)
    index = {
        "format": FILE_FORMAT,
        "model": LOCAL_MODEL,
        "model_sha256": MODEL_SHA256,
        "schema": SCHEMA_VERSION,
        "rows": {text_key(text): row for row, text in enumerate(texts)},
    }
    folder.mkdir(parents=True, exist_ok=True)
    np.save(folder / VECTORS_FILE, vectors, allow_pickle=False)
    (folder / INDEX_FILE).write_text(json.dumps(index, indent=0) + "\n", encoding="utf-8")
    return len(texts)


def main() -> int:
    folder = Path(__file__).resolve().parent / FOLDER
    count = write_shipped_vectors(folder)
    print(f"wrote {count} vectors of the built-in guidance to {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
