"""The part of a guidance passage that answers what the person said.

A passage is split into whole units (sentences that never break inside a quotation, list
items, and "Instead of / Try" pairs with the label above them); tables and headings are never
units, so a table is never flattened into a line. The units closest to the answer in the local
model's vector space are quoted: one or two sentences, and the pair of wordings when the
passage has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.conversation.guide.similarity import similarities
from assistant.conversation.guide.understanding import SENTENCES_COMPARED, sentences_of
from assistant.markdown_patterns import BOLD_LABEL as _LABEL

if TYPE_CHECKING:
    from assistant.knowledge import Passage

#: A second sentence is quoted when it is nearly as close to the answer as the first.
SECOND_SENTENCE_SHARE = 0.9
#: ...and when the two together stay readable in a chat reply.
MAX_QUOTE_CHARS = 320
MIN_SENTENCE_WORDS = 6
#: An answer with no sentence to compare is compared by its opening, at most this long.
ANSWER_CHARS = 1000
#: How much the situation counts against the answer's own words when choosing sentences.
FOCUS_WEIGHT = 0.5
#: Below this similarity a sentence says little about the answer; with a wording to show,
#: the wording is shown alone.
MIN_SENTENCE_SIMILARITY = 0.35
#: Below this similarity a passage's "Instead of / Try" wording is about another moment than
#: the answer's ("What do you mean, abrupt?" after "what counts as feedback?"): not shown.
MIN_WORDING_SIMILARITY = 0.25
#: Below this similarity no sentence or wording of a passage speaks to the answer: better no
#: quote than a general one ("wins: shipped the guide" quoted advice on ending a mentorship).
MIN_QUOTE_SIMILARITY = 0.34

#: A sentence opening on a word that points back to the one before it.
_ANAPHOR = re.compile(r"^(?:it|this|that|these|those|they|then|also|but|so)\b(?!\s*:)", re.I)
#: A sentence that ends on what the one before said: "An evidence log corrects for this."
_ANAPHOR_AT_END = re.compile(r"\b(?:this|that|these|those)[.!]?$", re.IGNORECASE)
_INSTEAD = re.compile(r"^(?:[-*]\s+)?(?:\*\*)?Instead of:?(?:\*\*)?:?\s*(.+)$", re.IGNORECASE)
_TRY = re.compile(r"^(?:[-*]\s+)?(?:\*\*)?Try:?(?:\*\*)?:?\s*(.+)$", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+")
_EMPHASIS = re.compile(r"(\*\*|__|`)")
_BLOCKQUOTE = re.compile(r"^(?:>\s*)+")
_QUOTES = ('"', "“", "‘", "'")
#: A sentence labelled as the example to avoid ("Thin debrief: …", "Weak: …").
_BAD_EXAMPLE = re.compile(
    r"^(?:[\w-]+\s){0,2}?(?:thin|weak|bad|vague|poor|unhelpful|wrong|avoid|closed|leading)\b"
    r"[^:]{0,30}:",
    re.IGNORECASE,
)
#: A sentence labelled as an example of good wording ("Useful debrief: "…"", "Sample opener:
#: "…""): what someone wrote or said, shown to copy the shape of, not advice to quote.
_GOOD_EXAMPLE = re.compile(
    r"^(?:[\w-]+\s){0,2}?(?:useful|good|strong|better|sample|example|model)\b[^:]{0,30}:\s*[\"“]",
    re.IGNORECASE,
)
#: A sentence that is nothing but a quotation, with no word of the guide's own around it.
_BARE_QUOTATION = re.compile(r'^\s*(?:"[^"]+"|“[^”]+”)[\s.!?…]*$')
#: A sentence addressed to one side ("Mentors: let go…", "For mentees: …").
_ADDRESSED = re.compile(r"^(?:for )?(mentors?|mentees?)\b[^:]{0,40}:", re.IGNORECASE)


@dataclass(frozen=True)
class Wording:
    """An "Instead of / Try" pair, with the situation it is for when the passage names one."""

    instead: str
    try_: str
    label: str = ""

    def text(self) -> str:
        return " ".join(filter(None, [self.label, self.instead, self.try_]))


@dataclass(frozen=True)
class Quote:
    passage: Passage
    number: int  # the passage's place among the turn's sources, from 1
    sentences: tuple[str, ...]
    wording: Wording | None
    score: float


def units_of(text: str, reader: str = "") -> tuple[list[str], list[Wording]]:
    """The passage's sentences and list items, and its "Instead of / Try" pairs, in order;
    with a ``reader`` ("mentee", "mentor"), none addressed to the other side."""
    sentences: list[str] = []
    wordings: list[Wording] = []
    paragraph: list[str] = []
    label = ""
    pending_instead = ""

    def flush() -> None:
        if paragraph:
            sentences.extend(split_sentences(" ".join(paragraph)))
            paragraph.clear()

    in_fence = False
    for raw in text.splitlines():
        if raw.strip().startswith(("```", "~~~")):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            continue  # a fenced block is a template or a table, never the guide's sentences
        if _BLOCKQUOTE.match(raw.strip()):
            flush()  # a quoted block is a sample note or message, not the guide's advice
            continue
        line = raw.strip()
        if not line or line.startswith(("#", "|")):
            flush()
            continue
        instead, try_ = _INSTEAD.match(line), _TRY.match(line)
        if instead:
            flush()
            pending_instead = _plain(instead.group(1))
            continue
        if try_ and pending_instead:
            wordings.append(Wording(pending_instead, _plain(try_.group(1)), label))
            pending_instead, label = "", ""
            continue
        labelled = _LABEL.match(line)
        if labelled:
            flush()
            label = labelled.group(1).strip().rstrip(":")
            continue
        if _LIST_ITEM.match(line):
            flush()
            sentences.extend(split_sentences(_plain(_LIST_ITEM.sub("", line))))
            continue
        paragraph.append(_plain(line))
    flush()
    kept: list[str] = []
    dropped = False
    for sentence in sentences:
        # "This shows…" after a dropped example points at the example: it goes too
        orphan = dropped and _ANAPHOR.match(sentence) is not None
        dropped = orphan or not (_quotable_alone(sentence) and _meant_for(sentence, reader))
        if not dropped:
            kept.append(sentence)
    return kept, wordings


def _meant_for(sentence: str, reader: str) -> bool:
    """Whether a sentence may be quoted to ``reader``: not one addressed to the other side."""
    addressed = _ADDRESSED.match(sentence)
    if addressed is None or reader not in ("mentee", "mentor"):
        return True
    return addressed[1].lower().startswith(reader)


def _quotable_alone(sentence: str) -> bool:
    """Whether a sentence reads on its own as the guide's advice: long enough, not a lead-in
    that announces what follows ("…in one of these ways:"), not the tail of a sentence cut
    where the passage was split ("update the CV, ask for a stretch project…"), and not an
    example of what someone wrote or might say (a bare quotation, a labelled sample)."""
    if len(sentence.split()) < MIN_SENTENCE_WORDS or sentence.endswith(":"):
        return False
    if _BAD_EXAMPLE.match(sentence) or _GOOD_EXAMPLE.match(sentence):
        return False  # "Thin debrief: …" shows what not to write, "Useful debrief: …" its shape
    if _BARE_QUOTATION.match(sentence):
        return False  # what someone might say ("Felt a bit criticised…"), not advice
    if sentence.count('"') % 2 or sentence.count("“") != sentence.count("”"):
        return False  # the end of a quotation whose start is in another passage
    first = sentence.lstrip("\"“‘'(")[:1]
    return not first.islower()


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``, never split inside a quotation ("..." or “...”)."""
    sentences: list[str] = []
    start = 0
    inside_straight = False
    depth = 0
    for index, char in enumerate(text):
        if char == '"':
            inside_straight = not inside_straight
        elif char == "“":
            depth += 1
        elif char == "”":
            depth = max(0, depth - 1)
        if char in '"”' and not inside_straight and depth == 0:
            # a quotation ending a sentence ends it: «…monthly?" Write down…»
            ends = text[index - 1 : index] in ("?", "!", ".")
            if ends and re.match(r"^\s+[\"“(]?[A-Z]", text[index + 1 :]):
                sentences.append(text[start : index + 1].strip())
                start = index + 1
            continue
        if char in ".!?" and not inside_straight and depth == 0:
            rest = text[index + 1 :]
            if re.match(r"^[\"”’)]*\s+[\"“‘(]?[A-Z0-9]", rest) or not rest.strip():
                closing = re.match(r"^[\"”’)]*", rest)
                end = index + 1 + (closing.end() if closing else 0)
                sentences.append(text[start:end].strip())
                start = end
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if s]


