"""A copy of the index as search reads it, kept in the home, so that search starts fast.

Search needs every chunk's text, metadata and vector, and the BM25 index over them. Reading
those from chromadb means importing it (a second or more) and, on a large store, building
BM25 again (seconds at 100,000 chunks). After reading them once, the knowledge base writes them
to ``REFLECT_HOME/search-cache`` as numpy arrays (:mod:`assistant.knowledge.cache_files`), under
a key naming what they were read from (the collection, its embedding function and the
fingerprint of the sources it was synced with). A search whose sources still have that
fingerprint uses the copy and never opens chromadb; any change to the sources changes the
fingerprint, and the copy is ignored and written again. The copy holds nothing that is not in
the index.

A new process opens the copy without reading it (10 ms at 100,000 chunks, where reading JSON
and an ``.npz`` took 2 s and more): the vectors and the BM25 postings are memory-mapped, and a
chunk's text and metadata are decoded only when a search looks at that chunk
(:mod:`assistant.knowledge.string_column`). What search filters every chunk by (audience,
moments) and what indexing drops whole sources by are kept as arrays of their own.

Indexing keeps the copy current as it writes (:mod:`assistant.knowledge.indexer`): it has every
chunk it adds in hand, so it revises the copy it started from (checked against the chunk ids
the collection holds) rather than leave the first search to read 100,000 chunks back and
build BM25 again. Without a copy it can trust, it forgets it, and search reads the index.
Search then ranks the same passages in the same order as from a copy read back from chromadb;
scores may differ in the last bits of a float, as chromadb keeps the vectors re-normalised and
float metadata rounded (on the built-in index and its 90 dev questions: at most 1e-6).

It also holds the vectors of the chunks' asked lines (how people in the situation a chunk
answers put it, :mod:`assistant.knowledge.chunking`), which chromadb does not keep: one row
per line, with the row of the chunk it belongs to.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.knowledge import cache_files
from assistant.knowledge.documents import MOMENTS
from assistant.private_files import ensure_private_dir

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np

    from assistant.knowledge.lexical import LexicalIndex
    from assistant.knowledge.string_column import JsonColumn, StringColumn

CACHE_DIR_NAME = "search-cache"
#: Changes when what is kept here changes (4: the asked lines' vectors).
CACHE_FORMAT = 4
LEXICAL_PREFIX = "lexical_"


@dataclass(frozen=True)
class CachedIndex:
    """Everything search reads from the index, one row per chunk."""

    ids: StringColumn
    texts: StringColumn
    metadatas: JsonColumn
    vectors: np.ndarray
    lexical: LexicalIndex
    #: Per chunk, for filtering without reading its metadata: its audience, its moments as
    #: bits (:func:`moment_bits`), and its source as a number into ``sources``.
    audiences: np.ndarray
    moment_bits: np.ndarray
    source_of: np.ndarray
    sources: StringColumn
    #: One unit vector per asked line of any chunk, and the row of the chunk it belongs to.
    asked_vectors: np.ndarray
    asked_owner: np.ndarray


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
    """What BM25 reads of a chunk: its title and heading, its text, then its asked lines."""
    return (
        f"{metadata.get('title', '')}\n{metadata.get('heading', '')}\n{text}"
        f"\n{metadata.get('asked', '')}"
    )


def asked_lines(metadata: dict[str, Any]) -> list[str]:
    """A chunk's asked lines, as its metadata keeps them (one per line)."""
    return [line for line in str(metadata.get("asked") or "").splitlines() if line.strip()]


def moment_bits(moments: Sequence[str]) -> int:
    """The moments as bits of an integer, one per moment of ``MOMENTS``."""
    # A set: a moment named twice (a step's "any" plus the "any" always wanted) is one bit.
    return sum(1 << MOMENTS.index(m) for m in set(moments) if m in MOMENTS)


