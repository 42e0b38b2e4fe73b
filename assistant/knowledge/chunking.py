"""Heading-aware chunking: one chunk per section or labelled part, small enough to be read whole.

The unit is the text under one heading, and within it the text under a bold sub-label on a
line of its own (``**They keep cancelling**``): each gets its own chunk, whose heading path
names it (``Sample wording > They keep cancelling``), so that a question about one situation
meets the passage about that situation rather than a mix of four. A part too long for one chunk
is split at paragraphs, then sentences, with a short overlap so that a split never loses the
thread.

A part may carry a hidden block of lines in the asker's words (``<!-- asked: ... -->``, see
:data:`assistant.markdown_patterns.ASKED_BLOCK`): how people in the situation it answers put
it ("he spends our whole call talking about himself" for "They mostly talk about
themselves"). The block is taken out of the text and kept with every chunk of the part, for
search to match questions against (:mod:`assistant.knowledge.search`).

The embedding model reads at most 256 word pieces, and the text it embeds is the chunk with
its title, heading path and the file's summary in front (see :func:`embedding_text`). Chunks
are sized so that all of that stays within ``MAX_EMBEDDED_TOKENS``, about 200 of the model's
word pieces: the model sees every word of every chunk. Tokens are counted with the tiktoken
encoding the conversation budget uses; the local model's word pieces run about 10% more.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.knowledge.documents import SourceDocument
from assistant.knowledge.markdown import Section, paragraphs, split_sections
from assistant.markdown_patterns import ASKED_BLOCK
from assistant.markdown_patterns import BOLD_LABEL as _BOLD_LABEL
from assistant.tokens import count_tokens, encoding

#: The chunk and metadata format, and the text embedded for a chunk (2: with its file's opening
#: paragraph; 3: one chunk per heading or bold label, read whole by the model, with the file's
#: summary sentence; 4: a long part cut into pieces of about the same size, at list items
#: before sentences, with no overlap taken from a code block; 5: with each part's asked
#: lines); an index built with another one is rebuilt by itself.
SCHEMA_VERSION = 5
#: What the embedding model is given per chunk, prefix included, in tiktoken tokens (about 200
#: word pieces of the local model, well inside its 256).
MAX_EMBEDDED_TOKENS = 175
#: A chunk's own text never runs past this, however short its prefix.
MAX_TOKENS = 160
#: A part's text shorter than this is kept with the next part of the same section.
MIN_TOKENS = 12
OVERLAP_TOKENS = 25
HEADING_SEPARATOR = " > "

#: The file's summary that goes with each of its chunks: its opening sentence, at most this long.
SUMMARY_TOKENS = 30

_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|\n")
#: Paragraphs that start like a list item, quote, table row, rule, code fence or HTML.
_NOT_PROSE = re.compile(r"([-*+]\s|[>|<]|\d+[.)]\s|```|~~~|---|\*\*\*|___)")


@dataclass(frozen=True)
class Chunk:
    """One retrievable passage of a document."""

    index: int
    heading: str
    text: str
    tokens: int
    #: How people in the situation this chunk answers put it (its part's asked lines).
    asked: tuple[str, ...] = ()

    @property
    def content_hash(self) -> str:
        asked = "".join(f"\n{line}" for line in self.asked)
        return hashlib.sha256(f"{self.heading}\n{self.text}{asked}".encode()).hexdigest()


@dataclass(frozen=True)
class _Part:
    """The text under one heading or bold label, with the path that names it."""

    path: tuple[str, ...]
    text: str
    asked: tuple[str, ...] = ()


def chunk_document(document: SourceDocument) -> list[Chunk]:
    summary = document_summary(document)
    chunks: list[Chunk] = []
    for part in _parts(document):
        path = part.path or (document.title,)
        heading = HEADING_SEPARATOR.join(path)
        budget = min(MAX_TOKENS, MAX_EMBEDDED_TOKENS - _prefix_tokens(document, heading, summary))
        for piece in _split_long(part.text, max(budget, OVERLAP_TOKENS * 3)):
            chunks.append(Chunk(len(chunks), heading, piece, count_tokens(piece), part.asked))
    return chunks


def _parts(document: SourceDocument) -> list[_Part]:
    """Every section, cut at its bold labels; parts with next to no text join the next one."""
    parts: list[_Part] = []
    for section in split_sections(document.body):
        parts.extend(_labelled_parts(section))
    merged: list[_Part] = []
    for part in parts:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and count_tokens(previous.text) < MIN_TOKENS
            and part.path[: len(previous.path)] == previous.path
        ):
            text = "\n\n".join(t for t in (previous.text, part.text) if t.strip())
            merged[-1] = _Part(part.path, text, previous.asked + part.asked)
        else:
            merged.append(part)
    return [part for part in merged if part.text.strip()]


def _labelled_parts(section: Section) -> list[_Part]:
    parts: list[_Part] = []
    path, lines = section.path, []
    for line in section.text.splitlines():
        label = _BOLD_LABEL.match(line)
        if label is None:
            lines.append(line)
            continue
        parts.append(_part(path, lines))
        path, lines = (*section.path, label.group(1).strip()), [line]
    parts.append(_part(path, lines))
    return [p for p in parts if p.text or p.path == section.path]


def _part(path: tuple[str, ...], lines: list[str]) -> _Part:
    """The part of ``lines``, its asked blocks taken out of its text."""
    text = "\n".join(lines)
    asked = tuple(
        line
        for block in ASKED_BLOCK.findall(text)
        for line in (" ".join(raw.split()) for raw in block.splitlines())
        if line
    )
    return _Part(path, ASKED_BLOCK.sub("", text).strip(), asked)


def _prefix_tokens(document: SourceDocument, heading: str, summary: str) -> int:
    return count_tokens(_prefix(document.title, heading, summary)) + 1


def _split_long(text: str, budget: int) -> list[str]:
    """``text`` as one piece, or as several of at most ``budget`` tokens with a small overlap.

    The pieces are about the same size: a part just over the budget splits in two halves,
    not into a full chunk and a scrap of a sentence or two, which as a chunk of its own
    matched questions on the strength of its heading alone.
    """
    total = count_tokens(text)
    if total <= budget:
        return [text] if text.strip() else []
    count = math.ceil(total / (budget - OVERLAP_TOKENS))
    target = min(budget, math.ceil(total / count) + OVERLAP_TOKENS)
    pieces: list[str] = []
    current: list[str] = []
    for block in _blocks_within(text, budget - OVERLAP_TOKENS):
        size = count_tokens("\n\n".join(current))
        if current and (size >= target or count_tokens("\n\n".join([*current, block])) > budget):
            pieces.append("\n\n".join(current))
            # A code block is not prose: its lines joined as sentences would read as one line.
            overlap = "" if _is_code(current[-1]) else _tail(current[-1], OVERLAP_TOKENS)
            current = [overlap] if overlap else []
        current.append(block)
    if current:
        pieces.append("\n\n".join(current))
    return pieces


def _blocks_within(text: str, limit: int) -> list[str]:
    """Paragraphs, with any paragraph over ``limit`` tokens cut into its lines (a list's
    items stay whole), and any line still over it into sentences or token runs."""
    blocks: list[str] = []
    for paragraph in paragraphs(text):
        if count_tokens(paragraph) <= limit:
            blocks.append(paragraph)
            continue
        for line in (line for line in paragraph.splitlines() if line.strip()):
            if count_tokens(line) <= limit:
                blocks.append(line)
                continue
            for sentence in (s for s in _SENTENCE_END.split(line) if s.strip()):
                if count_tokens(sentence) <= limit:
                    blocks.append(sentence)
                    continue
                ids = encoding().encode(sentence, disallowed_special=())
                blocks.extend(
                    encoding().decode(ids[i : i + limit]) for i in range(0, len(ids), limit)
                )
    return blocks


def _is_code(block: str) -> bool:
    return block.lstrip().startswith(("```", "~~~"))


def _tail(block: str, limit: int) -> str:
    """The last whole sentences of ``block`` that fit in ``limit`` tokens (maybe none)."""
    taken: list[str] = []
    for sentence in reversed([s for s in _SENTENCE_END.split(block) if s.strip()]):
        if count_tokens(" ".join([sentence, *taken])) > limit:
            break
        taken.insert(0, sentence)
    return " ".join(taken)


def embedding_text(document: SourceDocument, chunk: Chunk) -> str:
    """What the embedding model sees: the chunk in the context of its file.

    The title and heading path say where the chunk sits, and the file's summary says what the
    whole file is about, so that a passage deep in a file still matches questions about the
    file's subject. Changing what goes in here changes every vector, so the index format
    version must change with it.
    """
    return embedding_texts(document, [chunk])[0]


def embedding_texts(document: SourceDocument, chunks: Sequence[Chunk]) -> list[str]:
    """:func:`embedding_text` of each of a document's chunks, reading its summary once.

    Finding the summary parses the whole file; once per chunk, that was most of the time a
    cold build spent outside the model.
    """
    summary = document_summary(document)
    return [
        f"{_prefix(document.title, chunk.heading, '' if summary in chunk.text else summary)}"
        f"\n{chunk.text}"
        for chunk in chunks
    ]


def _prefix(title: str, heading: str, summary: str) -> str:
    if not heading.startswith(title):
        heading = f"{title}. {heading}"
    return f"{heading}\n{summary}" if summary else heading


def document_summary(document: SourceDocument) -> str:
    """What the whole file is about, in a sentence that every chunk of it can carry.

    The ``summary`` field of the front matter when there is one; else the first sentence of
    the file's first paragraph of prose, cut to ``SUMMARY_TOKENS``. Only a sentence: an
    opening paragraph that lists the situations the file covers would make every chunk of it
    look like an answer to each of them. Headings, lists, quotes, tables and code do not count
    as prose; a file with none has no summary.
    """
    if document.summary:
        return _head(document.summary, SUMMARY_TOKENS)
    for section in split_sections(document.body):
        for paragraph in paragraphs(section.text):
            if _is_prose(paragraph) and not _BOLD_LABEL.match(paragraph):
                return _head(paragraph, SUMMARY_TOKENS)
    return ""


def _is_prose(paragraph: str) -> bool:
    return not _NOT_PROSE.match(paragraph.lstrip())


def _head(text: str, limit: int) -> str:
    """The first sentence of ``text`` if it fits in ``limit`` tokens, else its first tokens."""
    sentence = next((s for s in _SENTENCE_END.split(text) if s.strip()), "")
    if sentence and count_tokens(sentence) <= limit:
        return sentence.strip()
    return encoding().decode(encoding().encode(text, disallowed_special=())[:limit]).strip()
