"""Incremental indexing: make the collection hold exactly the chunks of the planned files.

Every chunk records its file's content hash and how many chunks that file has, so the
collection describes itself: a file is indexed when all of its chunks are there with the hash
of the file as it is now. Changed files have their old chunks deleted before the new ones are
added; a build killed half-way therefore leaves some files missing or incomplete, which the next
run notices and redoes. No separate manifest can drift from the store.

Each pass also keeps the home's search cache current with what it wrote
(:mod:`assistant.knowledge.cache_update`), so that the first search after it needs neither
to read the chunks back nor to build BM25 over all of them.

Built-in chunks take the vectors that ship with Reflect when their text is the one those were
computed from (:mod:`assistant.knowledge.shipped_vectors`); everything else is embedded here.
A chunk's asked lines are embedded with it; chromadb keeps one vector per record, so their
vectors go only to the search cache, and a cache made again from the collection embeds
them again (:func:`embed_asked_lines`).

This module imports chromadb (through the store) at import time: import it lazily.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.knowledge.cache_update import CacheUpdate
from assistant.knowledge.chunking import Chunk, chunk_document, embedding_texts
from assistant.knowledge.documents import SourceDocument, SourceProblem, read_document
from assistant.knowledge.hubs import hub_scores, probe_vectors
from assistant.knowledge.search_cache import CachedIndex, CacheTarget, asked_lines
from assistant.knowledge.shipped_vectors import IDENTITY as SHIPPED_IDENTITY
from assistant.knowledge.shipped_vectors import Embed, shipped_vectors
from assistant.knowledge.sources import USER_PREFIX, PlannedFile, fingerprint
from assistant.knowledge.store import Store

Progress = Callable[[int, int, str], None]
#: Chunks embedded together: two batches of the local model, so progress moves every second
#: or two while batches stay full.
EMBED_GROUP_CHUNKS = 16
#: Chunks per ``add`` call to chromadb at most (well under its maximum batch size).
ADD_BATCH_CHUNKS = 1000
#: Chunks wait at most about this long to be written, so that progress keeps moving while
#: the model embeds a large folder.
COMMIT_SECONDS = 0.5
PAGE_SIZE = 5000


@dataclass
class IndexReport:
    """What one pass of indexing did, by source name."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    chunks: int = 0
    problems: list[str] = field(default_factory=list)
    rebuilt: bool = False
    seconds: float = 0.0
    #: The search cache's copy of the index as this pass left it, when the pass made one.
    search_copy: CachedIndex | None = field(default=None, repr=False)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{len(self.removed)} removed",
            f"{self.unchanged} unchanged",
        ]
        verb = "Rebuilt" if self.rebuilt else "Indexed"
        return (
            f"{verb} in {self.seconds:.1f} s: {', '.join(parts)}; "
            f"{self.chunks} chunks in the index."
        )


@dataclass
class _Indexed:
    hashes: set[str] = field(default_factory=set)
    expected: set[int] = field(default_factory=set)
    indexes: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """All chunks of one version of the file are there."""
        return (
            len(self.hashes) == 1
            and len(self.expected) == 1
            and sorted(self.indexes) == list(range(next(iter(self.expected))))
        )

    def holds(self, content_hash: str) -> bool:
        return self.complete and self.hashes == {content_hash}