def built(
    ids: list[str],
    texts: list[str],
    metadatas: list[dict[str, Any]],
    vectors: Sequence[Any],
    asked: Sequence[Sequence[Any]],
) -> CachedIndex:
    """The copy of the chunks given, read whole (BM25 built over all of them).

    ``asked`` holds, per chunk, the vectors of its asked lines (maybe none).
    """
    from assistant.knowledge.lexical import LexicalIndex
    from assistant.knowledge.string_column import JsonColumn, StringColumn

    lexical = LexicalIndex([lexical_text(m, t) for m, t in zip(metadatas, texts, strict=True)])
    source_of, sources = _source_numbers([str(m["source"]) for m in metadatas], [])
    asked_vectors, asked_owner = _asked_rows(asked, first_row=0)
    return CachedIndex(
        StringColumn.of(ids),
        StringColumn.of(texts),
        JsonColumn.of(metadatas),
        _unit_rows(vectors),
        lexical,
        _audiences(metadatas),
        _moment_bits(metadatas),
        source_of,
        StringColumn.of(sources),
        asked_vectors,
        asked_owner,
    )


def empty() -> CachedIndex:
    """The copy of an empty collection."""
    return built([], [], [], [], [])


def revised(base: CachedIndex, dropped_sources: set[str], added: CachedChunks) -> CachedIndex:
    """``base`` without the chunks of ``dropped_sources``, with ``added`` after the rest.

    It equals :func:`built` over the same chunks, without reading the kept ones again.
    """
    import numpy as np

    from assistant.knowledge.string_column import StringColumn

    known = list(base.sources)
    dropped = [number for number, source in enumerate(known) if source in dropped_sources]
    keep = ~np.isin(base.source_of, dropped)
    removed = np.flatnonzero(~keep).tolist()
    lexical = base.lexical.revised(
        keep,
        [lexical_text(base.metadatas[i], base.texts[i]) for i in removed],
        [lexical_text(m, t) for m, t in zip(added.metadatas, added.texts, strict=True)],
    )
    vectors = _stacked(base.vectors[keep], _unit_rows(added.vectors))
    added_source_of, sources = _source_numbers([str(m["source"]) for m in added.metadatas], known)
    # The kept chunks move up over the dropped ones; their asked lines follow them.
    new_row = np.cumsum(keep) - 1
    kept_lines = keep[base.asked_owner] if len(base.asked_owner) else np.zeros(0, dtype=bool)
    added_vectors, added_owner = _asked_rows(added.asked, first_row=int(keep.sum()))
    return CachedIndex(
        base.ids.revised(keep, added.ids),
        base.texts.revised(keep, added.texts),
        base.metadatas.revised(keep, added.metadatas),
        vectors,
        lexical,
        np.concatenate([base.audiences[keep], _audiences(added.metadatas)]),
        np.concatenate([base.moment_bits[keep], _moment_bits(added.metadatas)]),
        np.concatenate([base.source_of[keep], added_source_of]),
        StringColumn.of(sources),
        _stacked(base.asked_vectors[kept_lines], added_vectors),
        np.concatenate([new_row[base.asked_owner[kept_lines]], added_owner]).astype(np.int32),
    )


def _stacked(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Two blocks of rows as one (either may be empty, and then without columns)."""
    import numpy as np

    parts = [rows for rows in (first, second) if len(rows)]
    return np.concatenate(parts) if parts else _unit_rows([])


def _asked_rows(asked: Sequence[Sequence[Any]], first_row: int) -> tuple[np.ndarray, np.ndarray]:
    """The asked lines' vectors as unit rows, and per row the chunk it belongs to (counting
    the chunks of ``asked`` from ``first_row``)."""
    import numpy as np

    rows = [vector for vectors in asked for vector in vectors]
    owner = [first_row + chunk for chunk, vectors in enumerate(asked) for _ in vectors]
    return _unit_rows(rows), np.asarray(owner, dtype=np.int32)


def _audiences(metadatas: Sequence[dict[str, Any]]) -> np.ndarray:
    import numpy as np

    return np.array([str(m.get("audience", "both")) for m in metadatas], dtype=str)


def _moment_bits(metadatas: Sequence[dict[str, Any]]) -> np.ndarray:
    import numpy as np

    return np.array([moment_bits(m.get("moments") or ()) for m in metadatas], dtype=np.int64)


def _source_numbers(names: list[str], known: list[str]) -> tuple[np.ndarray, list[str]]:
    """Each name's number among ``known`` (new names appended), and the names then known."""
    import numpy as np

    numbers = {name: number for number, name in enumerate(known)}
    of = [numbers.setdefault(name, len(numbers)) for name in names]
    return np.asarray(of, dtype=np.int32), list(numbers)


