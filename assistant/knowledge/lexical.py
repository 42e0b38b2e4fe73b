"""A small BM25 index over the chunks, for the lexical half of hybrid search.

Built in memory from the chunks' texts when first needed (a few milliseconds for the built-in
corpus). Words are lower-cased, stop words dropped and reduced to their Snowball (Porter 2)
stems, so that "critical" and "criticism", or "cancelling" and "cancels", meet.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

import numpy as np

K1 = 1.2
B = 0.75

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_STOP_WORDS_TEXT = """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves i'm i've i'd i'll it's don't didn't doesn't can't won't isn't that's
    what's really just like get got gets getting also even still want wants ok okay so kind
    sort thing things lot
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The word's stem; memoised, as the pure-Python stemmer takes some 30 µs a word."""
    return _stemmer().stemWord(word)


def words_of(text: str) -> list[str]:
    """The lower-cased words of ``text``, as written."""
    return _WORD.findall(text.lower().replace("’", "'"))


def _stems(words: list[str]) -> list[str]:
    return [stem(w) for w in words if w not in STOP_WORDS and len(w) > 1]


def terms(text: str) -> list[str]:
    return _stems(words_of(text))


class LexicalIndex:
    """BM25 over a fixed list of documents; scores come back in document order."""

    def __init__(self, documents: Sequence[str]) -> None:
        self.size = len(documents)
        postings: dict[str, tuple[list[int], list[int]]] = {}
        lengths = np.zeros(self.size, dtype=np.float32)
        words: set[str] = set()
        for doc_id, text in enumerate(documents):
            surface = words_of(text)
            words.update(surface)
            counts = Counter(_stems(surface))
            lengths[doc_id] = sum(counts.values())
            for term, count in counts.items():
                ids, freqs = postings.setdefault(term, ([], []))
                ids.append(doc_id)
                freqs.append(count)
        average = float(lengths.mean()) if self.size else 0.0
        norm = K1 * (1 - B + B * lengths / max(average, 1e-9))
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, (ids, freqs) in postings.items():
            id_array = np.asarray(ids, dtype=np.int64)
            tf = np.asarray(freqs, dtype=np.float32)
            idf = math.log(1 + (self.size - len(ids) + 0.5) / (len(ids) + 0.5))
            weights = idf * tf * (K1 + 1) / (tf + norm[id_array])
            self._postings[term] = (id_array, weights.astype(np.float32))
        #: The words the documents use, by first letter: where a misspelling finds its word.
        self._words = frozenset(words)
        self.vocabulary: dict[str, list[str]] = {}
        for word in sorted(words):
            self.vocabulary.setdefault(word[0], []).append(word)

    def knows(self, word: str) -> bool:
        """Whether the documents use ``word`` (as written, or another form of the same stem)."""
        return word in self._words or stem(word) in self._postings

    def near(self, word: str) -> list[str]:
        """The documents' words that could be ``word`` misspelled: same first letter."""
        return self.vocabulary.get(word[:1], [])

    def scores(self, query: str) -> np.ndarray:
        totals = np.zeros(self.size, dtype=np.float32)
        for term in set(terms(query)):
            posting = self._postings.get(term)
            if posting is not None:
                totals[posting[0]] += posting[1]
        return totals