def sync(
    store: Store,
    files: list[PlannedFile],
    *,
    rebuild: bool = False,
    progress: Progress | None,
    cache: CacheTarget | None = None,
) -> IndexReport:
    """Make the collection hold the chunks of ``files``; keep ``cache`` current if given."""
    started = time.perf_counter()
    report = IndexReport()
    collection = None if rebuild else store.collection()
    if collection is not None and not store.in_current_format(collection):
        collection = None
        rebuild = True
    synced_with: str | None = None
    if collection is None:
        store.drop()
        collection = store.create()
        report.rebuilt = rebuild
    else:
        synced_with = str((collection.metadata or {}).get("fingerprint", ""))
    indexed = indexed_sources(collection)
    counter = _Progress(progress, len(files))
    embed_builtin = builtin_embedding(store)
    held = [chunk for state in indexed.values() for chunk in state.ids]
    update = None if cache is None else CacheUpdate(cache, synced_with, held)
    writes = _Writes(collection, counter.done, update)
    wanted: set[str] = set()
    pending: list[tuple[SourceDocument, list[Chunk]]] = []
    probes: Any = None

    def flush() -> None:
        nonlocal probes
        if probes is None:
            probes = probe_vectors(embed_builtin)
        embedded = embed_documents(pending, embed_builtin, store.embedding)
        each_embedded = iter(embedded)
        hubs = iter(hub_scores(probes, [item.vector for item in embedded]))
        for doc, chunks in pending:
            if doc.source in indexed:
                writes.delete(doc.source)
                report.updated.append(doc.source)
            else:
                report.added.append(doc.source)
            for chunk in chunks:
                metadata = {**chunk_metadata(doc, chunk, len(chunks)), "hub": next(hubs)}
                writes.add(chunk_id(doc, chunk), next(each_embedded), chunk.text, metadata)
            writes.finished(doc.source)
        pending.clear()
        if writes.due():
            writes.commit()

    for planned in files:
        try:
            document = read_document(planned.path, planned.source)
        except SourceProblem as problem:
            report.problems.append(f"{planned.path}: skipped, {problem}")
            counter.done(planned.source)
            continue
        wanted.add(planned.source)
        state = indexed.get(planned.source)
        if state is not None and state.holds(document.content_hash):
            report.unchanged += 1
            counter.done(planned.source)
            continue
        pending.append((document, chunk_document(document)))
        if sum(len(chunks) for _, chunks in pending) >= EMBED_GROUP_CHUNKS:
            flush()
    if pending:
        flush()

    for source in sorted(set(indexed) - wanted):
        writes.delete(source)
        report.removed.append(source)
    writes.commit()
    synced = fingerprint(files)
    collection.modify(metadata=store.metadata(synced))
    if update is not None:
        report.search_copy = update.finish(synced)
    report.chunks = collection.count()
    report.seconds = time.perf_counter() - started
    return report


@dataclass(frozen=True)
class EmbeddedChunk:
    """A chunk's vector, and one per asked line of it (maybe none)."""

    vector: Any
    asked: Sequence[Any]


def embed_documents(
    documents: list[tuple[SourceDocument, list[Chunk]]], embed_builtin: Embed, embed_user: Embed
) -> list[EmbeddedChunk]:
    """The vectors of the documents' chunks and their asked lines, in chunk order."""
    groups: list[tuple[bool, list[str]]] = []
    for doc, chunks in documents:
        groups.append((is_builtin(doc), embedding_texts(doc, chunks)))
        groups.extend((is_builtin(doc), list(chunk.asked)) for chunk in chunks)
    embedded = iter(embed_groups(groups, embed_builtin, embed_user))
    result: list[EmbeddedChunk] = []
    for _ in documents:
        chunk_vectors = next(embedded)
        result.extend(EmbeddedChunk(vector, next(embedded)) for vector in chunk_vectors)
    return result


def embed_groups(
    groups: Sequence[tuple[bool, Sequence[str]]], embed_builtin: Embed, embed_user: Embed
) -> list[list[Any]]:
    """Each group's texts embedded (built-in ones by ``embed_builtin``), in order.

    Each kind's texts go in one call, each distinct text once: the pieces of a long part
    share its asked lines.
    """
    rows: dict[bool, dict[str, int]] = {True: {}, False: {}}
    for builtin, texts in groups:
        for text in texts:
            rows[builtin].setdefault(text, len(rows[builtin]))
    vectors = {
        builtin: embed(list(rows[builtin])) if rows[builtin] else []
        for builtin, embed in ((True, embed_builtin), (False, embed_user))
    }
    return [[vectors[builtin][rows[builtin][text]] for text in texts] for builtin, texts in groups]


def embed_asked_lines(metadatas: Sequence[dict[str, Any]], store: Store) -> list[list[Any]]:
    """Per chunk, the vectors of the asked lines its metadata holds (none loads no model)."""
    groups = [(bool(meta.get("builtin")), asked_lines(meta)) for meta in metadatas]
    if not any(lines for _, lines in groups):
        return [[] for _ in groups]
    return embed_groups(groups, builtin_embedding(store), store.embedding)


def is_builtin(document: SourceDocument) -> bool:
    return not document.source.startswith(USER_PREFIX)


def builtin_embedding(store: Store) -> Embed:
    """How built-in chunks are embedded: from the shipped vectors where they apply.

    They apply only to the local model they were computed with; a user's own sources never
    go through here (see :mod:`assistant.knowledge.shipped_vectors`).
    """
    shipped = shipped_vectors() if store.embedding.identity == SHIPPED_IDENTITY else None
    return store.embedding if shipped is None else shipped.embed_with(store.embedding)


