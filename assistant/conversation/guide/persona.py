"""Guide mode's simulated mentee: scripted replies chosen by how the mentor spoke.

A hidden fact comes out only when the mentor asks an open question that touches it; blame or
judgement words get the persona's poor reaction; a proposed next step gets agreement;
specific, fair feedback gets the good reaction; anything else a neutral reply. Replies of each
kind are used in turn, so the persona does not repeat itself at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.conversation.core.scenarios import Scenario
from assistant.conversation.guide.questions import is_blaming_why, is_open_question
from assistant.conversation.guide.rubric import judgement_words, sentences_of

_PROPOSES_STEP = re.compile(
    r"\b(let's|let us|shall we|can we agree|could we agree|next step|how about we|"
    r"what if we|check in|follow up)\b",
    re.IGNORECASE,
)
_SPECIFIC = re.compile(
    r"\b(i (noticed|saw|heard)|you (said|sent|missed|delivered|cancelled|wrote|presented)|"
    r"which meant|that meant|as a result|the (team|client)|last (week|time|\w+day)|"
    r"yesterday|in the \w+ (meeting|review))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PersonaReply:
    text: str
    kind: str  # "fact", "poor", "agree", "good" or "neutral"
    revealed: int | None = None


def persona_reply(
    scenario: Scenario, mentor_line: str, revealed: list[int], used: dict[str, int]
) -> PersonaReply:
    """The persona's answer to ``mentor_line``.

    ``revealed`` holds the indexes of facts already told; ``used`` counts the replies of each
    kind already given (both come from the session state and are not changed here).
    """
    sentences = sentences_of([mentor_line])
    if judgement_words(mentor_line) or any(is_blaming_why(s) for s in sentences):
        return _scripted(scenario.poor_replies, "poor", used)
    if any(is_open_question(s) for s in sentences):
        for index, fact in enumerate(scenario.hidden_facts):
            if index not in revealed and fact.asked_about(mentor_line):
                return PersonaReply(fact.fact, "fact", index)
    if _PROPOSES_STEP.search(mentor_line):
        return _scripted(scenario.agree_replies, "agree", used)
    if _SPECIFIC.search(mentor_line):
        return _scripted(scenario.good_replies, "good", used)
    return _scripted(scenario.neutral_replies, "neutral", used)


def _scripted(replies: tuple[str, ...], kind: str, used: dict[str, int]) -> PersonaReply:
    count = used.get(kind, 0)
    return PersonaReply(replies[count % len(replies)], kind)
