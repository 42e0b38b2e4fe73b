"""Guide mode's feedback rubric: scores a mentor's words from 1 to 4 on six criteria.

Each criterion is judged sentence by sentence (:mod:`feedback_reading`) and its score quotes
the sentence that earned it. Below 4 it offers a rewrite built from the mentor's own details
(:mod:`feedback_rewrites`). The checks are simple, visible rules (time words, occasions,
observable acts with counts and dates, consequences and who bore them, question forms, steps
with a time, judgement words), so a mentor can see why a line scored as it did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.conversation.core.scenarios import Scenario
from assistant.conversation.guide.feedback_reading import (
    MILD_JUDGEMENT,
    SentenceReading,
    read_sentence,
    unquoted,
)
from assistant.conversation.guide.feedback_reading import (
    judgement_words as reading_judgement,
)
from assistant.conversation.guide.feedback_rewrites import (
    criterion_rewrites,
    details_of,
    second_question,
)
from assistant.conversation.guide.wording import tidy

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
    """The mentor's words, sentence by sentence (a quoted "?" does not end a sentence). A
    semicolon outside a quote ends one too: "the report came in Thursday, so Marcus showed
    old numbers; what got in the way?" says what happened, then asks openly."""
    found = []
    for line in lines:
        for sentence in re.split(r"(?<=[.!?])(?<![.!?][\"“”'’])\s+|\n+", line.strip()):
            found += [part.strip() for part in _semicolon_parts(sentence) if part.strip()]
    return found


def _semicolon_parts(sentence: str) -> list[str]:
    """``sentence`` split at its semicolons outside quotation marks."""
    parts, start, inside = [], 0, False
    for index, char in enumerate(sentence):
        if char in '"“”':
            inside = not inside if char == '"' else char == "“"
        elif char == ";" and not inside:
            parts.append(sentence[start:index])
            start = index + 1
    return [*parts, sentence[start:]]


def score_feedback(lines: list[str], scenario: Scenario) -> list[CriterionScore]:
    """Score everything the mentor said, criterion by criterion, each score quoting the
    sentence that earned it; rewrites reuse the mentor's own days, figures and names."""
    readings = [read_sentence(sentence) for sentence in sentences_of(lines)]
    persona = scenario.persona_name
    rewrites = criterion_rewrites(scenario.example, details_of(lines, persona), persona)
    scores = [
        _best(criterion, readings, notes, rewrites[criterion])
        for criterion, notes in _NOTES.items()
    ]
    return [
        *scores[:3],
        _open_question(readings, rewrites["open_question"], rewrites["suggested_question"]),
        *scores[3:],
        _judgement_free(readings, _observed(readings, rewrites["observed"])),
    ]


def judgement_words(text: str) -> list[str]:
    """The judgement words in the mentor's own words (not in what they quote)."""
    return reading_judgement(tidy(unquoted(text)))


_NOTES: dict[str, dict[int, str]] = {
    "situation": {
        4: "Names when and where it happened.",
        3: "Says when or where, not both.",
        2: "“Recently” or “often” leaves the mentee guessing.",
        1: "No specific situation was named.",
    },
    "behaviour": {
        4: "Describes what they did, with a count, a date or the words used.",
        3: "Describes what they did; a count, a date or the exact words would help.",
        2: "Labels the person instead of describing what they did.",
        1: "No observable behaviour was described.",
    },
    "impact": {
        4: "Says what it led to, and for whom.",
        3: "Mentions an effect or your feeling; say what it led to for the work or the team.",
        2: "Calls it a problem without saying what it caused.",
        1: "The impact was never stated.",
    },
    "next_step": {
        4: "A concrete next step with a time.",
        3: "A next step, but no time to check on it.",
        2: "A wish (“do better”, “be more careful”), not an agreed step.",
        1: "No next step was agreed.",
    },
}


def _best(
    criterion: str, readings: list[SentenceReading], notes: dict[int, str], rewrite: str
) -> CriterionScore:
    """The best score any sentence earns, quoting the first sentence that earns it."""
    best = max(readings, key=lambda reading: int(getattr(reading, criterion)), default=None)
    score = int(getattr(best, criterion)) if best is not None else 1
    quote = best.sentence if best is not None and score > 1 else ""
    return CriterionScore(criterion, score, quote, notes[score], "" if score == 4 else rewrite)


def _open_question(readings: list[SentenceReading], rewrite: str, suggested: str) -> CriterionScore:
    """``rewrite`` asks the scenario's ``suggested`` question (a mentor who asked it already
    is offered one that builds on the answer)."""
    asked = sum(reading.open_questions for reading in readings)
    first_open = next((r.sentence for r in readings if r.open_questions), "")
    if asked >= 2:
        return CriterionScore(
            "open_question", 4, first_open, "Asked open questions and explored further."
        )
    if asked == 1:
        note = "Asked an open question; a second one would go deeper."
        deeper = second_question(first_open, suggested, rewrite)
        return CriterionScore("open_question", 3, first_open, note, deeper)
    closed = next((r.sentence for r in readings if r.closed_question), "")
    if closed:
        note = "Only closed, leading or blaming questions: they invite a yes, a no or a defence."
        return CriterionScore("open_question", 2, closed, note, rewrite)
    return CriterionScore("open_question", 1, "", "No question was asked.", rewrite)


def _observed(readings: list[SentenceReading], example: str) -> str:
    """What the mentor saw in their own words (their best behaviour sentence), else the
    scenario's example adapted to their details."""
    seen = max(readings, key=lambda reading: reading.behaviour, default=None)
    return seen.sentence if seen is not None and seen.behaviour >= 3 else example


#: What to say instead of waving a reaction away: hear it, then ask.
HEARD_INSTEAD = "I can see that was hard to hear. How does it look from your side?"


def _judgement_free(readings: list[SentenceReading], observed: str) -> CriterionScore:
    """Judgement words, and dismissive wording (each phrase as strong as a judgement word):
    the score, the first sentence holding either, and a rewrite for the first one."""
    flagged = [r for r in readings if r.judgement or r.dismissive]
    if not flagged:
        return CriterionScore("judgement_free", 4, "", "No judgement words.")
    all_words = sorted({word for r in flagged for word in r.judgement})
    waved = list(dict.fromkeys(phrase for r in flagged for phrase in r.dismissive))
    strong = [word for word in all_words if word not in MILD_JUDGEMENT] + waved
    mild = [word for word in all_words if word in MILD_JUDGEMENT]
    if len(strong) >= 2:
        score = 1
    elif strong or len(mild) >= 2:
        score = 2
    else:
        score = 3
    notes = []
    if all_words:
        notes.append("Judgement words: " + ", ".join(f"“{word}”" for word in all_words) + ".")
    if waved:
        listed = ", ".join(f"“{phrase}”" for phrase in waved)
        notes.append(
            f"Dismissive wording: {listed} argues with their reaction instead of hearing it."
        )
    first = flagged[0]
    if first.judgement:
        rewrite = f"Replace “{first.judgement[0]}” with what you saw, as in: “{observed}”"
    else:
        rewrite = (
            f"Instead of “{first.dismissive[0]}”, hear the reaction and ask: “{HEARD_INSTEAD}”"
        )
    return CriterionScore("judgement_free", score, first.sentence, " ".join(notes), rewrite)