@dataclass
class CachedChunks:
    """Chunks as they were written to the collection, in order."""

    ids: list[str]
    texts: list[str]
    metadatas: list[dict[str, Any]]
    vectors: list[Any]
    #: Per chunk, the vectors of its asked lines.
    asked: list[Sequence[Any]]

    @classmethod
    def none(cls) -> CachedChunks:
        return cls([], [], [], [], [])

    def add(
        self,
        chunk_id: str,
        vector: Any,
        text: str,
        metadata: dict[str, Any],
        asked: Sequence[Any] = (),
    ) -> None:
        self.ids.append(chunk_id)
        self.vectors.append(vector)
        self.texts.append(text)
        self.metadatas.append(metadata)
        self.asked.append(asked)


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
    address, which may carry a secret: the key (written to the header) is a digest."""
    named = f"{CACHE_FORMAT}\t{collection}\t{identity}\t{fingerprint}"
    return hashlib.sha256(named.encode("utf-8", "surrogatepass")).hexdigest()


def cache_dir(settings: Settings) -> Path:
    return settings.home / CACHE_DIR_NAME


def recorded_key(settings: Settings) -> str | None:
    """The key of the copy in the home, if there is one."""
    return cache_files.recorded_key(cache_dir(settings))


def load(settings: Settings, key: str) -> CachedIndex | None:
    """The copy, if it was made under ``key`` and can be read; None otherwise.

    The arrays are memory-mapped: nothing is read whole, and texts and metadata are decoded
    only for the chunks a search returns or looks at.
    """
    from assistant.knowledge.lexical import LexicalIndex
    from assistant.knowledge.string_column import JsonColumn, StringColumn

    arrays = cache_files.read(cache_dir(settings), key, form=CACHE_FORMAT)
    if arrays is None:
        return None
    try:
        lexical = LexicalIndex.from_arrays(
            {
                name.removeprefix(LEXICAL_PREFIX): array
                for name, array in arrays.items()
                if name.startswith(LEXICAL_PREFIX)
            }
        )
        cached = CachedIndex(
            StringColumn(arrays["ids"], arrays["id_offsets"]),
            StringColumn(arrays["texts"], arrays["text_offsets"]),
            JsonColumn(StringColumn(arrays["metadatas"], arrays["metadata_offsets"])),
            arrays["vectors"],
            lexical,
            arrays["audiences"],
            arrays["moment_bits"],
            arrays["source_of"],
            StringColumn(arrays["sources"], arrays["source_offsets"]),
            arrays["asked_vectors"],
            arrays["asked_owner"],
        )
    except (ValueError, KeyError):
        return None
    rows = (
        cached.ids,
        cached.texts,
        cached.metadatas,
        cached.vectors,
        cached.audiences,
        cached.moment_bits,
        cached.source_of,
    )
    if {len(row) for row in rows} != {lexical.size}:
        return None
    owners = cached.asked_owner
    if len(owners) != len(cached.asked_vectors) or (
        len(owners) and not 0 <= int(owners.min()) <= int(owners.max()) < lexical.size
    ):
        return None
    return cached


def save(settings: Settings, key: str, index: CachedIndex) -> None:
    """Write the copy under ``key``, replacing any other; a failure only costs speed."""
    arrays = {
        "ids": index.ids.data,
        "id_offsets": index.ids.offsets,
        "texts": index.texts.data,
        "text_offsets": index.texts.offsets,
        "metadatas": index.metadatas.encoded.data,
        "metadata_offsets": index.metadatas.encoded.offsets,
        "vectors": index.vectors,
        "audiences": index.audiences,
        "moment_bits": index.moment_bits,
        "source_of": index.source_of,
        "sources": index.sources.data,
        "source_offsets": index.sources.offsets,
        "asked_vectors": index.asked_vectors,
        "asked_owner": index.asked_owner,
        **{f"{LEXICAL_PREFIX}{name}": array for name, array in index.lexical.to_arrays().items()},
    }
    try:
        ensure_private_dir(settings.home)
        cache_files.write(
            cache_dir(settings), key, arrays, form=CACHE_FORMAT, facts={"chunks": len(index.ids)}
        )
    except OSError:
        discard(settings)


def discard(settings: Settings) -> None:
    """Forget the copy: the index is about to change."""
    cache_files.discard(cache_dir(settings))
