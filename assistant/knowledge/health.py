"""The doctor's look at the knowledge index: there, readable, built by the configured
embedding function (which works), and how many chunks it holds."""

from __future__ import annotations

from assistant.checks import CheckResult
from assistant.config import Settings
from assistant.knowledge.errors import REBUILD_HINT, KnowledgeError
from assistant.knowledge.search import KnowledgeBase
from assistant.url_display import masked_url

NAME = "index"


def check_index(settings: Settings) -> CheckResult:
    where = masked_url(settings.chroma_url) if settings.chroma_url else str(settings.index_dir)
    if not settings.chroma_url and not settings.index_dir.exists():
        return CheckResult(
            NAME,
            True,
            f"not built yet at {where}; it is built on the first search, "
            f"or run `reflect knowledge index`",
        )
    try:
        kb = KnowledgeBase.open(settings)
        detail = _describe(kb, where)
        return CheckResult(NAME, True, " ".join([*kb.notices, detail]))
    except KnowledgeError as exc:
        return CheckResult(NAME, False, str(exc))
    except Exception as exc:  # chromadb raises many types for a damaged store
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return CheckResult(
            NAME, False, f"the index at {where} cannot be read ({reason}); {REBUILD_HINT}"
        )


def _describe(kb: KnowledgeBase, where: str) -> str:
    from assistant.knowledge.indexer import indexed_sources

    store = kb.store()
    collection = store.collection()
    if collection is None:
        return f"not built yet at {where}; it is built on the first search"
    store.embedding(["reflect doctor"])
    sources = indexed_sources(collection)
    detail = (
        f"{collection.count()} chunks from {len(sources)} files at {where}, "
        f"{store.embedding.identity} embeddings"
    )
    partial = sorted(source for source, state in sources.items() if not state.complete)
    if partial:
        return detail + (
            f"; {len(partial)} file(s) only partly indexed ({', '.join(partial[:3])}), "
            f"completed on the next search or `reflect knowledge index`"
        )
    if not kb.is_current():
        return detail + "; sources changed since the last build, updated on the next search"
    return detail + ", up to date"