def _plain(text: str) -> str:
    return " ".join(_EMPHASIS.sub("", text).split())


def best_quote(
    passages: list[Passage], answer: str, focus: str = "", shown: str = "", reader: str = ""
) -> Quote | None:
    """The sentences (and wording) of the best passage that answer ``answer`` best.

    The passage is the search's first that speaks to the answer at all (retrieval already put
    what the answer is about first); none when no passage does;
    ``focus`` (the situation the answer describes, in the guide's words) counts for half as
    much as the answer itself when choosing its sentences. A sentence or wording already in
    ``shown`` (what the coach said earlier in the session) is not quoted again: the next best
    part of the passage, or the next passage, is quoted instead. A sentence addressed to the
    other side ("Mentors: …" for a ``reader`` who is a mentee) is not quoted.
    """
    for number, passage in enumerate(passages, start=1):
        quote = _quote_from(passage, number, answer, focus, shown, reader)
        if quote is not None and quote.score >= MIN_QUOTE_SIMILARITY:
            return quote
    return None


def _quote_from(
    passage: Passage, number: int, answer: str, focus: str, shown: str = "", reader: str = ""
) -> Quote | None:
    sentences, wordings = units_of(passage.text, reader)
    seen = " ".join(shown.split())
    fresh = [sentence not in seen for sentence in sentences]
    wordings = [w for w in wordings if w.instead not in seen and w.try_ not in seen]
    if not any(fresh) and not wordings:
        return None
    units = [*sentences, *(w.text() for w in wordings)]
    scores = similarities(answer_sentences(answer), units)
    if focus:
        focused = similarities([focus], units)
        scores = [
            (a + FOCUS_WEIGHT * f) / (1 + FOCUS_WEIGHT)
            for a, f in zip(scores, focused, strict=True)
        ]
    sentence_scores = scores[: len(sentences)]
    wording_scores = scores[len(sentences) :]
    candidates = [i for i in range(len(sentences)) if fresh[i]]
    chosen: list[int] = []
    if candidates:
        best = max(candidates, key=lambda i: sentence_scores[i])
        chosen = [best]
        neighbours = [i for i in (best - 1, best + 1) if 0 <= i < len(sentences) and fresh[i]]
        if neighbours:
            # A second sentence only when it is next to the first: the quote reads as one.
            second = max(neighbours, key=lambda i: sentence_scores[i])
            together = len(sentences[best]) + len(sentences[second])
            close = sentence_scores[second] >= SECOND_SENTENCE_SHARE * sentence_scores[best]
            if close and together <= MAX_QUOTE_CHARS:
                chosen.append(second)
    wording = None
    closest = max(range(len(wordings)), key=lambda i: wording_scores[i], default=None)
    if closest is not None and wording_scores[closest] >= MIN_WORDING_SIMILARITY:
        wording = wordings[closest]
        chosen = [i for i in chosen if sentence_scores[i] >= MIN_SENTENCE_SIMILARITY]
    wording_scores = wording_scores if wording is not None else []
    top = max([*(sentence_scores[i] for i in chosen), *wording_scores], default=0.0)
    chosen = _with_antecedent(sorted(chosen), sentences, fresh)
    if not chosen and wording is None:
        return None  # nothing readable on its own is left to quote
    return Quote(
        passage=passage,
        number=number,
        sentences=tuple(sentences[i] for i in sorted(chosen)),
        wording=wording,
        score=top,
    )


