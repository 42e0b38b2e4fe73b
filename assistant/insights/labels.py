"""A theme's name: the phrase of its most central sentence that best says what it is about.

The sentence closest to the theme's centroid is cut into candidate phrases (runs of two to
:data:`MAX_LABEL_WORDS` words within a clause, neither starting nor ending with a stop word, a
framing word such as "talked" or a person's name), and the candidate whose own vector is closest to
the centroid names the theme: "handling critical feedback in code review", not "ask marco".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from assistant.insights.words import END_KEPT, FRAMING_WORDS, START_KEPT, STOP_WORDS, WORD
from assistant.sanitize import clean_text

MIN_LABEL_WORDS = 2
MAX_LABEL_WORDS = 6
#: Cut from a phrase's similarity per word beyond :data:`MIN_LABEL_WORDS` + 1: a longer
#: phrase says a little more, but a label is read at a glance.
WORD_COST = 0.015
#: Clause boundaries: a label never spans them.
CLAUSE_BREAK = re.compile(r"[,;:()\[\]\"“”—–]|\s-\s|\b(?:and|but|because|so|while|although)\b")

#: Words ending in "ly" that are no adverbs, so they may begin or end a label.
NOT_ADVERBS = frozenset(
    ("family", "weekly", "monthly", "quarterly", "yearly", "supply", "assembly", "anomaly")
)

Embed = Callable[[Sequence[str]], np.ndarray]


def _is_name(word: str, first_in_sentence: bool, names: frozenset[str]) -> bool:
    """One of ``names``, or a capitalised word inside a sentence other than "I" and acronyms
    such as "API"."""
    if word.replace("’", "'").removesuffix("'s").lower() in names:
        return True
    return not first_in_sentence and word[:1].isupper() and word != "I" and not word.isupper()


def _is_adverb(lower: str) -> bool:
    """Most words of six letters or more ending in "ly" ("personally", "quickly")."""
    return len(lower) >= 6 and lower.endswith("ly") and lower not in NOT_ADVERBS


def _edge_ok(word: str, is_name: bool, kept: frozenset[str]) -> bool:
    """Whether a label may begin (``kept`` = START_KEPT) or end (END_KEPT) with ``word``."""
    lower = word.lower().replace("’", "'")
    if is_name or lower in FRAMING_WORDS or len(lower) < 2 or _is_adverb(lower):
        return False
    return lower not in STOP_WORDS or lower in kept


def candidate_phrases(sentence: str, names: frozenset[str] = frozenset()) -> list[str]:
    """The runs of words of ``sentence`` that could name a theme, in order of position;
    ``names`` are people's names in lower case (known from other sentences)."""
    candidates: list[str] = []
    first_word = True
    for clause in CLAUSE_BREAK.split(sentence):
        words = [match.group() for match in WORD.finditer(clause)]
        is_name = []
        for word in words:
            is_name.append(_is_name(word, first_word, names))
            first_word = False
        for start in range(len(words)):
            if not _edge_ok(words[start], is_name[start], START_KEPT):
                continue
            for end in range(start + MIN_LABEL_WORDS, min(start + MAX_LABEL_WORDS, len(words)) + 1):
                if _edge_ok(words[end - 1], is_name[end - 1], END_KEPT):
                    candidates.append(" ".join(words[start:end]))
    return list(dict.fromkeys(candidates))


def _as_label(phrase: str) -> str:
    """Lower-case the first word unless it is an acronym; no control characters."""
    first, _, rest = phrase.partition(" ")
    if not first.isupper():
        first = first.lower()
    return clean_text(f"{first} {rest}".strip())


def label_for(
    sentences: Sequence[str],
    centre: np.ndarray,
    embed: Embed,
    names: frozenset[str] = frozenset(),
) -> str:
    """The candidate phrase closest to ``centre`` from the first of ``sentences`` (the most
    central first) that has any, or the first sentence's opening words."""
    for sentence in sentences:
        candidates = candidate_phrases(sentence, names)
        if candidates:
            break
    else:
        return _as_label(" ".join(WORD.findall(sentences[0])[:MAX_LABEL_WORDS]))
    scores = embed(candidates) @ (centre / max(float(np.linalg.norm(centre)), 1e-12))
    lengths = np.array([len(c.split()) for c in candidates], dtype=np.float32)
    scores = scores - WORD_COST * np.maximum(lengths - MIN_LABEL_WORDS - 1, 0)
    return _as_label(candidates[int(np.argmax(scores))])
