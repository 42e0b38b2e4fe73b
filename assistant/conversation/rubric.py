"""Guide mode's feedback rubric: scores a mentor's words from 1 to 4 on six criteria.

Each score quotes the mentor's own sentence as evidence and, below 4, offers a concrete
rewrite drawn from the scenario's example of well-formed feedback. The checks are simple,
visible rules (time words, observable verbs, consequence words, question forms, judgement
words), so a mentor can see why a line scored as it did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.conversation.question_check import (
    is_blaming_why,
    is_closed_question,
    is_open_question,
)
from assistant.conversation.scenarios import Scenario

CRITERIA = ("situation", "behaviour", "impact", "open_question", "next_step", "judgement_free")
CRITERION_LABELS = {
    "situation": "Situation",
    "behaviour": "Behaviour",
    "impact": "Impact",
    "open_question": "Open question",
    "next_step": "Agreed next step",
    "judgement_free": "No judgement words",
}
SCORE_RANGE = (1, 4)

_DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_SPECIFIC_TIME = re.compile(
    rf"\b(yesterday|today|this (morning|afternoon|week|month|quarter|sprint)|"
    rf"last (week|month|time|sprint|quarter|{_DAYS})|on ({_DAYS})|({_DAYS})'s|"
    rf"in the last \w+|over the (last|past) \w+|since \w+|earlier today|"
    r"\d{1,2}(st|nd|rd|th)?\s+of\b|\bin (january|february|march|april|may|june|july|august|"
    r"september|october|november|december))\b",
    re.IGNORECASE,
)
_OCCASION = re.compile(
    r"\b(meeting|review|stand-?up|call|session|presentation|demo|report|deadline|workshop|"
    r"retro|one-to-one|1:1|email|pull request|reviews|sessions|reports|deadlines|project)\b",
    re.IGNORECASE,
)
_VAGUE_TIME = re.compile(r"\b(recently|lately|sometimes|a few times|often|these days)\b", re.I)
_BEHAVIOUR = re.compile(
    r"\b(i (noticed|saw|heard|observed|read|see)|you (said|sent|missed|delivered|wrote|"
    r"presented|arrived|didn't|did not|haven't|have not|cancelled|canceled|interrupted|told|"
    r"submitted|handed|came|left|stayed|asked|skipped|replied|answered|spoke|volunteered|"
    r"agreed|took|gave|started|stopped|finished|missed)|(the|your|this|that) (report|code|"
    r"review|email|deck|update|deadline|comment|message|draft|session)s? (was|were|arrived|"
    r"came|went|said|had))\b",
    re.IGNORECASE,
)
_CONCRETE_DETAIL = re.compile(
    r"(\d|[\"“”']\w[^\"“”']{2,}[\"“”']|\b(one|two|three|four|five|twice|three times)\b)", re.I
)
_TRAIT = re.compile(r"\byou('re| are) (so |too |very |really )?\w+", re.IGNORECASE)
_IMPACT = re.compile(
    r"\b(impact|which meant|that meant|this meant|meant that|as a result|because of (this|that)|"
    r"affect(ed|s)?|the effect|consequence|led to|caused|so (the|we|i|our|they|he|she)|"
    r"i (felt|feel|was worried|am worried|worry|was concerned|am concerned)|"
    r"(the team|the client|the customer|others|colleagues) (had|has|was|were|couldn't|can't|"
    r"didn't|waited|lost))\b",
    re.IGNORECASE,
)
_IMPACT_PARTY = re.compile(
    r"\b(team|client|customer|colleague|colleagues|project|users?|manager|lead|others|me|us)\b",
    re.I,
)
_IMPACT_ASSERTED = re.compile(r"\b(a problem|not ok|not okay|not acceptable|unacceptable)\b", re.I)
_NEXT_STEP = re.compile(
    r"\b(next step|let's|let us|shall we|can we agree|could we agree|agree(d)? (on|to|that)|"
    r"plan|check in|follow up|catch up|what will you|what could you try|what would you try|"
    r"we'll|we will|i'll|i will)\b",
    re.IGNORECASE,
)
_DEADLINE = re.compile(
    rf"\b(by ({_DAYS}|tomorrow|next week|the end of|\d)|tomorrow|next ({_DAYS}|week|time|"
    r"session)|this week|in (a|two|2|one|1) weeks?|on the \d)",
    re.IGNORECASE,
)
_VAGUE_NEXT = re.compile(r"\b(going forward|from now on|try harder|do better|improve)\b", re.I)
_STRONG_JUDGEMENT = (
    "lazy",
    "careless",
    "sloppy",
    "unprofessional",
    "unreliable",
    "incompetent",
    "useless",
    "hopeless",
    "terrible",
    "awful",
    "pathetic",
    "irresponsible",
    "immature",
    "selfish",
    "rude",
    "arrogant",
    "stupid",
    "ridiculous",
    "bad attitude",
    "attitude problem",
    "not good enough",
    "too sensitive",
    "excuses",
    "whining",
)
_MILD_JUDGEMENT = ("always", "never", "obviously", "should have", "disappointing", "disappointed")


@dataclass(frozen=True)
class CriterionScore:
    criterion: str
    score: int
    quote: str
    note: str
    rewrite: str = ""

    @property
    def label(self) -> str:
        return CRITERION_LABELS[self.criterion]

    def as_dict(self) -> dict[str, object]:
        return {
            "criterion": self.criterion,
            "score": self.score,
            "quote": self.quote,
            "note": self.note,
            "rewrite": self.rewrite,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> CriterionScore:
        return cls(
            criterion=str(data["criterion"]),
            score=int(str(data["score"])),
            quote=str(data.get("quote", "")),
            note=str(data.get("note", "")),
            rewrite=str(data.get("rewrite", "")),
        )


def sentences_of(lines: list[str]) -> list[str]:
    """The mentor's words, sentence by sentence."""
    found = []
    for line in lines:
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", line.strip()):
            if sentence.strip():
                found.append(sentence.strip())
    return found


