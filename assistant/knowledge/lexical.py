"""A small BM25 index over the chunks, for the lexical half of hybrid search.

Built in memory from the chunks' texts when first needed (a few milliseconds for the built-in
corpus). Words are lower-cased, stop words dropped and reduced to their Snowball (Porter 2)
stems, so that "critical" and "criticism", or "cancelling" and "cancels", meet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
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
        """Index ``documents``: one pass in Python to find the terms, the counting in numpy.

        At 100,000 chunks the per-term Python lists of a plain build took 10 s and more.
        """
        self.size = len(documents)
        term_numbers: dict[str, int] = {}
        numbers: list[int] = []
        lengths = np.zeros(self.size, dtype=np.int64)
        words: set[str] = set()
        for doc_id, text in enumerate(documents):
            surface = words_of(text)
            words.update(surface)
            stems = _stems(surface)
            lengths[doc_id] = len(stems)
            numbers.extend([term_numbers.setdefault(t, len(term_numbers)) for t in stems])
        vocabulary = max(len(term_numbers), 1)
        doc_ids = np.repeat(np.arange(self.size, dtype=np.int64), lengths)
        # One key per (term, document): sorted by term, then document, with its count.
        pairs = np.asarray(numbers, np.int64) * self.size + doc_ids
        keys, tf = np.unique(pairs, return_counts=True)
        term_of, doc_of = np.divmod(keys, max(self.size, 1))
        df = np.bincount(term_of, minlength=vocabulary)
        idf = np.log(1 + (self.size - df + 0.5) / (df + 0.5))
        average = float(lengths.mean()) if self.size else 0.0
        norm = K1 * (1 - B + B * lengths / max(average, 1e-9))
        weights = (idf[term_of] * tf * (K1 + 1) / (tf + norm[doc_of])).astype(np.float32)
        offsets = np.concatenate([[0], np.cumsum(df)])
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {
            term: (doc_of[offsets[n] : offsets[n + 1]], weights[offsets[n] : offsets[n + 1]])
            for term, n in term_numbers.items()
        }
        self._index_words(words)

    def _index_words(self, words: Iterable[str]) -> None:
        self._words = frozenset(words)
        #: The words the documents use, by first letter: where a misspelling finds its word.
        self.vocabulary: dict[str, list[str]] = {}
        for word in sorted(self._words):
            self.vocabulary.setdefault(word[0], []).append(word)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The index as flat arrays, to be saved with :func:`numpy.savez` and read back."""
        names = sorted(self._postings)
        lengths = [len(self._postings[name][0]) for name in names]
        empty_ids, empty_weights = np.zeros(0, np.int64), np.zeros(0, np.float32)
        return {
            "size": np.asarray([self.size], dtype=np.int64),
            "terms": np.asarray(names, dtype=str),
            "offsets": np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]),
            "ids": np.concatenate([self._postings[n][0] for n in names] or [empty_ids]),
            "weights": np.concatenate([self._postings[n][1] for n in names] or [empty_weights]),
            "words": np.asarray(sorted(self._words), dtype=str),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> LexicalIndex:
        """The index :meth:`to_arrays` gave, without reading the documents again."""
        index = cls.__new__(cls)
        index.size = int(arrays["size"][0])
        offsets, ids, weights = arrays["offsets"], arrays["ids"], arrays["weights"]
        index._postings = {
            str(term): (ids[start:end], weights[start:end])
            for term, start, end in zip(arrays["terms"], offsets[:-1], offsets[1:], strict=True)
        }
        index._index_words(str(word) for word in arrays["words"])
        return index

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
