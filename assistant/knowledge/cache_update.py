"""The search cache kept current by indexing, so that the first search reads nothing back.

Indexing writes every chunk it adds, with its text, metadata and vector, and deletes whole
sources; :class:`CacheUpdate` records the same, and at the end of the pass revises the copy
of the index the home kept (:mod:`assistant.knowledge.search_cache`) into a copy of the
index as the pass left it. It trusts that copy only when it was made under the key of the
collection as the pass found it and holds exactly the chunk ids the collection held; a
collection made by this pass starts from nothing. Otherwise (no copy, a damaged one, one of
another index) it forgets the copy, and the first search reads the index as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.knowledge import search_cache
from assistant.knowledge.search_cache import CachedChunks, CachedIndex, CacheTarget


@dataclass
class CacheUpdate:
    """What one pass of indexing changed, to be applied to the home's copy of the index."""

    target: CacheTarget
    #: The fingerprint the collection was last synced with; None for a collection this pass
    #: made (it held nothing).
    synced_with: str | None
    #: The chunk ids the collection held when the pass began.
    held: list[str]
    dropped: set[str] = field(default_factory=set)
    added: CachedChunks = field(default_factory=CachedChunks.none)

    def finish(self, fingerprint: str) -> CachedIndex | None:
        """Write the copy of the index as synced with sources of ``fingerprint``.

        Returns the copy when it was made here, so that the caller's next search need not
        read it back from disk.
        """
        settings = self.target.settings
        key = self.target.key(fingerprint)
        unchanged = not self.dropped and not self.added.ids
        if unchanged and search_cache.recorded_key(settings) == key:
            return None
        base = self._base()
        if base is None:
            search_cache.discard(settings)
            return None
        copy = search_cache.revised(base, self.dropped, self.added)
        search_cache.save(settings, key, copy)
        return copy

    def _base(self) -> CachedIndex | None:
        """The copy of the collection as the pass found it, if the home has one."""
        if self.synced_with is None:
            return search_cache.empty()
        base = search_cache.load(self.target.settings, self.target.key(self.synced_with))
        if base is None or len(base.ids) != len(self.held) or set(base.ids) != set(self.held):
            return None
        return base
