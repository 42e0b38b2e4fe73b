"""The knowledge base the conversations, the TUI and the CLI use: index, add sources, search.

Opening is cheap: chromadb, onnxruntime and the model load on first use, so the TUI's first
frame never waits for them, and a search whose sources have not changed since the index was
last read starts from the copy in the home (:mod:`assistant.knowledge.search_cache`) without
loading chromadb at all.

Search is hybrid. The question is first put in the corpus's words (:mod:`query`: chat-speak,
misspellings, everyday phrasings, the side it is asked from, and, for a long question, its
sentences). A passage's score is then its cosine similarity to the question (mixed, for a long
question, with its similarity to each sentence, and, for a passage with asked lines, with its
closest line's: how people in its situation put it), plus a share of how similar the best other
chunks of its file are (a passage in a file that is about the question beats a stray match),
plus a BM25 bonus (``LEXICAL_WEIGHT`` times its BM25 score, over its text and asked lines,
relative to the best lexical match), less a share of its hub score (how much it resembles every
question, :mod:`hubs`), less ``OPENING_PENALTY`` for a file's opening section (it is about
everything in the file), and, when the side is known (from the caller, or else the question's
wording), a penalty for passages whose file or heading says they are written for the other
side. A file may hold several places, each of its later passages ranked ``REPEAT_PENALTY``
lower. ``benchmarks/retrieval_eval.py`` measures this against dense-only and BM25-only search,
per question and per passage.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.knowledge import search_cache
from assistant.knowledge.chunking import HEADING_SEPARATOR
from assistant.knowledge.documents import AUDIENCES, MOMENTS, SourceProblem, read_document
from assistant.knowledge.errors import IndexUnreadable
from assistant.knowledge.query import Side, addressed_side, understand
from assistant.knowledge.sources import (
    PlannedFile,
    UserRoot,
    fingerprint,
    is_text_candidate,
    load_user_roots,
    new_root,
    plan_sources,
    save_user_roots,
    scan_root,
)
from assistant.resources import BUILTIN_KNOWLEDGE_DIR

if TYPE_CHECKING:
    from assistant.knowledge.indexer import IndexReport
    from assistant.knowledge.lexical import LexicalIndex
    from assistant.knowledge.store import Store

Progress = Callable[[int, int, str], None]
SEARCH_METHODS = ("hybrid", "dense", "lexical")
#: How much the lexical match adds to the score, at most (for the best BM25 match). With BM25
#: reading the asked lines too, it counts for more: on the tuned part of the passage dev set
#: (top 1 / top 3) and the topic-level dev set (hit@5 / MRR), 0.2 gave 0.797 / 0.907 and
#: 0.967 / 0.814; 0.3 0.802 / 0.936 and 0.967 / 0.821; 0.35 0.797 / 0.942 and 0.967 / 0.833;
#: 0.4 0.797 / 0.942 and 0.967 / 0.825 (all with ``ASKED_SHARE`` 0.1).
LEXICAL_WEIGHT = 0.35
#: How much of the mean similarity of the other chunks of a passage's file is added to its
#: own similarity (with chunks of whole sections, 0.5 beat 0.3, 0.8 and 1.0 on the passage
#: and the topic dev sets; with asked lines and 50 files, 0.4 with ``REPEAT_PENALTY`` 0.15:
#: see there).
FILE_CONTEXT_SHARE = 0.4
#: How many of the other chunks of a file make its context: the best ones, so that a long file
#: is not held back by its chunks on other subjects (6 beat 1, 3 and all).
CONTEXT_CHUNKS = 6
#: Candidates from each side; with fewer, lexical-only candidates get a guessed similarity
#: more often (hit@5 0.93 with 30, 0.96 with 100 on the dev set).
MIN_CANDIDATES = 100
#: How much of a chunk's hub score (its mean similarity to generic probe questions, see
#: :mod:`assistant.knowledge.hubs`) comes off its score (passage top 3: 0.77 without, 0.79
#: with 0.5, 0.80 with 1.0 but topic hit@5 down to 0.88).
HUB_WEIGHT = 0.5
#: What a passage written for the other side loses when the question gives away its side (or
#: the caller names it): a file for the other side, or, in a file for both, a section whose
#: heading says it is for the other side ("Mentees: bring your wins" for a mentor; tuned part
#: of the passage dev set 0.667 / 0.917 / 0.791 before, 0.674 / 0.917 / 0.795 with it).
SIDE_PENALTY = 0.1
#: What each earlier passage of the same file takes off its score. At 0 one file filled the
#: results (topic hit@5 0.88); from 0.03 to 0.1 passage top 1 and top 3 hardly move, and 0.1
#: kept the guidance panel from showing four sections of one file (topic MRR 0.78). With
#: asked lines and the files added after them (50), scores spread wider and one file took
#: four places again ("ask her about her salary" got four sections on negotiating pay):
#: tuned part top 1 / top 3 and topic hit@5 / MRR 0.837 / 0.930 and 0.944 / 0.829 at 0.1,
#: 0.837 / 0.924 and 0.944 / 0.831 at 0.12, 0.837 / 0.924 and 0.956 / 0.833 at 0.14, 0.837 /
#: 0.919 and 0.956 / 0.833 at 0.15, 0.837 / 0.895 at 0.2; with ``FILE_CONTEXT_SHARE`` 0.4
#: at 0.15, 0.843 / 0.924 and 0.956 / 0.829 (shipped).
REPEAT_PENALTY = 0.15
#: What a file's opening section (the text under its title, before any sub-heading) loses in
#: a file of several sections. It says what the whole file is about, so it matches every
#: question on the file's subject and pushed the section that answers to second place
#: (tuned part of the passage dev set, top 1 / top 3: 0.55 / 0.80 at 0, 0.59 / 0.82 at 0.03,
#: 0.60 / 0.82 at 0.06, 0.61 / 0.81 at 0.1; topic hit@5 0.98 to 0.97). With asked lines, whose
#: lines for an opening are about the file's whole subject: 0.797 / 0.942 at 0.06, 0.820 /
#: 0.942 at 0.08, 0.831 / 0.936 at 0.12, 0.826 / 0.936 at 0.15, 0.837 / 0.936 at 0.2 (topic
#: 0.967 / 0.833 to 0.827). 0.12 keeps the opening for a question on the subject as a whole.
OPENING_PENALTY = 0.12
#: For a long question, how much of a chunk's similarity comes from its mean similarity to the
#: question's parts (its sentences, see :func:`assistant.knowledge.query.situation_parts`)
#: rather than to the whole. Tuned part of the passage dev set and topic-level dev set:
#: 0.667 / 0.917 / 0.790 and hit@5 0.978 / MRR 0.793 at 0; 0.25: 0.667 / 0.917 / 0.790 and
#: 0.989 / 0.809; 0.4: 0.667 / 0.917 / 0.791 and 0.978 / 0.818. The best part instead of the
#: mean lifted rambling questions a little (top 1 0.45 to 0.55 at 0.25) and lowered topic MRR.
#: (Measured with questions parted from 18 words; see ``query.MIN_PARTED_WORDS`` for why 30.)
PART_SHARE = 0.4
#: For a chunk with asked lines (how people in the situation it answers put it), how much of
#: its similarity is its similarity to the closest of them. Tuned part of the passage dev set
#: and topic-level dev set, with ``LEXICAL_WEIGHT`` 0.3: 0.808 / 0.930 and 0.967 / 0.823 at
#: 0.05, 0.802 / 0.936 and 0.967 / 0.821 at 0.1, 0.797 / 0.930 and 0.967 / 0.821 at 0.15,
#: 0.791 / 0.930 and 0.956 / 0.819 at 0.2 (and 0.773 / 0.907 with none, weight 0.25).
ASKED_SHARE = 0.1


@dataclass(frozen=True)
class Passage:
    """One chunk of guidance as search returns it."""

    source: str
    title: str
    heading: str
    topics: tuple[str, ...]
    audience: str
    moments: tuple[str, ...]
    text: str
    score: float

    def as_json(self) -> dict[str, Any]:
        """The shape of ``reflect knowledge search --json`` results."""
        return {
            "source": self.source,
            "title": self.title,
            "heading": self.heading,
            "topics": list(self.topics),
            "text": self.text,
            "score": self.score,
        }


@dataclass(frozen=True)
class SourceInfo:
    """One indexed file: built-in or the user's, with how many chunks it has."""

    source: str
    title: str
    builtin: bool
    chunks: int


