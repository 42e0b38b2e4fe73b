"""The knowledge base the conversations, the TUI and the CLI use: index, add sources, search.

Opening is cheap: chromadb, onnxruntime and the model load on first use, so the TUI's first
frame never waits for them. Search is hybrid: a passage's score is its cosine similarity to
the question, plus a share of how similar the rest of its file is (a passage in a file that is
about the question as a whole beats a stray match), plus a small BM25 bonus (``LEXICAL_WEIGHT``
times its BM25 score relative to the best lexical match). The first ``k`` places go to
different files before any file gets a second one. ``benchmarks/retrieval_eval.py`` measures
this against dense-only and BM25-only search; the report there says what else was tried.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.knowledge.documents import AUDIENCES, MOMENTS, SourceProblem, read_document
from assistant.knowledge.errors import IndexUnreadable
from assistant.knowledge.sources import (
    PlannedFile,
    UserRoot,
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
#: How much the lexical match adds to the score, at most (for the best BM25 match). Tuned
#: on one half of the dev set: every weight from 0.14 to 0.26 gives an MRR within 0.003 of
#: the best there (0.82), and 0.80 to 0.82 on the other half.
LEXICAL_WEIGHT = 0.2
#: How much of the mean similarity of the other chunks of a passage's file is added to its
#: own similarity (MRR 0.80 without, 0.82 with 0.3 to 0.8 on the tuning half).
FILE_CONTEXT_SHARE = 0.5
#: Candidates from each side; with fewer, lexical-only candidates get a guessed similarity
#: more often (hit@5 0.93 with 30, 0.96 with 100 on the dev set).
MIN_CANDIDATES = 100
#: With filters, the dense side asks chromadb for this many times the candidates.
FILTER_OVERSAMPLING = 4


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
    """The chunks as last read from the collection, for the lexical side and for results."""

    collection: Any
    ids: list[str]
    texts: list[str]
    metadatas: list[dict[str, Any]]
    positions: dict[str, int]
    lexical: LexicalIndex
    #: Per chunk, for filtering without a Python loop: the audience, and the moments as bits.
    audiences: Any
    moment_bits: Any


class KnowledgeBase:
    """The built-in guidance plus the user's own sources, in one chromadb collection."""

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
                report = sync(store, self.planned_files(), rebuild=rebuild, progress=progress)
                report.problems[:0] = self.source_problems
            finally:
                # Even a build stopped half-way (an exception from ``progress``) changed chunks.
                self._snapshot = None
            self._checked = True
            return report

    def is_current(self) -> bool:
        """Whether the index exists and was last synced with the sources as they are now."""
        from assistant.knowledge.indexer import fingerprint

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
        if method in ("hybrid", "dense"):
            filters = chroma_where(audience, moments)
            dense = self._dense_ranking(query, snapshot, allowed, filters, candidates)
        if method in ("hybrid", "lexical"):
            lexical = _lexical_ranking(query, snapshot, allowed, candidates)
        ranked = _combine(dense, lexical, snapshot) if method == "hybrid" else dense or lexical
        return [
            self._passage(snapshot, position, score)
            for position, score in _spread(ranked, snapshot, k)
        ]

    def _dense_ranking(
        self,
        query: str,
        snapshot: _Snapshot,
        allowed: Any,
        filters: dict[str, Any] | None,
        candidates: int,
    ) -> list[tuple[int, float]]:
        """Chunk positions with their cosine similarity to the query, best first.

        Filtering inside chromadb is slow on a large store (half a second at 100,000 chunks),
        so the filters are applied here to an unfiltered query that asks for extra
        neighbours; only when too few of those pass does chromadb filter.
        """
        vector = self.store().embedding([query])[0]
        wanted = candidates if allowed is None else candidates * FILTER_OVERSAMPLING
        ranked = self._neighbours(snapshot, vector, min(wanted, len(snapshot.ids)), None)
        if allowed is not None:
            ranked = [(position, score) for position, score in ranked if allowed[position]]
            if len(ranked) < candidates and len(snapshot.ids) > wanted:
                ranked = self._neighbours(
                    snapshot, vector, min(candidates, int(allowed.sum())), filters
                )
        return ranked[:candidates]

    @staticmethod
    def _neighbours(
        snapshot: _Snapshot, vector: Any, count: int, where: dict[str, Any] | None
    ) -> list[tuple[int, float]]:
        if count < 1:
            return []
        result = snapshot.collection.query(
            query_embeddings=[vector], n_results=count, where=where, include=["distances"]
        )
        return [
            (snapshot.positions[chunk_id], 1.0 - distance)
            for chunk_id, distance in zip(result["ids"][0], result["distances"][0], strict=True)
            if chunk_id in snapshot.positions
        ]

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
            text=snapshot.texts[position],
            score=round(score, 6),
        )

    # --- plumbing -----------------------------------------------------------------------

    def store(self) -> Store:
        """The open store, connecting on first use."""
        with self._lock:
            if self._store is None:
                from assistant.knowledge.embedding import embedding_function_for
                from assistant.knowledge.index_manifest import forget_manifest, remove_if_damaged
                from assistant.knowledge.store import COLLECTION_NAME, Store, connect, location

                notice = remove_if_damaged(self.settings)  # before native code reads it
                if notice:
                    self.notices.append(notice)
                forget_manifest(self.settings)  # chromadb may write the files while open

                self._store = Store(
                    client=connect(self.settings),
                    embedding=embedding_function_for(self.settings),
                    location=location(self.settings),
                    name=self.collection_name or COLLECTION_NAME,
                )
            return self._store

    def _ready_snapshot(self) -> _Snapshot:
        with self._lock:
            if not self._checked:
                if not self.is_current():
                    self.ensure_index()
                self._checked = True
            if self._snapshot is None:
                self._snapshot = self._read_snapshot()
            return self._snapshot

    def _read_snapshot(self) -> _Snapshot:
        import numpy as np

        from assistant.knowledge.indexer import PAGE_SIZE
        from assistant.knowledge.lexical import LexicalIndex

        collection = self.store().collection()
        ids: list[str] = []
        texts: list[str] = []
        metadatas: list[dict[str, Any]] = []
        while collection is not None:
            page = collection.get(
                include=["documents", "metadatas"], limit=PAGE_SIZE, offset=len(ids)
            )
            ids.extend(page["ids"])
            texts.extend(page["documents"])
            metadatas.extend(page["metadatas"])
            if len(page["ids"]) < PAGE_SIZE:
                break
        lexical = LexicalIndex([_lexical_text(m, t) for m, t in zip(metadatas, texts, strict=True)])
        positions = {chunk_id: i for i, chunk_id in enumerate(ids)}
        audiences = np.array([str(m.get("audience", "both")) for m in metadatas])
        moment_bits = np.array([_moment_bits(m.get("moments") or ()) for m in metadatas])
        return _Snapshot(
            collection, ids, texts, metadatas, positions, lexical, audiences, moment_bits
        )

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


