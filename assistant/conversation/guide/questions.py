"""Rule-based checks of a question's framing, with a rewrite when one is flagged.

Used by guide mode's ``ask`` flow (the mentee's questions for a mentor). A question is split
into the questions stacked in it; each part is read for its form and for breadth and blame
(:mod:`question_forms`); each flag comes with one sentence that says what is wrong, and the
rewrite (:mod:`question_rewrites`) keeps the person's own subject.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.conversation.guide.question_for_mentor import question_for_mentor
from assistant.conversation.guide.question_forms import (
    FLAG_EXPLANATIONS,
    QuestionFlag,
    flags_of,
    is_blaming_why,
    is_closed_question,
    is_open_question,
    parts_of,
    with_auxiliary,
)
from assistant.conversation.guide.question_rewrites import rewrite
from assistant.conversation.guide.wording import tidy

__all__ = [
    "QuestionCheck",
    "QuestionFlag",
    "check_question",
    "is_blaming_why",
    "is_closed_question",
    "is_open_question",
]


ABOUT_ASKING = (
    "it asks whether to ask, which only you can decide; put the question itself to your mentor"
)


@dataclass(frozen=True)
class QuestionCheck:
    """A question, what is wrong with its framing (if anything), and a rewrite."""

    question: str
    flags: tuple[QuestionFlag, ...]
    rewrite: str | None
    separately: tuple[str, ...] = ()
    """For stacked questions, every one of them on its own (rewritten where weak), so that
    none is lost when only the first is kept as ``rewrite``."""
    about_asking: bool = False
    """Whether it asks whether (or how) to ask the mentor something ("is it ok to ask if
    she…"): a question for the mentee to settle, not one to put to the mentor."""

    @property
    def ok(self) -> bool:
        return not self.flags

    def explanations(self) -> list[str]:
        return [
            ABOUT_ASKING
            if flag is QuestionFlag.CLOSED and self.about_asking
            else FLAG_EXPLANATIONS[flag]
            for flag in self.flags
        ]


def check_question(question: str, *, context: str = "") -> QuestionCheck:
    """Flag the question's framing problems; ``context`` (the worry in the user's words)
    anchors the rewrite of a broad question."""
    text = " ".join(question.split())
    # read as spelled out ("how 2 get promoted", "you think…?"), shown as written
    parts = [with_auxiliary(part) for part in parts_of(tidy(text))]
    found: set[QuestionFlag] = set()
    for part in parts:
        found.update(flags_of(part))
    if len(parts) > 1:
        found.add(QuestionFlag.SEVERAL)
    flags = tuple(flag for flag in QuestionFlag if flag in found)
    if not flags:
        return QuestionCheck(text, flags, None)
    each = tuple(
        rewrite(part, flags_of(part), context) if flags_of(part) else _as_question(part)
        for part in parts
    )
    about_asking = question_for_mentor(parts[0]) is not None
    return QuestionCheck(text, flags, each[0], each if len(each) > 1 else (), about_asking)


def _as_question(part: str) -> str:
    """A part of a stacked question as a question of its own: capitalised, with its mark."""
    body = part.strip().rstrip(" ?.!,;")
    return f"{body[:1].upper()}{body[1:]}?"