@dataclass
class AddReport:
    """What ``add_sources`` did: the sources now indexed from the given paths, and problems."""

    added: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    index: IndexReport | None = None


@dataclass
class _Snapshot:
    """The chunks as last read from the collection (or its copy in the search cache)."""

    ids: Sequence[str]
    texts: Sequence[str]
    metadatas: Sequence[dict[str, Any]]
    #: One unit vector per chunk: the dense side is a product with the query's vector.
    vectors: Any
    lexical: LexicalIndex
    #: Per chunk, for filtering without a Python loop: the audience, and the moments as bits.
    audiences: Any
    moment_bits: Any
    #: One unit vector per asked line, and the chunk each belongs to.
    asked_vectors: Any
    asked_owner: Any


class KnowledgeBase:
    """The built-in guidance plus the user's own sources, in one chromadb collection per home.

    Homes that share a Chroma server each index into a collection of their own (see
    :mod:`assistant.knowledge.namespace`), so that none removes the others' sources.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        builtin_dir: Path = BUILTIN_KNOWLEDGE_DIR,
        collection_name: str | None = None,
    ) -> None:
        self.settings = settings
        self.builtin_dir = builtin_dir
        self.collection_name = collection_name
        self._store: Store | None = None
        self._snapshot: _Snapshot | None = None
        self._checked = False
        self._lock = threading.RLock()
        #: What the last look at the sources could not use (one line each).
        self.source_problems: list[str] = []
        #: What a user should know about the index (it was damaged and is rebuilt, ...).
        self.notices: list[str] = []

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        builtin_dir: Path = BUILTIN_KNOWLEDGE_DIR,
        collection_name: str | None = None,
    ) -> KnowledgeBase:
        """Cheap: nothing is imported, read or built until the first call that needs it.

        ``builtin_dir`` and ``collection_name`` let an organisation (or a test) index its own
        curated corpus instead of the one that ships with Reflect.
        """
        return cls(settings, builtin_dir=builtin_dir, collection_name=collection_name)

    # --- indexing -----------------------------------------------------------------------

    def planned_files(self) -> list[PlannedFile]:
        plan = plan_sources(self.settings, self.builtin_dir)
        self.source_problems = plan.problems
        return plan.files

    def ensure_index(
        self, progress: Progress | None = None, *, rebuild: bool = False
    ) -> IndexReport:
        """Bring the index up to date (unchanged files are skipped), or rebuild it."""
        from assistant.knowledge.indexer import sync

        with self._lock:
            try:
                store = self.store()
            except IndexUnreadable:
                if not rebuild:
                    raise
                from assistant.knowledge.store import remove_local_index

                remove_local_index(self.settings)
                store = self.store()
            try:
                # The indexer keeps the search cache current with what it writes.
                report = sync(
                    store,
                    self.planned_files(),
                    rebuild=rebuild,
                    progress=progress,
                    cache=self._cache_target(),
                )
                report.problems[:0] = self.source_problems
            except BaseException:
                search_cache.discard(self.settings)
                raise
            finally:
                # Even a build stopped half-way (an exception from ``progress``) changed chunks.
                self._snapshot = None
            if report.search_copy is not None:
                self._snapshot = _snapshot_of(report.search_copy)
            self._checked = True
            return report

    def is_current(self) -> bool:
        """Whether the index exists and was last synced with the sources as they are now."""
        if search_cache.recorded_key(self.settings) == self._cache_key():
            return True
        store = self.store()
        collection = store.collection()
        if collection is None or not store.in_current_format(collection):
            return False
        recorded = (collection.metadata or {}).get("fingerprint")
        return recorded == fingerprint(self.planned_files())

    def add_sources(self, paths: Sequence[Path], progress: Progress | None = None) -> AddReport:
        """Record the user's files and folders as sources and index them.

        Every path that cannot be used, and every unusable file in an added folder, gets one
        line in ``problems``; the rest are still added.
        """
        report = AddReport()
        roots = load_user_roots(self.settings)
        new_roots: list[UserRoot] = []
        for raw in paths:
            path = Path(raw).expanduser().absolute()
            reason = _unusable_root(path)
            if reason:
                report.problems.append(f"{raw}: skipped, {reason}")
                continue
            root = next((r for r in roots + new_roots if r.path == path), None)
            root = root or new_root(path, roots + new_roots)
            usable = self._usable_files(root, report.problems, progress)
            if not usable:
                if path.is_dir():
                    report.problems.append(f"{raw}: skipped, no usable .md or .txt files in it")
                continue
            if root not in roots and root not in new_roots:
                new_roots.append(root)
            report.added.extend(usable)
        if new_roots:
            save_user_roots(self.settings, roots + new_roots)
        if report.added:
            report.index = self.ensure_index(progress)
        return report

    @staticmethod
    def _usable_files(
        root: UserRoot, problems: list[str], progress: Progress | None = None
    ) -> list[str]:
        def found(count: int) -> None:  # a large folder: say how far the search for files got
            if progress is not None:
                progress(count, 0, str(root.path))

        usable: list[str] = []
        planned_files, refused = scan_root(root, found)
        problems.extend(refused)
        for planned in planned_files:
            try:
                read_document(planned.path, planned.source)
            except SourceProblem as problem:
                problems.append(f"{planned.path}: skipped, {problem}")
                continue
            usable.append(planned.source)
        return usable

    def sources(self) -> list[SourceInfo]:
        """The indexed files, built-in first, with their chunk counts."""
        snapshot = self._ready_snapshot()
        counts: dict[str, SourceInfo] = {}
        for meta in snapshot.metadatas:
            source = str(meta["source"])
            chunks = counts[source].chunks + 1 if source in counts else 1
            counts[source] = SourceInfo(source, str(meta["title"]), bool(meta["builtin"]), chunks)
        return sorted(counts.values(), key=lambda info: (not info.builtin, info.source))

    # --- search -------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        k: int = 5,
        audience: str | None = None,
        moments: Sequence[str] | None = None,
        method: str = "hybrid",
    ) -> list[Passage]:
        """The ``k`` best passages for ``query``, best first.

        ``audience="mentee"`` keeps passages for mentees and for both; ``moments`` keeps
        passages for any of the given moments or for ``any``. ``method`` is ``hybrid`` (what
        ships), ``dense`` or ``lexical`` (for measuring).
        """
        _check_filters(audience, moments, method)
        if not query.strip() or k < 1:
            return []
        snapshot = self._ready_snapshot()
        if not snapshot.ids:
            return []
        candidates = max(MIN_CANDIDATES, k * 6)
        dense: list[tuple[int, float]] = []
        lexical: list[tuple[int, float]] = []
        allowed = _allowed(snapshot, audience, moments)
        parts: tuple[str, ...] = ()
        if method == "hybrid":
            understood = understand(query, snapshot.lexical)
            dense_query, lexical_query = understood.expanded, understood.expanded
            side = _side_of(audience) or understood.side
            parts = understood.parts
        else:
            dense_query = lexical_query = query
            side = None
        if method in ("hybrid", "dense"):
            vectors = self._query_vectors([dense_query, *parts])
            dense = _dense_ranking(vectors, snapshot, allowed, candidates)
        if method in ("hybrid", "lexical"):
            lexical = _lexical_ranking(lexical_query, snapshot, allowed, candidates)
        if method == "hybrid":
            ranked = _combine(dense, lexical, snapshot, side)
        else:
            ranked = dense or lexical
        return [
            self._passage(snapshot, position, score)
            for position, score in _spread(ranked, snapshot, k)
        ]

    def _query_vectors(self, texts: list[str]) -> Any:
        """The vectors of the query and of its parts; the local model needs no chromadb."""
        if self.settings.embedding == "local":
            import numpy as np

            from assistant.knowledge.embedding import embed_texts

            # The parts in a batch of their own: padded to the whole question's length, they
            # cost a fifth more.
            batches = [texts[:1], texts[1:]] if len(texts) > 1 else [texts]
            return np.vstack([embed_texts(batch) for batch in batches])
        return self.store().embedding(texts)

    @staticmethod
    def _passage(snapshot: _Snapshot, position: int, score: float) -> Passage:
        meta = snapshot.metadatas[position]
        topics = tuple(t for t in str(meta.get("topics", "")).split(",") if t)
        return Passage(
            source=str(meta["source"]),
            title=str(meta["title"]),
            heading=str(meta["heading"]),
            topics=topics,
            audience=str(meta["audience"]),
            moments=tuple(meta.get("moments") or ("any",)),
            text=_joined([snapshot.texts[row] for row in _section_rows(snapshot, position)]),
            score=round(score, 6),
        )

    # --- plumbing -----------------------------------------------------------------------

    def store(self) -> Store:
        """The open store, connecting on first use."""
        with self._lock:
            if self._store is None:
                from assistant.knowledge.embedding_functions import embedding_function_for
                from assistant.knowledge.index_manifest import forget_manifest, remove_if_damaged
                from assistant.knowledge.namespace import collection_name
                from assistant.knowledge.store import Store, connect, location

                notice = remove_if_damaged(self.settings)  # before native code reads it
                if notice:
                    self.notices.append(notice)
                forget_manifest(self.settings)  # chromadb may write the files while open

                self._store = Store(
                    client=connect(self.settings),
                    embedding=embedding_function_for(self.settings),
                    location=location(self.settings),
                    name=self.collection_name or collection_name(self.settings),
                )
            return self._store

    def _ready_snapshot(self) -> _Snapshot:
        with self._lock:
            if self._snapshot is None and not self._checked:
                self._load_cache()
            if not self._checked:
                if not self.is_current():
                    self.ensure_index()
                self._checked = True
            if self._snapshot is None:
                self._load_cache()  # written by the indexing that just ran
            if self._snapshot is None:
                cached = self._read_collection()
                search_cache.save(self.settings, self._cache_key(), cached)
                self._snapshot = _snapshot_of(cached)
            return self._snapshot

    def _load_cache(self) -> None:
        """Start from the copy made from an index synced with the sources as they are now."""
        cached = search_cache.load(self.settings, self._cache_key())
        if cached is not None:
            self._snapshot = _snapshot_of(cached)
            self._checked = True

    def _cache_key(self) -> str:
        return self._cache_target().key(fingerprint(self.planned_files()))

    def _cache_target(self) -> search_cache.CacheTarget:
        from assistant.knowledge.embedding import identity_for
        from assistant.knowledge.namespace import collection_name

        name = self.collection_name or collection_name(self.settings)
        return search_cache.CacheTarget(
            self.settings, f"{self.settings.chroma_url or ''}/{name}", identity_for(self.settings)
        )

    def _read_collection(self) -> search_cache.CachedIndex:
        from assistant.knowledge.indexer import PAGE_SIZE, embed_asked_lines

        collection = self.store().collection()
        ids: list[str] = []
        texts: list[str] = []
        metadatas: list[dict[str, Any]] = []
        vectors: list[Any] = []
        while collection is not None:
            page = collection.get(
                include=["documents", "metadatas", "embeddings"], limit=PAGE_SIZE, offset=len(ids)
            )
            ids.extend(page["ids"])
            texts.extend(page["documents"])
            metadatas.extend(page["metadatas"])
            vectors.extend(page["embeddings"])
            if len(page["ids"]) < PAGE_SIZE:
                break
        # Chromadb keeps one vector per chunk: the asked lines' are made again (the built-in
        # ones come from the shipped vectors).
        asked = embed_asked_lines(metadatas, self.store())
        return search_cache.built(ids, texts, metadatas, vectors, asked)

    def close(self) -> None:
        """Let go of the store; the object can be used again and reconnects if it is."""
        with self._lock:
            if self._store is not None:
                from assistant.knowledge.index_manifest import write_manifest

                write_manifest(self.settings)  # the files as this use of the index left them
            self._store = None
            self._snapshot = None
            self._checked = False

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _unusable_root(path: Path) -> str | None:
    if path.is_dir():
        return None
    if not path.exists():
        return "it does not exist, or is a broken link"
    if not is_text_candidate(path):
        return "only .md and .txt files (or folders of them) can be added"
    return None


def _check_filters(audience: str | None, moments: Sequence[str] | None, method: str) -> None:
    if audience is not None and audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    unknown = [m for m in moments or () if m not in MOMENTS]
    if unknown:
        raise ValueError(f"moments must be among {', '.join(MOMENTS)}, not {unknown}")
    if method not in SEARCH_METHODS:
        raise ValueError(f"method must be one of {', '.join(SEARCH_METHODS)}, not {method!r}")


def _snapshot_of(index: search_cache.CachedIndex) -> _Snapshot:
    return _Snapshot(
        index.ids,
        index.texts,
        index.metadatas,
        index.vectors,
        index.lexical,
        index.audiences,
        index.moment_bits,
        index.asked_vectors,
        index.asked_owner,
    )


def _dense_ranking(
    vectors: Any, snapshot: _Snapshot, allowed: Any, candidates: int
) -> list[tuple[int, float]]:
    """Chunk positions with their similarity to the query, best first.

    ``vectors`` holds the whole query's vector, then one per part of a long question: a
    chunk's similarity is then mixed with its mean similarity to the parts (``PART_SHARE``).
    A chunk with asked lines takes ``ASKED_SHARE`` of its similarity from the line closest
    to the query. One product with every chunk's vector: at 100,000 chunks some 15 ms,
    exact, and filtered exactly, where chromadb's approximate search needed oversampling to
    filter.
    """
    import numpy as np

    queries = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)
    queries /= np.maximum(np.linalg.norm(queries, axis=1, keepdims=True), 1e-12)
    query = queries[0]
    if len(queries) > 1:
        # A chunk's mean similarity to the parts is its similarity to their mean: one pass
        # over the chunks' vectors, the slow part at 100,000 (it reads 150 MB).
        query = (1 - PART_SHARE) * query + PART_SHARE * queries[1:].mean(axis=0)
    similarity = snapshot.vectors @ query
    if len(snapshot.asked_owner):
        similarity = _with_asked(similarity, snapshot, query)
    if allowed is not None:
        similarity = np.where(allowed, similarity, -np.inf)
    if len(similarity) > candidates:
        top = np.argpartition(-similarity, candidates)[:candidates]
    else:
        top = np.arange(len(similarity))
    order = top[np.argsort(-similarity[top], kind="stable")]
    return [(int(i), float(similarity[i])) for i in order if np.isfinite(similarity[i])]


def _with_asked(similarity: Any, snapshot: _Snapshot, query: Any) -> Any:
    """``similarity`` with ``ASKED_SHARE`` of each chunk's taken from its closest asked line.

    The best line, not the mean: a question matches one way of putting the situation, and
    the other lines say it differently. Chunks without lines keep their similarity.
    """
    import numpy as np

    closest = np.full(len(similarity), -np.inf, dtype=np.float32)
    np.maximum.at(closest, snapshot.asked_owner, snapshot.asked_vectors @ query)
    mixed = (1 - ASKED_SHARE) * similarity + ASKED_SHARE * closest
    return np.where(np.isfinite(closest), mixed, similarity)


def _allowed(snapshot: _Snapshot, audience: str | None, moments: Sequence[str] | None) -> Any:
    """A boolean mask over the chunks that pass the filters, or None when there are none."""
    import numpy as np

    mask = None
    if audience is not None:
        mask = np.isin(snapshot.audiences, [audience, "both"])
    if moments:
        wanted = (snapshot.moment_bits & search_cache.moment_bits([*moments, "any"])) != 0
        mask = wanted if mask is None else mask & wanted
    return mask


def _lexical_ranking(
    query: str, snapshot: _Snapshot, allowed: Any, candidates: int
) -> list[tuple[int, float]]:
    """Chunk positions with their BM25 score, best first; chunks sharing no word are left out."""
    import numpy as np

    scores = snapshot.lexical.scores(query)
    if allowed is not None:
        scores[~allowed] = 0.0
    if len(scores) > candidates:
        top = np.argpartition(-scores, candidates)[:candidates]
    else:
        top = np.arange(len(scores))
    order = top[np.argsort(-scores[top], kind="stable")]
    return [(int(i), float(scores[i])) for i in order if scores[i] > 0]


def _combine(
    dense: list[tuple[int, float]],
    lexical: list[tuple[int, float]],
    snapshot: _Snapshot,
    side: Side | None,
) -> list[tuple[int, float]]:
    """Similarity, plus a share of the file's, plus the weighted normalised BM25 score.

    A lexical candidate that is not among the dense candidates gets the lowest similarity
    seen among them: it is at most that similar, and its words may still lift it. When the
    side is known (the caller's audience, or the question's wording), passages written for
    the other side, by their file or by their own heading, lose ``SIDE_PENALTY``: they can
    still rank, when nothing written for the asker comes close.
    """
    similarity = dict(dense)
    floor = min(similarity.values(), default=0.0)
    for position, _ in lexical:
        similarity.setdefault(position, floor)
    context = _file_context(similarity, snapshot, floor)
    scores = {
        position: score + FILE_CONTEXT_SHARE * context[position]
        for position, score in similarity.items()
    }
    best_lexical = max((score for _, score in lexical), default=0.0)
    for position, score in lexical:
        scores[position] += LEXICAL_WEIGHT * score / best_lexical
    for position in scores:
        scores[position] -= HUB_WEIGHT * float(snapshot.metadatas[position].get("hub") or 0.0)
    for position in scores:
        if _is_opening(snapshot.metadatas[position]):
            scores[position] -= OPENING_PENALTY
    if side is not None:
        for position in scores:
            for_other_side = snapshot.audiences[position] not in (side, "both")
            if for_other_side or _section_side(snapshot.metadatas[position]) not in (None, side):
                scores[position] -= SIDE_PENALTY
    return sorted(scores.items(), key=lambda item: -item[1])


def _side_of(audience: str | None) -> Side | None:
    """The side a caller's audience filter names ("both" and None name none)."""
    return Side(audience) if audience in tuple(Side) else None


