"""Questions a person puts back to the coach instead of answering: "what situation?", "what do
you mean by worry?", "what would you even try?".

They ask about the coach's own question, so they are neither the salient part of the answer
("You ask: “what situation?”"), nor questions to take to the mentor, nor context the mentor
needs. A question is put to the coach when it asks what the coach meant ("what do you mean by
…", "like what?"), or when it is a short question whose few content words all come from the
question the coach just asked ("What is the situation behind it?" -> "what situation?").
"""

from __future__ import annotations

import re

from assistant.conversation.core.flows import StepSpec
from assistant.conversation.guide.content_words import asks_within, content_stems
from assistant.conversation.guide.understanding import sentences_of

_CLARIFYING = re.compile(
    r"^(?:(?:um+|hmm+|sorry|wait|so|ok|okay|erm+),?\s+)*(?:what do you mean|what does (?:that|"
    r"this|it) (?:even )?mean|how do you mean|meaning what|like what|such as|what\?|huh|pardon)",
    re.IGNORECASE,
)
#: A question back has at most this many content words.
MAX_CONTENT_WORDS = 2


def asks_the_coach(question: str, coach_said: str) -> bool:
    """Whether ``question`` asks about what the coach said (``coach_said``: the question the
    answer replies to) rather than being a question of the person's own."""
    question = question.strip()
    if not question.endswith("?"):
        return False
    if _CLARIFYING.match(question):
        return True
    return len(content_stems(question)) <= MAX_CONTENT_WORDS and asks_within(question, coach_said)


def without_questions_back(sentences: list[str], coach_said: str) -> list[str]:
    """``sentences`` without the questions put back to the coach; a sentence that opens on
    one ("what situation? i mean, i found out…") keeps what follows it."""
    kept = []
    for sentence in sentences:
        parts = re.split(r"(?<=\?)\s+", sentence.strip())
        rest = [part for part in parts if not asks_the_coach(part, coach_said)]
        if rest:
            kept.append(" ".join(rest))
    return kept


def asked_at(step: StepSpec) -> str:
    """What the coach asks at ``step``, in any of its wordings."""
    return " ".join(filter(None, [step.question, step.question_when_said, step.followup_when_thin]))


def is_question_back(question: str, step: StepSpec) -> bool:
    """:func:`asks_the_coach` for an answer given at ``step``."""
    return asks_the_coach(question, asked_at(step))


def without_questions_back_in(answer: str, step: StepSpec) -> str:
    """``answer`` (given at ``step``) without the questions it puts back to the coach, one
    sentence a line; ``answer`` itself when it puts none."""
    sentences = sentences_of(answer)
    kept = without_questions_back(sentences, asked_at(step))
    return answer if kept == sentences else "\n".join(kept)
