"""Guide mode's feedback rubric: scores a mentor's words from 1 to 4 on six criteria.

Each score quotes the mentor's own sentence as evidence and, below 4, offers a concrete
rewrite drawn from the scenario's example of well-formed feedback. The checks are simple,
visible rules (time words, observable verbs, consequence words, question forms, judgement
words), so a mentor can see why a line scored as it did.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.conversation.core.scenarios import Scenario
from assistant.conversation.guide.questions import (
    is_blaming_why,
    is_closed_question,
    is_open_question,
)

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
    example = scenario.example
    rewrites = {
        "situation": f"Anchor it in one moment: “{example.situation} …”",
        "behaviour": f"Describe what you saw, not what you concluded: “{example.behaviour}”",
        "impact": f"Say what it led to: “{example.impact}”",
        "open_question": f"Ask and listen: “{example.question}”",
        "next_step": f"Agree something concrete, with a date: “{example.next_step}”",
    }
    scores = [
        _tiered(criterion, sentences, tiers, absent, rewrites[criterion])
        for criterion, (tiers, absent) in _TIERS.items()
    ]
    return [*scores, _judgement_free(sentences, example.behaviour)]


def judgement_words(text: str) -> list[str]:
    lowered = text.lower()
    return [
        word
        for word in (*_STRONG_JUDGEMENT, *_MILD_JUDGEMENT)
        if re.search(rf"\b{re.escape(word)}\b", lowered)
    ]


# A criterion's tiers, best first: (score, the first sentence that earns it, why).
Finder = Callable[[list[str]], str]


def _first(pattern: re.Pattern[str], *also: re.Pattern[str]) -> Finder:
    """The first sentence matching ``pattern`` (and every pattern in ``also``)."""

    def find(sentences: list[str]) -> str:
        return next((s for s in sentences if all(p.search(s) for p in (pattern, *also))), "")

    return find


def _past(find: Finder) -> Finder:
    """Time words in a proposed next step ("check in on Friday") name no past situation."""
    return lambda sentences: find([s for s in sentences if not _NEXT_STEP.search(s)])


def _open_questions(least: int) -> Finder:
    def find(sentences: list[str]) -> str:
        found = [s for s in sentences if is_open_question(s)]
        return found[0] if len(found) >= least else ""

    return find


def _closed_question(sentences: list[str]) -> str:
    return next((s for s in sentences if is_closed_question(s) or is_blaming_why(s)), "")


_TIERS: dict[str, tuple[list[tuple[int, Finder, str]], str]] = {
    "situation": (
        [
            (4, _past(_first(_SPECIFIC_TIME, _OCCASION)), "Names when and where it happened."),
            (3, _past(_first(_SPECIFIC_TIME)), "Says when, but not at which occasion."),
            (3, _past(_first(_OCCASION)), "Names the occasion, but not when."),
            (2, _first(_VAGUE_TIME), "“Recently” or “often” leaves the mentee guessing."),
        ],
        "No specific situation was named.",
    ),
    "behaviour": (
        [
            (4, _first(_BEHAVIOUR, _CONCRETE_DETAIL), "Describes observable behaviour, in detail."),
            (3, _first(_BEHAVIOUR), "Describes behaviour; a concrete detail would help."),
            (2, _first(_TRAIT), "Labels the person instead of describing what they did."),
        ],
        "No observable behaviour was described.",
    ),
    "impact": (
        [
            (4, _first(_IMPACT, _IMPACT_PARTY), "Says what the behaviour led to, and for whom."),
            (3, _first(_IMPACT), "Mentions an effect; say who was affected."),
            (2, _first(_IMPACT_ASSERTED), "Calls it a problem without saying what it caused."),
        ],
        "The impact was never stated.",
    ),
    "open_question": (
        [
            (4, _open_questions(2), "Asked open questions and explored further."),
            (3, _open_questions(1), "Asked an open question; a second one would go deeper."),
            (2, _closed_question, "Only closed or blaming questions: they invite a yes, a no "
             "or a defence."),
        ],
        "No question was asked.",
    ),
    "next_step": (
        [
            (4, _first(_NEXT_STEP, _DEADLINE), "A concrete next step with a time."),
            (3, _first(_NEXT_STEP), "A next step, but no time to check on it."),
            (2, _first(_VAGUE_NEXT), "“Going forward” is a wish, not an agreed step."),
        ],
        "No next step was agreed.",
    ),
}  # fmt: skip


def _tiered(
    criterion: str,
    sentences: list[str],
    tiers: list[tuple[int, Finder, str]],
    absent: str,
    rewrite: str,
) -> CriterionScore:
    for score, find, note in tiers:
        quote = find(sentences)
        if quote:
            return CriterionScore(criterion, score, quote, note, "" if score == 4 else rewrite)
    return CriterionScore(criterion, 1, "", absent, rewrite)


def _judgement_free(sentences: list[str], observed: str) -> CriterionScore:
    flagged = [(s, judgement_words(s)) for s in sentences]
    flagged = [(s, words) for s, words in flagged if words]
    if not flagged:
        return CriterionScore("judgement_free", 4, "", "No judgement words.")
    quote, words = flagged[0]
    all_words = sorted({word for _, found in flagged for word in found})
    strong = [word for word in all_words if word in _STRONG_JUDGEMENT]
    rewrite = f"Replace “{words[0]}” with what you observed: “{observed}”"
    listed = ", ".join(f"“{word}”" for word in all_words)
    if len(strong) >= 2:
        score = 1
    elif strong or len(all_words) >= 2:
        score = 2
    else:
        score = 3
    return CriterionScore("judgement_free", score, quote, f"Judgement words: {listed}.", rewrite)
