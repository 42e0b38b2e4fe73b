"""Guide mode's simulated mentee: a scripted reply chosen by the kind of move the mentor made.

- judgement or labelling ("you're always late", "why didn't you…"), or waving the mentee's
  reaction away ("don't take it personally") -> defensive;
- a proposal -> accepted, or bargained over, in the mentor's own days, times and owners;
- empathy ("that sounds hard") -> opens up: the next hidden fact, or how it feels;
- an open question on the situation -> the scenario's facts, one at a time, and "like I
  said…" for a fact already told (the persona never contradicts itself); asked what
  would help once everything is told, it offers its own next step;
- specific, fair feedback -> acknowledges it;
- anything else (a closed question, vagueness, silence) -> stays vague.

Replies of each kind are used in turn, so the persona does not repeat itself at once. The
turn is shown under the persona's name and cites no guidance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from assistant.conversation.core.scenarios import Scenario, all_scenarios
from assistant.conversation.guide.feedback_reading import next_step_score, read_sentence
from assistant.conversation.guide.proposals import (
    Owner,
    accepted,
    confirmed_terms,
    counter_offer,
    read_proposal,
)
from assistant.conversation.guide.question_forms import is_blaming_why
from assistant.conversation.guide.rubric import judgement_words, sentences_of
from assistant.conversation.guide.wording import lower_first


class ReplyKind(StrEnum):
    FACT = "fact"
    RECALL = "recall"
    POOR = "poor"
    AGREE = "agree"
    NEGOTIATE = "negotiate"
    OPEN_UP = "open_up"
    GOOD = "good"
    SUGGEST = "suggest"
    NEUTRAL = "neutral"


_EMPATHY = re.compile(
    r"\b(?:that|it|this) (?:sounds|must be|must have been|seems)\b|"
    r"\bsounds (?:like )?(?:hard|tough|difficult|stressful|a lot|frustrating|exhausting)\b|"
    r"\bi can (?:imagine|see|understand)\b|\bi (?:understand|get it|get that|hear you)\b|"
    r"\bno wonder\b|\bit's (?:ok|okay|understandable|normal)\b|\bthat's (?:hard|tough|a lot|"
    r"understandable|fair enough)\b|\bthank(?:s| you) for (?:telling|sharing|being|saying)\b|"
    r"\bi'm sorry\b|\bsorry to hear\b|\bmakes sense\b|\byou're not alone\b|"
    r"\bhow are you (?:doing|feeling|holding up|finding)\b|\bi've been there\b|"
    r"\bhappens to (?:everyone|all of us)\b|\bi appreciate you\b|\bi'm here\b|"
    r"\bnot (?:here|trying) to (?:blame|judge|tell you off)\b",
    re.IGNORECASE,
)
_ON_TOPIC = re.compile(
    r"\b(?:happen|going on|get(?:ting)? in the way|tell me more|say more|help me understand|"
    r"your side|how do you see|what do you think|how are things|what's up|behind|making it|"
    r"makes it|hard|difficult|feel|think|view|why|reason|cause|changed|story|look like|"
    r"going|work|project|week|time)\w*",
    re.IGNORECASE,
)
_ASKS_FOR_IDEAS = re.compile(
    r"\bwhat (?:would|could|might|will|can) (?:help|you (?:do|try|change))|"
    r"what(?:'s| is) one thing|what do you need|what would you (?:like|want) to (?:try|do)|"
    r"how (?:can|could|might) (?:we|you|i)|what (?:can|could) (?:we|i) do|what(?:'s| is) "
    r"your plan|what's next|what next|where do we go",
    re.IGNORECASE,
)
_OPENING_WORDS = re.compile(r"^(?:honestly|to be honest|well|okay|so|yeah|look),?\s+", re.I)


@dataclass(frozen=True)
class PersonaReply:
    text: str
    kind: ReplyKind
    revealed: int | None = None


def persona_reply(
    scenario: Scenario, mentor_line: str, revealed: list[int], used: dict[str, int]
) -> PersonaReply:
    """The persona's answer to ``mentor_line``.

    ``revealed`` holds the indexes of facts already told; ``used`` counts the replies of each
    kind already given (both come from the session state and are not changed here).
    """
    readings = [read_sentence(sentence) for sentence in sentences_of([mentor_line])]
    if not readings:
        return _scripted(scenario.neutral_replies, ReplyKind.NEUTRAL, used)
    waved_away = any(r.dismissive for r in readings)  # "don't take it personally"
    if (
        judgement_words(mentor_line)
        or waved_away
        or any(is_blaming_why(r.sentence) for r in readings)
    ):
        return _scripted(scenario.poor_replies, ReplyKind.POOR, used)
    proposal = next(
        (r.sentence for r in readings if r.next_step >= 3 and not r.open_questions), None
    )
    if proposal is not None:
        return _answer_proposal(scenario, proposal, used)
    asked_openly = any(r.open_questions for r in readings)
    if _EMPATHY.search(mentor_line):
        return _opened_up(scenario, mentor_line, revealed, used)
    if asked_openly:
        return _answer_question(scenario, mentor_line, revealed, used)
    terms = confirmed_terms(mentor_line)
    if terms and (used.get(ReplyKind.NEGOTIATE) or used.get(ReplyKind.AGREE)):
        return _confirmed(scenario, terms)
    if any(r.behaviour >= 3 or r.impact == 4 for r in readings):
        return _scripted(scenario.good_replies, ReplyKind.GOOD, used)
    return _scripted(scenario.neutral_replies, ReplyKind.NEUTRAL, used)


def speaker_line(scenario: Scenario, text: str) -> str:
    """The persona's turn as shown: under its name, like its opening line."""
    return f"{scenario.persona_name}: {text}"