def _with_antecedent(
    chosen: list[int], sentences: list[str], fresh: list[bool] | None = None
) -> list[int]:
    """``chosen`` made readable on its own: a quote that opens on "It", "This" or "They"
    takes the sentence before it, which says what that is; when the two together would be too
    long, or that sentence was quoted already (not ``fresh``), the quote is dropped (the
    wording, if any, is still shown)."""
    if not chosen or not _points_back(sentences[chosen[0]]):
        return chosen
    first = chosen[0]
    if first == 0 or (fresh is not None and not fresh[first - 1]):
        return []
    together = len(sentences[first - 1]) + sum(len(sentences[i]) for i in chosen)
    return [first - 1, *chosen] if together <= MAX_QUOTE_CHARS else []


def _points_back(sentence: str) -> bool:
    """Whether ``sentence`` opens or ends on a word for what the sentence before said."""
    return bool(_ANAPHOR.match(sentence) or _ANAPHOR_AT_END.search(sentence))


def answer_sentences(answer: str) -> list[str]:
    """The answer as the sentences its situation was read from (their vectors are cached)."""
    sentences = [s for s in sentences_of(answer) if len(s.split()) >= 3]
    return sentences[:SENTENCES_COMPARED] or [answer[:ANSWER_CHARS]]


def opening_quote(passages: list[Passage], question: str, reader: str = "") -> Quote | None:
    """With no answer yet: the sentences of the best passage that share the most words with
    the step's ``question`` (its first sentences when none shares two). Word overlap, not
    embeddings: the opening turn stays as light as the app's start."""
    if not passages:
        return None
    sentences, wordings = units_of(passages[0].text, reader)
    if not sentences:
        return None
    asked = _content_words(question)
    shared = [len(asked & _content_words(sentence)) for sentence in sentences]
    best = max(range(len(sentences)), key=lambda i: shared[i])
    chosen = _with_antecedent([best], sentences) if shared[best] >= 2 else []
    if not chosen:
        # the passage's opening words, not an example line quoted out of its context
        plain = [i for i, sentence in enumerate(sentences) if not sentence.startswith(_QUOTES)]
        first = plain[0] if plain else 0
        pair = first + 1 < len(sentences) and first + 1 in plain
        short = pair and len(sentences[first]) + len(sentences[first + 1]) <= MAX_QUOTE_CHARS // 2
        chosen = [first, first + 1] if short else [first]
    picked = tuple(sentences[i] for i in chosen)
    return Quote(passages[0], 1, picked, wordings[0] if wordings else None, 0.0)