class _Progress:
    """Counts the files dealt with and reports each to the caller's ``progress``."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.count = 0
        self.report("")

    def done(self, label: str) -> None:
        self.count += 1
        self.report(label)

    def report(self, label: str) -> None:
        if self.progress is not None:
            self.progress(self.count, self.total, label)


class _Writes:
    """Deletions and additions, sent to the collection in few calls.

    Each call to chromadb costs some 30 ms or more whatever its size (the built-in chunks took
    1.5 s in one ``add`` per file, 0.2 s in one ``add``), so the chunks of several files
    go in one call: when ``ADD_BATCH_CHUNKS`` have gathered or ``COMMIT_SECONDS`` have passed
    since the last call, and at the end. Deletions queued before them go first. A file is
    reported done only once its chunks are in the collection, so progress never runs ahead of
    what a build stopped there would keep; and a file counts as indexed only when all its
    chunks are there with its current hash (see the module's docstring), so one whose chunks
    had not all been written is redone by the next run. ``cache``, if given, is told of every
    deletion and addition.
    """

    def __init__(
        self, collection: Any, written: Callable[[str], None], cache: CacheUpdate | None
    ) -> None:
        self.collection = collection
        self.written = written
        self.cache = cache
        self.last_commit = time.perf_counter()
        self.deletions: list[str] = []
        self.finished_sources: list[str] = []
        self.ids: list[str] = []
        self.vectors: list[Any] = []
        self.texts: list[str] = []
        self.metadatas: list[dict[str, Any]] = []

    def delete(self, source: str) -> None:
        self.deletions.append(source)
        if self.cache is not None:
            self.cache.dropped.add(source)

    def add(
        self, chunk_id: str, embedded: EmbeddedChunk, text: str, metadata: dict[str, Any]
    ) -> None:
        if self.cache is not None:
            self.cache.added.add(chunk_id, embedded.vector, text, metadata, embedded.asked)
        self.ids.append(chunk_id)
        self.vectors.append(embedded.vector)
        self.texts.append(text)
        self.metadatas.append(metadata)

    def finished(self, source: str) -> None:
        """All of ``source``'s chunks have been queued: report it once they are written."""
        self.finished_sources.append(source)

    def due(self) -> bool:
        waited = time.perf_counter() - self.last_commit
        return len(self.ids) >= ADD_BATCH_CHUNKS or waited >= COMMIT_SECONDS

    def commit(self) -> None:
        if self.deletions:
            self.collection.delete(where={"source": {"$in": self.deletions}})
            self.deletions = []
        for start in range(0, len(self.ids), ADD_BATCH_CHUNKS):
            end = start + ADD_BATCH_CHUNKS
            self.collection.add(
                ids=self.ids[start:end],
                embeddings=self.vectors[start:end],
                documents=self.texts[start:end],
                metadatas=self.metadatas[start:end],
            )
        self.ids, self.vectors, self.texts, self.metadatas = [], [], [], []
        self.last_commit = time.perf_counter()
        finished, self.finished_sources = self.finished_sources, []
        for source in finished:
            self.written(source)


def chunk_id(document: SourceDocument, chunk: Chunk) -> str:
    return f"{document.source}#{document.content_hash[:12]}#{chunk.index}"


def chunk_metadata(document: SourceDocument, chunk: Chunk, count: int) -> dict[str, Any]:
    return {
        "source": document.source,
        "builtin": is_builtin(document),
        "title": document.title,
        "heading": chunk.heading,
        "topics": ",".join(document.topics),
        "audience": document.audience,
        "moments": list(document.moments),
        "file_hash": document.content_hash,
        "chunk_hash": chunk.content_hash,
        "chunk_index": chunk.index,
        "chunk_count": count,
        "tokens": chunk.tokens,
        # Chromadb keeps only scalars (and lists) in metadata: the lines, one per line.
        "asked": "\n".join(chunk.asked),
    }


def indexed_sources(collection: Any) -> dict[str, _Indexed]:
    """What the collection holds per source, read in pages."""
    state: dict[str, _Indexed] = defaultdict(_Indexed)
    offset = 0
    while True:
        page = collection.get(include=["metadatas"], limit=PAGE_SIZE, offset=offset)
        for chunk, meta in zip(page["ids"], page["metadatas"], strict=True):
            entry = state[str(meta.get("source"))]
            entry.ids.append(chunk)
            entry.hashes.add(str(meta.get("file_hash")))
            entry.expected.add(int(meta.get("chunk_count", -1)))
            entry.indexes.append(int(meta.get("chunk_index", -1)))
        if len(page["ids"]) < PAGE_SIZE:
            return dict(state)
        offset += PAGE_SIZE
