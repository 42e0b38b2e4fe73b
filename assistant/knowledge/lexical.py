"""A small BM25 index over the chunks, for the lexical half of hybrid search.

Built in memory from the chunks' texts when first needed (a few milliseconds for the built-in
corpus). Words are lower-cased, stop words dropped and reduced to their Snowball (Porter 2)
stems, so that "critical" and "criticism", or "cancelling" and "cancels", meet.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import Any

import numpy as np

from assistant.knowledge.string_column import StringColumn

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

    The postings are kept as flat arrays, by term (compressed sparse rows): term ``n``'s
    documents are ``docs[offsets[n]:offsets[n + 1]]``, with their BM25 weights and raw counts
    at the same places. A search adds up the weights of its few terms, one numpy operation
    each; the search cache saves the arrays and a new process maps them from disk, computing
    nothing (:meth:`to_arrays`, :meth:`from_arrays`).

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
        own_term_of = np.repeat(np.arange(len(self._terms), dtype=np.int64), np.diff(self._offsets))
        kept = keep[self._docs]
        new_number = np.cumsum(keep, dtype=np.int64) - 1
        kept_docs = int(np.count_nonzero(keep))
        term_numbers = dict(self._term_numbers)
        tokens = _Tokens.of(added, term_numbers, first_doc=kept_docs)
        term_of = np.concatenate([own_term_of[kept], tokens.term_of])
        doc_of = np.concatenate([new_number[self._docs[kept]], tokens.doc_of])
        tf = np.concatenate([self._tf[kept], tokens.tf])
        # Both runs are sorted by term then document, and every added document comes after
        # the kept ones: a stable sort by term (a merge of the two runs) sorts them all.
        order = np.argsort(term_of, kind="stable")
        word_counts = Counter(dict(zip(self._words, self._word_counts.tolist(), strict=True)))
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
            terms = [term for term, used in zip(terms, live, strict=True) if used]
            df = df[live]
        self.size = len(lengths)
        idf = np.log(1 + (self.size - df + 0.5) / (df + 0.5))
        average = float(lengths.mean()) if self.size else 0.0
        norm = K1 * (1 - B + B * lengths / max(average, 1e-9))
        offsets = np.zeros(len(df) + 1, dtype=np.int64)
        np.cumsum(df, out=offsets[1:])
        # Each posting's term, renumbered over the terms still used (postings are by term).
        live_term_of = np.repeat(np.arange(len(df), dtype=np.int64), df)
        weights = idf[live_term_of] * tf * (K1 + 1) / (tf + norm[doc_of])
        self._store(
            StringColumn.of(terms),
            offsets,
            doc_of.astype(np.int32),
            tf.astype(np.int32),
            weights.astype(np.float32),
            lengths.astype(np.int32),
        )

    def _store(
        self,
        terms: StringColumn,
        offsets: np.ndarray,
        docs: np.ndarray,
        tf: np.ndarray,
        weights: np.ndarray,
        lengths: np.ndarray,
    ) -> None:
        if not len(offsets) == len(terms) + 1 or not len(docs) == len(tf) == len(weights):
            raise ValueError("the postings do not fit their terms")
        self.size = len(lengths)
        self._terms = terms
        self._offsets, self._docs, self._tf, self._weights = offsets, docs, tf, weights
        self._lengths = lengths

    @cached_property
    def _term_numbers(self) -> dict[str, int]:
        """Each term's row in the postings (made on first use: a new process may not search)."""
        return {term: number for number, term in enumerate(self._terms)}

    def _index_words(self, word_counts: Mapping[str, int]) -> None:
        """Keep the words the documents use as written, sorted, with how many documents use each."""
        words = sorted(word_counts)
        self._words = StringColumn.of(words)
        self._word_counts = np.asarray([word_counts[w] for w in words], dtype=np.int64)

    @property
    def words(self) -> Sequence[str]:
        """The words the documents use, as written, sorted."""
        return self._words

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The index as flat arrays, to be saved with :func:`numpy.save` and read back."""
        return {
            "terms": self._terms.data,
            "term_offsets": self._terms.offsets,
            "offsets": self._offsets,
            "docs": self._docs,
            "tf": self._tf,
            "weights": self._weights,
            "lengths": self._lengths,
            "words": self._words.data,
            "word_offsets": self._words.offsets,
            "word_counts": self._word_counts,
            "constants": np.asarray([K1, B]),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> LexicalIndex:
        """The index :meth:`to_arrays` gave, as it is: nothing is computed or read whole.

        Raises ValueError when the arrays do not fit together or were weighted with other
        constants.
        """
        if arrays["constants"].tolist() != [K1, B]:
            raise ValueError("the index was weighted with other BM25 constants")
        index = cls.__new__(cls)
        index._store(
            StringColumn(arrays["terms"], arrays["term_offsets"]),
            arrays["offsets"],
            arrays["docs"],
            arrays["tf"],
            arrays["weights"],
            arrays["lengths"],
        )
        index._words = StringColumn(arrays["words"], arrays["word_offsets"])
        index._word_counts = arrays["word_counts"]
        if len(index._word_counts) != len(index._words):
            raise ValueError("the word counts do not fit the words")
        return index

    def knows(self, word: str) -> bool:
        """Whether the documents use ``word`` (as written, or another form of the same stem)."""
        found = bisect_left(self._words, word)
        if found < len(self._words) and self._words[found] == word:
            return True
        return stem(word) in self._term_numbers

    def near(self, word: str) -> list[str]:
        """The documents' words that could be ``word`` misspelled: same first letter."""
        if not word:
            return []
        first = word[0]
        start = bisect_left(self._words, first)
        end = bisect_left(self._words, chr(ord(first) + 1), lo=start)
        return self._words[start:end]

    def scores(self, query: str) -> np.ndarray:
        """Each document's BM25 score: one vectorised addition per term of the query."""
        totals = np.zeros(self.size, dtype=np.float32)
        numbers = self._term_numbers
        for term in set(terms(query)):
            number = numbers.get(term)
            if number is not None:
                start, end = int(self._offsets[number]), int(self._offsets[number + 1])
                totals[self._docs[start:end]] += self._weights[start:end]
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