def _section_side(meta: dict[str, Any]) -> Side | None:
    """The side the chunk's own headings (not its file's title) say it is written for."""
    sections = str(meta["heading"]).split(HEADING_SEPARATOR)[1:]
    sides = {addressed_side(section) for section in sections} - {None}
    return sides.pop() if len(sides) == 1 else None


def _is_opening(meta: dict[str, Any]) -> bool:
    """Whether a chunk is the opening section of a file that has others after it."""
    return int(meta.get("chunk_count") or 1) > 1 and HEADING_SEPARATOR not in str(meta["heading"])


def _file_context(
    similarity: dict[int, float], snapshot: _Snapshot, floor: float
) -> dict[int, float]:
    """Per candidate, the mean similarity of the best ``CONTEXT_CHUNKS`` other chunks of its file.

    Chunks that are not candidates count as ``floor``, the least similar candidate; a file
    of one chunk is its own context, so that short files are not held back.
    """
    by_source: dict[str, list[float]] = defaultdict(list)
    for position, score in similarity.items():
        by_source[str(snapshot.metadatas[position]["source"])].append(score)
    for scores in by_source.values():
        scores.sort(reverse=True)
    context: dict[int, float] = {}
    for position, score in similarity.items():
        meta = snapshot.metadatas[position]
        others = int(meta.get("chunk_count") or 1) - 1
        if others < 1:
            context[position] = score
            continue
        wanted = min(CONTEXT_CHUNKS, others)
        best = by_source[str(meta["source"])][: wanted + 1]
        if score in best:
            best.remove(score)  # the chunk itself is not its own context
        best = best[:wanted] + [floor] * max(wanted - len(best), 0)
        context[position] = sum(best) / wanted
    return context


