"""Incremental indexing: make the collection hold exactly the chunks of the planned files.

Every chunk records its file's content hash and how many chunks that file has, so the
collection describes itself: a file is indexed when all of its chunks are there with the hash
of the file as it is now. Changed files have their old chunks deleted before the new ones are
added, one file per ``add``; a build killed half-way therefore leaves at worst one incomplete
file, which the next run notices and redoes. No separate manifest can drift from the store.

This module imports chromadb (through the store) at import time: import it lazily.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.knowledge.chunking import Chunk, chunk_document, embedding_text
from assistant.knowledge.documents import SourceDocument, SourceProblem, read_document
from assistant.knowledge.hubs import hub_scores, probe_vectors
from assistant.knowledge.sources import USER_PREFIX, PlannedFile, fingerprint
from assistant.knowledge.store import Store

Progress = Callable[[int, int, str], None]
#: Chunks embedded together: two batches of the local model, so progress moves every second
#: or two while batches stay full.
EMBED_GROUP_CHUNKS = 16
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
    store: Store, files: list[PlannedFile], *, rebuild: bool = False, progress: Progress | None
) -> IndexReport:
    started = time.perf_counter()
    report = IndexReport()
    collection = None if rebuild else store.collection()
    if collection is not None and not store.in_current_format(collection):
        collection = None
        rebuild = True
    if collection is None:
        store.drop()
        collection = store.create()
        report.rebuilt = rebuild
    indexed = indexed_sources(collection)
    notify = progress or (lambda done, total, label: None)
    notify(0, len(files), "")

    wanted: set[str] = set()
    pending: list[tuple[SourceDocument, list[Chunk]]] = []
    done = 0
    probes: Any = None

    def flush() -> None:
        nonlocal done, probes
        if probes is None:
            probes = probe_vectors(store.embedding)
        texts = [embedding_text(doc, chunk) for doc, chunks in pending for chunk in chunks]
        embedded = store.embedding(texts)
        vectors = iter(embedded)
        hubs = iter(hub_scores(probes, embedded))
        for doc, chunks in pending:
            if doc.source in indexed:
                collection.delete(where={"source": doc.source})
                report.updated.append(doc.source)
            else:
                report.added.append(doc.source)
            if chunks:
                collection.add(
                    ids=[f"{doc.source}#{doc.content_hash[:12]}#{c.index}" for c in chunks],
                    embeddings=[next(vectors) for _ in chunks],
                    documents=[c.text for c in chunks],
                    metadatas=[
                        {**chunk_metadata(doc, c, len(chunks)), "hub": next(hubs)} for c in chunks
                    ],
                )
            done += 1
            notify(done, len(files), doc.source)
        pending.clear()

    for planned in files:
        try:
            document = read_document(planned.path, planned.source)
        except SourceProblem as problem:
            report.problems.append(f"{planned.path}: skipped, {problem}")
            done += 1
            notify(done, len(files), planned.source)
            continue
        wanted.add(planned.source)
        state = indexed.get(planned.source)
        if state is not None and state.holds(document.content_hash):
            report.unchanged += 1
            done += 1
            notify(done, len(files), planned.source)
            continue
        pending.append((document, chunk_document(document)))
        if sum(len(chunks) for _, chunks in pending) >= EMBED_GROUP_CHUNKS:
            flush()
    if pending:
        flush()

    for source in sorted(set(indexed) - wanted):
        collection.delete(where={"source": source})
        report.removed.append(source)
    collection.modify(metadata=store.metadata(fingerprint(files)))
    report.chunks = collection.count()
    report.seconds = time.perf_counter() - started
    return report


def chunk_metadata(document: SourceDocument, chunk: Chunk, count: int) -> dict[str, Any]:
    return {
        "source": document.source,
        "builtin": not document.source.startswith(USER_PREFIX),
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
    }


def indexed_sources(collection: Any) -> dict[str, _Indexed]:
    """What the collection holds per source, read in pages."""
    state: dict[str, _Indexed] = defaultdict(_Indexed)
    offset = 0
    while True:
        page = collection.get(include=["metadatas"], limit=PAGE_SIZE, offset=offset)
        for meta in page["metadatas"]:
            entry = state[str(meta.get("source"))]
            entry.hashes.add(str(meta.get("file_hash")))
            entry.expected.add(int(meta.get("chunk_count", -1)))
            entry.indexes.append(int(meta.get("chunk_index", -1)))
        if len(page["ids"]) < PAGE_SIZE:
            return dict(state)
        offset += PAGE_SIZE
