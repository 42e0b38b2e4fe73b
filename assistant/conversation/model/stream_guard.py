"""Keeps a weak model's streamed reply from derailing a turn.

A small local model may loop on one phrase, copy its instructions back, write a chat-template
token and carry on as the user, or run on until it is cut. :class:`StreamGuard` watches the
reply as it streams, says when to stop reading, and keeps the usable part: the text before the
trouble, ended at a sentence. :func:`settle_reply` then makes sure a coach turn asks its
step's question, and puts everything that was changed into one sentence for one notice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from assistant.conversation.model.limits import TEMPLATE_TOKENS


class Derail(StrEnum):
    """Why a reply was stopped or trimmed."""

    REPETITION = "repetition"
    ECHO = "echo"
    TEMPLATE = "template"
    RUN_ON = "run_on"


#: Words in a phrase that, said three times in one reply, is a loop.
REPEAT_WORDS = 8
REPEAT_TIMES = 3
#: A short stretch of characters repeated this many times in a row is a loop too ("!!!!…").
REPEAT_RUN = 12
LOOP_PERIOD = 8
#: Characters that arrive between two looks for such a run.
LOOP_CHECK_EVERY = 64
#: Consecutive words copied from the instructions that make an echo.
ECHO_WORDS = 14
#: Fewer words than this left after trimming: nothing usable.
USABLE_WORDS = 3

_WORD = re.compile(r"[\w'’]+")
_CHAR_LOOP = re.compile(
    r"(.{1," + str(LOOP_PERIOD) + r"}?)\1{" + str(REPEAT_RUN - 1) + ",}", re.DOTALL
)
#: Where the model starts writing someone else's turn: a speaker's label at the start of a
#: line, or a Gemma turn header whose special token was dropped ("…user\n").
_ROLE_LINE = re.compile(
    r"(?im)^[ \t]*(?:user|assistant|model|system|human|ai)[ \t]*:|(?:user|model)[ \t]*\n"
)
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*(?=\s|$)")
_HOLD_BACK = max(len(token) for token in TEMPLATE_TOKENS)
_LOOP_WINDOW = LOOP_PERIOD * REPEAT_RUN

_REASONS = {
    Derail.REPETITION: "it began repeating itself",
    Derail.ECHO: "it began copying its instructions",
    Derail.TEMPLATE: "it began writing the other side of the conversation",
    Derail.RUN_ON: "it ran on past its length limit",
}


@dataclass
class StreamGuard:
    """Watches one streamed reply. Feed it each delta; stop reading once :attr:`derail` is set.

    ``instructions`` are the texts the model was given and should not copy (system prompt,
    instructions); ``allowed`` are texts it may repeat word for word (the step's scripted
    question, the user's own answer). Each delta is inspected where it lands, so a long
    reply costs time in proportion to its length.
    """

    instructions: Sequence[str] = ()
    allowed: Sequence[str] = ()
    derail: Derail | None = None
    _text: str = ""
    _shown: int = 0
    _cut_at: int | None = None
    _loop_checked: int = 0
    _words: list[tuple[str, int]] = field(default_factory=list)
    _words_end: int = 0
    _phrases: Counter[tuple[str, ...]] = field(default_factory=Counter)
    _second_time: dict[tuple[str, ...], int] = field(default_factory=dict)
    _echo_shingles: frozenset[tuple[str, ...]] = frozenset()

    def __post_init__(self) -> None:
        permitted = set(_shingles(_words_of(" ".join(self.allowed)), ECHO_WORDS))
        self._echo_shingles = frozenset(
            shingle
            for text in self.instructions
            for shingle in _shingles(_words_of(text), ECHO_WORDS)
            if shingle not in permitted
        )

    def feed(self, delta: str) -> str:
        """Take the next delta; return the text that may be shown now.

        Text from a recent ``<`` or ``[`` is held back until it is clear that it does not
        start a template token, so a leaked ``<end_of_turn>`` is never shown.
        """
        if self.derail is not None:
            return ""
        before = len(self._text)
        self._text += delta
        self._inspect(before)
        limit = self._cut_at if self._cut_at is not None else self._safe_end()
        if limit <= self._shown:
            return ""
        shown, self._shown = self._text[self._shown : limit], limit
        return shown

    def _safe_end(self) -> int:
        """Up to where the text cannot be the start of a template token still arriving."""
        tail_start = max(self._shown, len(self._text) - _HOLD_BACK)
        opening = [self._text.rfind(mark, tail_start) for mark in ("<", "[")]
        held = [at for at in opening if at >= 0]
        return min(held) if held else len(self._text)

    def flush(self) -> str:
        """At the end of the stream: the held-back text that may still be shown."""
        if self.derail is None:
            self._inspect(len(self._text), final=True)
        end = self._cut_at if self._cut_at is not None else len(self._text)
        rest, self._shown = self._text[self._shown : end], max(self._shown, end)
        return rest

    def ran_on(self) -> None:
        """The reply was cut by its length, time or byte limit."""
        if self.derail is None:
            self.derail = Derail.RUN_ON

    @property
    def usable(self) -> str:
        """The reply up to the trouble, ended at its last full sentence when it was stopped."""
        kept = self._text[: self._cut_at] if self._cut_at is not None else self._text
        if self.derail is None:
            return kept.strip()
        return _to_last_sentence(kept).strip()

    def _inspect(self, before: int, *, final: bool = False) -> None:
        trouble = self._word_trouble()
        loop_at = None
        if final or len(self._text) - self._loop_checked >= LOOP_CHECK_EVERY:
            loop_at = _char_loop_at(self._text, self._loop_checked)
            self._loop_checked = len(self._text)
        for found, at in (
            (Derail.TEMPLATE, _template_at(self._text, max(0, before - _HOLD_BACK))),
            (Derail.REPETITION, loop_at),
            trouble if trouble is not None else (Derail.REPETITION, None),
        ):
            if at is not None:
                self.derail, self._cut_at = found, at
                return

    def _word_trouble(self) -> tuple[Derail, int] | None:
        """Whether the new complete words start a loop or an echo, and where."""
        for match in _WORD.finditer(self._text, self._words_end):
            if match.end() >= len(self._text):
                break  # the word may go on in the next delta
            self._words.append((match.group().lower(), match.start()))
            self._words_end = match.end()
            phrase = tuple(word for word, _ in self._words[-REPEAT_WORDS:])
            if len(phrase) == REPEAT_WORDS:
                self._phrases[phrase] += 1
                start = self._words[-REPEAT_WORDS][1]
                if self._phrases[phrase] == 2:
                    self._second_time[phrase] = start
                elif self._phrases[phrase] >= REPEAT_TIMES:
                    return Derail.REPETITION, self._second_time[phrase]
            shingle = tuple(word for word, _ in self._words[-ECHO_WORDS:])
            if len(shingle) == ECHO_WORDS and shingle in self._echo_shingles:
                return Derail.ECHO, self._words[-ECHO_WORDS][1]
        return None


@dataclass(frozen=True)
class SettledReply:
    """A reply ready to save, and the one sentence saying what was changed (if anything)."""

    text: str
    notice: str | None


def settle_reply(guard: StreamGuard, *, question: str | None, fallback: str) -> SettledReply:
    """The text to keep for a finished stream, and one notice for every change made to it.

    ``question`` is the step's scripted question, added when the reply asks none (coach turns
    only); ``fallback`` is said instead when nothing usable is left.
    """
    text = guard.usable
    changes: list[str] = []
    if guard.derail is not None:
        changes.append(f"the model's reply was stopped because {_REASONS[guard.derail]}")
    if guard.derail is not None and len(_words_of(text)) < USABLE_WORDS:
        changes.append("nothing usable was left, so the scripted reply was used")
        return SettledReply(fallback, _sentence(changes))
    if question and "?" not in text:
        text = f"{text}\n\n{question}"
        changes.append("it asked no question, so this step's question was added")
    return SettledReply(text, _sentence(changes) if changes else None)


def guard_for(messages: Sequence[Mapping[str, str]], question: str | None) -> StreamGuard:
    """A guard for a reply to ``messages``.

    The reply must not copy a long stretch of its instructions (the system messages). It may
    quote the reference passages in them (their lines start with ``>``), the user's words and
    its own earlier turns, and it may repeat the step's question word for word.
    """
    instructions = [
        "\n".join(
            line for line in message["content"].splitlines() if not line.lstrip().startswith(">")
        )
        for message in messages
        if message.get("role") == "system"
    ]
    return StreamGuard(instructions=instructions, allowed=[question or ""])


def _sentence(changes: list[str]) -> str:
    joined = "; ".join(changes)
    return joined[0].upper() + joined[1:] + "."


def _template_at(text: str, since: int) -> int | None:
    """Where a chat-template token or another speaker's label starts, from ``since`` on."""
    found = [at for at in (text.find(token, since) for token in TEMPLATE_TOKENS) if at >= 0]
    role = _ROLE_LINE.search(text, since)
    if role is not None:
        found.append(role.start())
    return min(found) if found else None


def _char_loop_at(text: str, before: int) -> int | None:
    """Where a short stretch repeated many times in a row comes round the second time."""
    loop = _CHAR_LOOP.search(text, max(0, before - _LOOP_WINDOW))
    return loop.start() + len(loop.group(1)) if loop else None


def _to_last_sentence(text: str) -> str:
    ends = list(_SENTENCE_END.finditer(text))
    return text[: ends[-1].end()] if ends else text


def _words_of(text: str) -> list[str]:
    return [match.group().lower() for match in _WORD.finditer(text)]


def _shingles(words: list[str], size: int) -> Iterable[tuple[str, ...]]:
    return (tuple(words[index : index + size]) for index in range(len(words) - size + 1))