def _content_words(text: str) -> set[str]:
    """The words of ``text`` that carry meaning, by their first five letters."""
    return {w[:5] for w in re.findall(r"[a-z']{4,}", text.lower()) if w not in _COMMON_WORDS}


_COMMON_WORDS = frozenset(
    {
        "what",
        "which",
        "your",
        "with",
        "that",
        "this",
        "they",
        "them",
        "have",
        "from",
        "just",
        "would",
        "will",
        "were",
        "there",
        "their",
        "about",
        "into",
        "when",
        "then",
        "than",
        "more",
        "most",
        "name",
        "words",
        "want",
        "each",
        "line",
        "send",
        "since",
        "last",
    }
)


def render_quote(quote: Quote) -> str:
    """The quote as a reply shows it: whole sentences, then the wording as two list lines."""
    head = f"From the guide [{quote.number}] “{quote.passage.title}”:"
    lines = [" ".join([head, *quote.sentences])]
    if not quote.sentences and quote.wording is not None and quote.wording.label:
        lines = [
            f"From the guide [{quote.number}] “{quote.passage.title}”, for “{quote.wording.label}”:"
        ]
    if quote.wording is not None:
        if quote.wording.label and quote.sentences:
            lines.append(f"For “{quote.wording.label}”:")
        lines.append(f"- Instead of: {quote.wording.instead}")
        lines.append(f"- Try: {quote.wording.try_}")
    return "\n".join(lines)