def score_feedback(lines: list[str], scenario: Scenario) -> list[CriterionScore]:
    """Score everything the mentor said in the role-play, criterion by criterion."""
    sentences = sentences_of(lines)
    scorers = (
        _situation,
        _behaviour,
        _impact,
        _open_question,
        _next_step,
        _judgement_free,
    )
    return [scorer(sentences, scenario) for scorer in scorers]


def judgement_words(text: str) -> list[str]:
    lowered = text.lower()
    return [
        word
        for word in (*_STRONG_JUDGEMENT, *_MILD_JUDGEMENT)
        if re.search(rf"\b{re.escape(word)}\b", lowered)
    ]


def _first(sentences: list[str], pattern: re.Pattern[str]) -> str:
    return next((s for s in sentences if pattern.search(s)), "")


def _situation(sentences: list[str], scenario: Scenario) -> CriterionScore:
    # Time words in a proposed next step ("check in on Friday") name no past situation.
    sentences = [s for s in sentences if not _NEXT_STEP.search(s)]
    both = next((s for s in sentences if _SPECIFIC_TIME.search(s) and _OCCASION.search(s)), "")
    if both:
        return CriterionScore("situation", 4, both, "Names when and where it happened.")
    one = _first(sentences, _SPECIFIC_TIME) or _first(sentences, _OCCASION)
    rewrite = f"Anchor it in one moment: “{scenario.example.situation} …”"
    if one:
        return CriterionScore(
            "situation", 3, one, "Points to the situation, but not both when and where.", rewrite
        )
    vague = _first(sentences, _VAGUE_TIME)
    if vague:
        return CriterionScore(
            "situation", 2, vague, "“Recently” or “often” leaves the mentee guessing.", rewrite
        )
    return CriterionScore("situation", 1, "", "No specific situation was named.", rewrite)