def chroma_where(audience: str | None, moments: Sequence[str] | None) -> dict[str, Any] | None:
    """The filter of :meth:`KnowledgeBase.search` as a chromadb ``where`` clause."""
    clauses: list[dict[str, Any]] = []
    if audience is not None:
        clauses.append({"audience": {"$in": sorted({audience, "both"})}})
    if moments:
        wanted = sorted({*moments, "any"})
        options = [{"moments": {"$contains": m}} for m in wanted]
        clauses.append(options[0] if len(options) == 1 else {"$or": options})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _moment_bits(moments: Sequence[str]) -> int:
    # A set: a moment named twice (a step's "any" plus the "any" always wanted) is one bit.
    return sum(1 << MOMENTS.index(m) for m in set(moments) if m in MOMENTS)


def _allowed(snapshot: _Snapshot, audience: str | None, moments: Sequence[str] | None) -> Any:
    """A boolean mask over the chunks that pass the filters, or None when there are none."""
    import numpy as np

    mask = None
    if audience is not None:
        mask = np.isin(snapshot.audiences, [audience, "both"])
    if moments:
        wanted = (snapshot.moment_bits & _moment_bits([*moments, "any"])) != 0
        mask = wanted if mask is None else mask & wanted
    return mask


def _lexical_text(meta: dict[str, Any], text: str) -> str:
    return f"{meta.get('title', '')}\n{meta.get('heading', '')}\n{text}"


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
    dense: list[tuple[int, float]], lexical: list[tuple[int, float]], snapshot: _Snapshot
) -> list[tuple[int, float]]:
    """Similarity, plus a share of the file's, plus the weighted normalised BM25 score.

    A lexical candidate that is not among the dense candidates gets the lowest similarity
    seen among them: it is at most that similar, and its words may still lift it.
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
    return sorted(scores.items(), key=lambda item: -item[1])


def _file_context(
    similarity: dict[int, float], snapshot: _Snapshot, floor: float
) -> dict[int, float]:
    """Per candidate, the mean similarity of the other chunks of its file.

    Chunks that are not candidates count as ``floor``, the least similar candidate; a file
    of one chunk is its own context, so that short files are not held back.
    """
    totals: dict[str, float] = defaultdict(float)
    found: Counter[str] = Counter()
    for position, score in similarity.items():
        source = str(snapshot.metadatas[position]["source"])
        totals[source] += score
        found[source] += 1
    context: dict[int, float] = {}
    for position, score in similarity.items():
        meta = snapshot.metadatas[position]
        source = str(meta["source"])
        others = int(meta.get("chunk_count") or 1) - 1
        if others < 1:
            context[position] = score
            continue
        missing = max(others + 1 - found[source], 0)
        context[position] = (totals[source] - score + missing * floor) / others
    return context


def _spread(
    ranked: list[tuple[int, float]], snapshot: _Snapshot, k: int
) -> list[tuple[int, float]]:
    """The first ``k`` results, one per file while other files have matches, then the rest.

    Different files cover different angles of a question; a second passage from a file only
    comes in when no other file has a candidate left.
    """
    seen: set[str] = set()
    first: list[tuple[int, float]] = []
    rest: list[tuple[int, float]] = []
    for position, score in ranked:
        source = str(snapshot.metadatas[position]["source"])
        (rest if source in seen else first).append((position, score))
        seen.add(source)
    return (first + rest)[:k]