def _spread(
    ranked: list[tuple[int, float]], snapshot: _Snapshot, k: int
) -> list[tuple[int, float]]:
    """The first ``k`` results, each of a file's later chunks ``REPEAT_PENALTY`` lower each.

    A file's second passage ranks only when it out-scores the best of the next file by that
    margin: the passage that answers may sit deep in a file whose other chunks also match,
    but different files still cover different angles of a question. A section cut into
    pieces is one result, at its best piece's place (the passage shows it whole). The score
    returned is the one ranked by, so results are always best first.
    """
    seen: Counter[str] = Counter()
    sections: set[tuple[str, str]] = set()
    adjusted: list[tuple[float, int]] = []
    for position, score in ranked:
        meta = snapshot.metadatas[position]
        source = str(meta["source"])
        section = (source, str(meta["heading"]))
        if section in sections:
            continue
        sections.add(section)
        adjusted.append((score - REPEAT_PENALTY * seen[source], position))
        seen[source] += 1
    adjusted.sort(key=lambda item: -item[0])
    return [(position, score) for score, position in adjusted[:k]]


def _section_rows(snapshot: _Snapshot, position: int) -> list[int]:
    """The rows of the section that the chunk at ``position`` is a piece of, in order.

    A section too long for one chunk is cut into pieces, indexed one after another; they sit
    in neighbouring rows, since a file's chunks are written together.
    """
    meta = snapshot.metadatas[position]
    section = (meta["source"], meta["heading"])
    rows = [position]
    for step in (-1, 1):
        row, index = position + step, int(meta.get("chunk_index", 0)) + step
        while 0 <= row < len(snapshot.ids):
            other = snapshot.metadatas[row]
            same = (other["source"], other["heading"]) == section
            if not same or int(other.get("chunk_index", -1)) != index:
                break
            rows.append(row)
            row, index = row + step, index + step
    return sorted(rows)


