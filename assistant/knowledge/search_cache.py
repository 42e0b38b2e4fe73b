"""A copy of the index as search reads it, kept in the home, so that search starts fast.

Search needs every chunk's text, metadata and vector, and the BM25 index over them. Reading
those from chromadb means importing it (a second or more) and, on a large store, building
BM25 again (seconds at 100,000 chunks). After reading them once, the knowledge base writes them
here: ``chunks.json`` and ``arrays.npz`` in ``REFLECT_HOME/search-cache``, with ``key.txt``
naming what they were read from (the collection, its embedding function and the fingerprint
of the sources it was synced with). A search whose sources still have that fingerprint uses
the copy and never opens chromadb; any change to the sources changes the fingerprint, and the
copy is ignored and written again. The copy holds nothing that is not in the index.

Indexing keeps the copy current as it writes (:mod:`assistant.knowledge.indexer`): it has every
chunk it adds in hand, so it revises the copy it started from (checked against the chunk ids
the collection holds) rather than leave the first search to read 100,000 chunks back and
build BM25 again. Without a copy it can trust, it forgets it, and search reads the index.
Search then ranks the same passages in the same order as from a copy read back from chromadb;
scores may differ in the last bits of a float, as chromadb keeps the vectors re-normalised and
float metadata rounded (on the built-in index and its 90 dev questions: at most 1e-6).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.private_files import ensure_private_dir

if TYPE_CHECKING:
    import numpy as np

    from assistant.knowledge.lexical import LexicalIndex

CACHE_DIR_NAME = "search-cache"
#: Changes when what is kept here changes.
CACHE_FORMAT = 2
LEXICAL_PREFIX = "lexical_"


@dataclass(frozen=True)
class CachedIndex:
    """Everything search reads from the index."""

    ids: list[str]
    texts: list[str]
    metadatas: list[dict[str, Any]]
    vectors: np.ndarray
    lexical: LexicalIndex


@dataclass(frozen=True)
class CacheTarget:
    """Where a home keeps its copy, and which index the copy is of."""

    settings: Settings
    #: The collection's name, after the Chroma server's address when there is one.
    collection: str
    #: The embedding function's identity.
    identity: str

    def key(self, fingerprint: str) -> str:
        """The key of a copy of the index synced with sources of ``fingerprint``."""
        return cache_key(self.collection, self.identity, fingerprint)


def lexical_text(metadata: dict[str, Any], text: str) -> str:
    """What BM25 reads of a chunk: its title and heading, then its text."""
    return f"{metadata.get('title', '')}\n{metadata.get('heading', '')}\n{text}"


def built(
    ids: list[str], texts: list[str], metadatas: list[dict[str, Any]], vectors: Sequence[Any]
) -> CachedIndex:
    """The copy of the chunks given, read whole (BM25 built over all of them)."""
    from assistant.knowledge.lexical import LexicalIndex

    lexical = LexicalIndex([lexical_text(m, t) for m, t in zip(metadatas, texts, strict=True)])
    return CachedIndex(ids, texts, metadatas, _unit_rows(vectors), lexical)


def empty() -> CachedIndex:
    """The copy of an empty collection."""
    return built([], [], [], [])


def revised(base: CachedIndex, dropped_sources: set[str], added: CachedChunks) -> CachedIndex:
    """``base`` without the chunks of ``dropped_sources``, with ``added`` after the rest.

    It equals :func:`built` over the same chunks, without reading the kept ones again.
    """
    import numpy as np

    keep = np.array([m["source"] not in dropped_sources for m in base.metadatas], dtype=bool)
    kept = np.flatnonzero(keep).tolist()
    removed = np.flatnonzero(~keep).tolist()
    lexical = base.lexical.revised(
        keep,
        [lexical_text(base.metadatas[i], base.texts[i]) for i in removed],
        [lexical_text(m, t) for m, t in zip(added.metadatas, added.texts, strict=True)],
    )
    parts = [rows for rows in (base.vectors[keep], _unit_rows(added.vectors)) if len(rows)]
    vectors = np.concatenate(parts) if parts else _unit_rows([])
    return CachedIndex(
        [base.ids[i] for i in kept] + added.ids,
        [base.texts[i] for i in kept] + added.texts,
        [base.metadatas[i] for i in kept] + added.metadatas,
        vectors,
        lexical,
    )


@dataclass
class CachedChunks:
    """Chunks as they were written to the collection, in order."""

    ids: list[str]
    texts: list[str]
    metadatas: list[dict[str, Any]]
    vectors: list[Any]

    @classmethod
    def none(cls) -> CachedChunks:
        return cls([], [], [], [])

    def add(self, chunk_id: str, vector: Any, text: str, metadata: dict[str, Any]) -> None:
        self.ids.append(chunk_id)
        self.vectors.append(vector)
        self.texts.append(text)
        self.metadatas.append(metadata)


def _unit_rows(vectors: Sequence[Any]) -> np.ndarray:
    """The vectors as float32 rows of unit length, as chromadb keeps and search reads them."""
    import numpy as np

    if not len(vectors):
        return np.zeros((0, 0), dtype=np.float32)
    matrix = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    return matrix


def cache_key(collection: str, identity: str, fingerprint: str) -> str:
    """The key the copy is kept under. ``collection`` may start with the Chroma server's
    address, which may carry a secret: the key (written to ``key.txt``) is a digest."""
    named = f"{CACHE_FORMAT}\t{collection}\t{identity}\t{fingerprint}"
    return hashlib.sha256(named.encode("utf-8", "surrogatepass")).hexdigest()


def cache_dir(settings: Settings) -> Path:
    return settings.home / CACHE_DIR_NAME


def recorded_key(settings: Settings) -> str | None:
    """The key of the copy in the home, if there is one."""
    try:
        return (cache_dir(settings) / "key.txt").read_text(encoding="utf-8")
    except OSError:
        return None


def load(settings: Settings, key: str) -> CachedIndex | None:
    """The copy, if it was made under ``key`` and can be read; None otherwise."""
    import numpy as np

    from assistant.knowledge.lexical import LexicalIndex

    folder = cache_dir(settings)
    if recorded_key(settings) != key:
        return None
    try:
        chunks = json.loads((folder / "chunks.json").read_text(encoding="utf-8"))
        with np.load(folder / "arrays.npz") as arrays:
            vectors = arrays["vectors"]
            lexical = LexicalIndex.from_arrays(
                {
                    name.removeprefix(LEXICAL_PREFIX): arrays[name]
                    for name in arrays.files
                    if name.startswith(LEXICAL_PREFIX)
                }
            )
        cached = CachedIndex(chunks["ids"], chunks["texts"], chunks["metadatas"], vectors, lexical)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not len(cached.ids) == len(cached.texts) == len(cached.metadatas) == len(vectors):
        return None
    return cached


def save(settings: Settings, key: str, index: CachedIndex) -> None:
    """Write the copy under ``key``, replacing any other; a failure only costs speed."""
    import numpy as np

    folder = cache_dir(settings)
    staging: Path | None = None
    try:
        ensure_private_dir(settings.home)
        staging = Path(tempfile.mkdtemp(prefix=f".{CACHE_DIR_NAME}-", dir=settings.home))
        chunks = {"ids": index.ids, "texts": index.texts, "metadatas": index.metadatas}
        (staging / "chunks.json").write_text(json.dumps(chunks), encoding="utf-8")
        arrays = {
            f"{LEXICAL_PREFIX}{name}": array for name, array in index.lexical.to_arrays().items()
        }
        np.savez(staging / "arrays.npz", allow_pickle=False, vectors=index.vectors, **arrays)
        (staging / "key.txt").write_text(key, encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
    except OSError:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def discard(settings: Settings) -> None:
    """Forget the copy: the index is about to change."""
    shutil.rmtree(cache_dir(settings), ignore_errors=True)
