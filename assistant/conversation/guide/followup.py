"""When an answer calls for a follow-up question, and which one.

Today's rule: an answer that is very short, or a non-answer ("idk", "not sure"), gets the
step's ``followup_when_thin`` question. The engine asks at most one follow-up per step.
"""

from __future__ import annotations

from assistant.conversation.core.flows import StepSpec
from assistant.conversation.core.user_text import word_count

#: An answer shorter than this (in words) is thin.
THIN_ANSWER_WORDS = 6
NON_ANSWERS = {"idk", "dunno", "not sure", "no idea", "nothing", "n/a", "na", "-", "?", "none"}


def follow_up_for(step: StepSpec, answer: str) -> str | None:
    """The follow-up question ``answer`` calls for at ``step``, or None to move on."""
    if not step.followup_when_thin:
        return None
    thin = word_count(answer) < THIN_ANSWER_WORDS
    if thin or answer.strip().lower().rstrip(".!") in NON_ANSWERS:
        return step.followup_when_thin
    return None