#: The fewest words a piece may repeat from the one before for them to be taken as repeated,
#: and the most: chunking repeats at most ``OVERLAP_TOKENS`` (25) tokens.
MIN_REPEATED_WORDS = 2
MAX_REPEATED_WORDS = 60
_WORD = re.compile(r"\S+")


def _joined(pieces: list[str]) -> str:
    """A section's pieces as one text, without the sentences each repeats from the one before
    (a piece starts with the end of the previous one, so that a split never loses the
    thread; see :mod:`assistant.knowledge.chunking`)."""
    text = pieces[0]
    for piece in pieces[1:]:
        text = f"{text}\n\n{piece[_repeated_start(text, piece) :].lstrip()}"
    return text


def _repeated_start(before: str, piece: str) -> int:
    """Where ``piece`` stops repeating the last words of ``before`` (0 when it does not). The
    repeat is of whole sentences: a single word in common is a coincidence."""
    words = before.split()[-MAX_REPEATED_WORDS:]
    starts = list(itertools.islice(_WORD.finditer(piece), MAX_REPEATED_WORDS))
    opening = [match.group() for match in starts]
    for count in range(min(len(words), len(opening)), MIN_REPEATED_WORDS - 1, -1):
        if opening[:count] == words[-count:]:
            return starts[count - 1].end()
    return 0
