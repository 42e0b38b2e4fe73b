"""A small BM25 index over the chunks, for the lexical half of hybrid search.

Built in memory from the chunks' texts when first needed (a few milliseconds for the built-in
corpus). Words are lower-cased, stop words dropped and reduced to their Snowball (Porter 2)
stems, so that "critical" and "criticism", or "cancelling" and "cancels", meet.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
    """Snowball's English stemmer, compiled (PyStemmer).

    The pure-Python ``snowballstemmer`` gives the same stems (all 23,191 words of the corpus,
    the benchmark questions and the model's vocabulary agree), but importing it loads the
    stemmers of all its 34 languages, 2.8 MB the app held for its whole life, and stems a
    word in some 30 µs instead of 0.6.
    """
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The word's stem; memoised, as most words of a corpus or a conversation come back."""
    return _stemmer().stemWord(word)


def words_of(text: str) -> list[str]:
    """The lower-cased words of ``text``, as written."""
    return _WORD.findall(text.lower().replace("’", "'"))


def _stems(words: list[str]) -> list[str]:
    return [stem(w) for w in words if w not in STOP_WORDS and len(w) > 1]


def terms(text: str) -> list[str]:
    return _stems(words_of(text))


class LexicalIndex:
    """BM25 over a list of documents; scores come back in document order.

    Besides the weights search reads, the index keeps what they are computed from (each
    term's count in each document, the documents' lengths, how many documents use each word),
    so that :meth:`revised` can drop and append documents by reading only those: every weight
    depends on the whole corpus (IDF, mean length), but recomputing them is a few numpy
    operations, while reading the documents' words is the slow part (seconds at 100,000).
    """

    def __init__(self, documents: Sequence[str]) -> None:
        """Index ``documents``: one pass in Python to find the terms, the counting in numpy.

        At 100,000 chunks the per-term Python lists of a plain build took 10 s and more.
        """
        tokens = _Tokens.of(documents, {}, first_doc=0)
        self._finish(tokens.terms, tokens.term_of, tokens.doc_of, tokens.tf, tokens.lengths)
        self._index_words(tokens.word_counts)

    def revised(
        self, keep: np.ndarray, removed: Sequence[str], added: Sequence[str]
    ) -> LexicalIndex:
        """This index with only the documents ``keep`` marks, then ``added`` after them.

        ``removed`` are the texts of the documents left out (their words are forgotten). The
        result scores exactly as an index built from the kept and added texts would.
        """
        kept = keep[self._doc_of]
        new_number = np.cumsum(keep, dtype=np.int64) - 1
        kept_docs = int(np.count_nonzero(keep))
        term_numbers = {term: number for number, term in enumerate(self._terms)}
        tokens = _Tokens.of(added, term_numbers, first_doc=kept_docs)
        term_of = np.concatenate([self._term_of[kept], tokens.term_of])
        doc_of = np.concatenate([new_number[self._doc_of[kept]], tokens.doc_of])
        tf = np.concatenate([self._tf[kept], tokens.tf])
        order = np.lexsort((doc_of, term_of))
        word_counts = Counter(self._word_counts)
        word_counts.update(tokens.word_counts)
        word_counts.subtract(_Tokens.of(removed, {}, first_doc=0).word_counts)
        index = LexicalIndex.__new__(LexicalIndex)
        lengths = np.concatenate([self._lengths[keep], tokens.lengths])
        index._finish(tokens.terms, term_of[order], doc_of[order], tf[order], lengths)
        index._index_words(+word_counts)
        return index

    def _finish(
        self,
        terms: Sequence[str],
        term_of: np.ndarray,
        doc_of: np.ndarray,
        tf: np.ndarray,
        lengths: np.ndarray,
    ) -> None:
        """The weights, from postings sorted by term then document; unused terms dropped."""
        df = np.bincount(term_of, minlength=len(terms))
        if not df.all():
            live = df > 0
            term_of = (np.cumsum(live) - 1)[term_of]
            terms = [term for term, used in zip(terms, live, strict=True) if used]
            df = df[live]
        self.size = len(lengths)
        self._terms = list(terms)
        self._term_of, self._doc_of, self._tf, self._lengths = term_of, doc_of, tf, lengths
        idf = np.log(1 + (self.size - df + 0.5) / (df + 0.5))
        average = float(lengths.mean()) if self.size else 0.0
        norm = K1 * (1 - B + B * lengths / max(average, 1e-9))
        weights = (idf[term_of] * tf * (K1 + 1) / (tf + norm[doc_of])).astype(np.float32)
        offsets = np.concatenate([[0], np.cumsum(df)])
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {
            term: (doc_of[offsets[n] : offsets[n + 1]], weights[offsets[n] : offsets[n + 1]])
            for n, term in enumerate(self._terms)
        }

    def _index_words(self, word_counts: Mapping[str, int]) -> None:
        #: How many documents use each word as written.
        self._word_counts = dict(word_counts)
        self._words = frozenset(word_counts)
        #: The words the documents use, by first letter: where a misspelling finds its word.
        self.vocabulary: dict[str, list[str]] = {}
        for word in sorted(self._words):
            self.vocabulary.setdefault(word[0], []).append(word)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The index as flat arrays, to be saved with :func:`numpy.savez` and read back."""
        words = sorted(self._word_counts)
        return {
            "terms": np.asarray(self._terms, dtype=str),
            "term_of": self._term_of,
            "doc_of": self._doc_of,
            "tf": self._tf,
            "lengths": self._lengths,
            "words": np.asarray(words, dtype=str),
            "word_counts": np.asarray([self._word_counts[w] for w in words], dtype=np.int64),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> LexicalIndex:
        """The index :meth:`to_arrays` gave, without reading the documents again."""
        index = cls.__new__(cls)
        index._finish(
            [str(term) for term in arrays["terms"]],
            arrays["term_of"],
            arrays["doc_of"],
            arrays["tf"],
            arrays["lengths"],
        )
        counts = arrays["word_counts"].tolist()
        index._index_words(dict(zip(arrays["words"].tolist(), counts, strict=True)))
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


@dataclass
class _Tokens:
    """The postings of some documents: (term, document, count), sorted by term then document."""

    terms: list[str]
    term_of: np.ndarray
    doc_of: np.ndarray
    tf: np.ndarray
    lengths: np.ndarray
    word_counts: Counter[str]

    @classmethod
    def of(
        cls, documents: Sequence[str], term_numbers: dict[str, int], *, first_doc: int
    ) -> _Tokens:
        """Read ``documents``, numbered from ``first_doc``; new terms extend ``term_numbers``."""
        size = len(documents)
        numbers: list[int] = []
        lengths = np.zeros(size, dtype=np.int64)
        word_counts: Counter[str] = Counter()
        for doc_id, text in enumerate(documents):
            surface = words_of(text)
            word_counts.update(set(surface))
            stems = _stems(surface)
            lengths[doc_id] = len(stems)
            numbers.extend([term_numbers.setdefault(t, len(term_numbers)) for t in stems])
        doc_ids = np.repeat(np.arange(size, dtype=np.int64), lengths)
        # One key per (term, document): sorted by term, then document, with its count.
        pairs = np.asarray(numbers, np.int64) * max(size, 1) + doc_ids
        keys, tf = np.unique(pairs, return_counts=True)
        term_of, doc_of = np.divmod(keys, max(size, 1))
        terms = list(term_numbers)
        return cls(terms, term_of, doc_of + first_doc, tf.astype(np.int64), lengths, word_counts)