def speaker_of(turn_text: str) -> str | None:
    """The persona whose role-play turn this is ("Priya" for "Priya: Honestly, …"), or None
    for a coach's turn: what a view shows as the turn's label instead of "Reflect"."""
    return next(
        (s.persona_name for s in all_scenarios() if turn_text.startswith(f"{s.persona_name}: ")),
        None,
    )


def spoken_text(scenario: Scenario, line: str) -> str:
    """The words of a persona turn without its name."""
    return line.removeprefix(f"{scenario.persona_name}: ")


def _answer_question(
    scenario: Scenario, line: str, revealed: list[int], used: dict[str, int]
) -> PersonaReply:
    """An open question: the fact it touches, else the next one if it is about the
    situation at all; a fact already told is recalled, not told differently."""
    facts = scenario.hidden_facts
    touched = [index for index, fact in enumerate(facts) if fact.asked_about(line)]
    fresh = [index for index in touched if index not in revealed]
    if fresh:
        return PersonaReply(facts[fresh[0]].fact, ReplyKind.FACT, fresh[0])
    untold = [index for index in range(len(facts)) if index not in revealed]
    if untold and (touched or _ON_TOPIC.search(line)):
        return PersonaReply(facts[untold[0]].fact, ReplyKind.FACT, untold[0])
    if _ASKS_FOR_IDEAS.search(line):
        return PersonaReply(f"Maybe I could {scenario.commitment}.", ReplyKind.SUGGEST)
    if touched:
        return PersonaReply(_recalled(facts[touched[0]].fact), ReplyKind.RECALL)
    return _scripted(scenario.neutral_replies, ReplyKind.NEUTRAL, used)


def _opened_up(
    scenario: Scenario, line: str, revealed: list[int], used: dict[str, int]
) -> PersonaReply:
    """Empathy: the persona tells the next thing it had kept back, or how it feels."""
    untold = [index for index in range(len(scenario.hidden_facts)) if index not in revealed]
    if untold:
        touched = [i for i in untold if scenario.hidden_facts[i].asked_about(line)]
        index = (touched or untold)[0]
        return PersonaReply(scenario.hidden_facts[index].fact, ReplyKind.FACT, index)
    return _scripted(scenario.open_up_replies, ReplyKind.OPEN_UP, used)


def _answer_proposal(scenario: Scenario, sentence: str, used: dict[str, int]) -> PersonaReply:
    """Accept the mentor's step in the mentor's terms; a persona that bargains keeps one of
    several proposed days (the first time only), giving its reason."""
    proposal = read_proposal(sentence)
    follow_on = scenario.agree_replies[used.get(ReplyKind.AGREE, 0) % len(scenario.agree_replies)]
    bargains = scenario.negotiates and not used.get(ReplyKind.NEGOTIATE)
    dropped = proposal.days[0] if len(proposal.days) >= 2 else ""
    step = proposal.without_day(dropped) if dropped else proposal.step
    if bargains and step != proposal.step:
        text = f"{dropped} is hard, {scenario.busy_reason}. {counter_offer(proposal, step)}"
        return PersonaReply(text, ReplyKind.NEGOTIATE)
    parts = [accepted(proposal)]
    if proposal.owner is Owner.MENTOR:
        parts[0] += f" I'll {scenario.commitment}."
    else:
        parts.append(follow_on)
    if next_step_score(sentence) < 4:
        parts.append("When shall we check how it went?")
    return PersonaReply(" ".join(parts), ReplyKind.AGREE)


def _confirmed(scenario: Scenario, terms: str) -> PersonaReply:
    """A short "Thursday at 10 then" after a proposal: settled, in the mentor's words."""
    return PersonaReply(f"Great, {terms} it is. I'll {scenario.commitment}.", ReplyKind.AGREE)


def _recalled(fact: str) -> str:
    first = re.split(r"(?<=[.!?])\s", fact, maxsplit=1)[0]
    first = _OPENING_WORDS.sub("", first)
    return f"Like I said, {lower_first(first)}" if first else fact


def _scripted(replies: tuple[str, ...], kind: ReplyKind, used: dict[str, int]) -> PersonaReply:
    count = used.get(kind, 0)
    return PersonaReply(replies[count % len(replies)], kind)