def _behaviour(sentences: list[str], scenario: Scenario) -> CriterionScore:
    rewrite = f"Describe what you saw, not what you concluded: “{scenario.example.behaviour}”"
    observed = _first(sentences, _BEHAVIOUR)
    if observed and _CONCRETE_DETAIL.search(observed):
        return CriterionScore(
            "behaviour", 4, observed, "Describes observable behaviour, with detail."
        )
    if observed:
        return CriterionScore(
            "behaviour", 3, observed, "Describes behaviour; a concrete detail would help.", rewrite
        )
    trait = _first(sentences, _TRAIT)
    if trait:
        return CriterionScore(
            "behaviour", 2, trait, "Labels the person instead of describing what they did.", rewrite
        )
    return CriterionScore("behaviour", 1, "", "No observable behaviour was described.", rewrite)


def _impact(sentences: list[str], scenario: Scenario) -> CriterionScore:
    rewrite = f"Say what it led to: “{scenario.example.impact}”"
    stated = _first(sentences, _IMPACT)
    if stated and _IMPACT_PARTY.search(stated):
        return CriterionScore("impact", 4, stated, "Says what the behaviour led to, and for whom.")
    if stated:
        return CriterionScore(
            "impact", 3, stated, "Mentions an effect; say who was affected.", rewrite
        )
    asserted = _first(sentences, _IMPACT_ASSERTED)
    if asserted:
        return CriterionScore(
            "impact", 2, asserted, "Calls it a problem without saying what it caused.", rewrite
        )
    return CriterionScore("impact", 1, "", "The impact was never stated.", rewrite)


def _open_question(sentences: list[str], scenario: Scenario) -> CriterionScore:
    rewrite = f"Ask and listen: “{scenario.example.question}”"
    open_questions = [s for s in sentences if is_open_question(s)]
    if len(open_questions) >= 2:
        return CriterionScore(
            "open_question", 4, open_questions[0], "Asked open questions and explored further."
        )
    if open_questions:
        return CriterionScore(
            "open_question",
            3,
            open_questions[0],
            "Asked an open question; a second one would go deeper.",
            rewrite,
        )
    closed = next((s for s in sentences if is_closed_question(s) or is_blaming_why(s)), "")
    if closed:
        return CriterionScore(
            "open_question",
            2,
            closed,
            "Only closed or blaming questions: they invite a yes, a no or a defence.",
            rewrite,
        )
    return CriterionScore("open_question", 1, "", "No question was asked.", rewrite)


def _next_step(sentences: list[str], scenario: Scenario) -> CriterionScore:
    rewrite = f"Agree something concrete, with a date: “{scenario.example.next_step}”"
    explicit = [s for s in sentences if _NEXT_STEP.search(s)]
    dated = next((s for s in explicit if _DEADLINE.search(s)), "")
    if dated:
        return CriterionScore("next_step", 4, dated, "A concrete next step with a time.")
    if explicit:
        return CriterionScore(
            "next_step", 3, explicit[0], "A next step, but no time to check on it.", rewrite
        )
    vague = _first(sentences, _VAGUE_NEXT)
    if vague:
        return CriterionScore(
            "next_step", 2, vague, "“Going forward” is a wish, not an agreed step.", rewrite
        )
    return CriterionScore("next_step", 1, "", "No next step was agreed.", rewrite)


def _judgement_free(sentences: list[str], scenario: Scenario) -> CriterionScore:
    flagged = [(s, judgement_words(s)) for s in sentences]
    flagged = [(s, words) for s, words in flagged if words]
    if not flagged:
        return CriterionScore("judgement_free", 4, "", "No judgement words.")
    quote, words = flagged[0]
    all_words = sorted({word for _, found in flagged for word in found})
    strong = [word for word in all_words if word in _STRONG_JUDGEMENT]
    rewrite = f"Replace “{words[0]}” with what you observed: “{scenario.example.behaviour}”"
    listed = ", ".join(f"“{word}”" for word in all_words)
    if len(strong) >= 2:
        score = 1
    elif strong or len(all_words) >= 2:
        score = 2
    else:
        score = 3
    return CriterionScore("judgement_free", score, quote, f"Judgement words: {listed}.", rewrite)
