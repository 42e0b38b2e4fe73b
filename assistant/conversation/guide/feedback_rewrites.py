"""Rewrites for the practice rubric that agree with what the mentor said.

A scenario carries one well-formed example of feedback; shown as it is, it could contradict
the mentor ("two days late on Wednesday" answered with "one to three days after the Friday
deadline"). So the example is adapted first: its weekdays become the mentor's, a figure
with the same unit ("one to three days") becomes the mentor's figure ("two days"), and the
colleague it names becomes the one the mentor named ("when Lee presented it", not the
example's "Alex"). The days the mentor proposed for a next step go into the next-step rewrite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.conversation.core.scenarios import ExampleFeedback
from assistant.conversation.guide.content_words import asks_within
from assistant.conversation.guide.feedback_reading import (
    DAY,
    MONTH,
    NUMBER,
    next_step_score,
    unquoted,
)
from assistant.conversation.guide.understanding import find_people
from assistant.conversation.guide.wording import as_asked

_DAY_RE = re.compile(rf"\b({DAY})(s|'s)?\b(?! (?:deadline|cut-off|due date))", re.IGNORECASE)
"""A weekday on which something happened (a "Friday deadline" is a fact of its own)."""
#: The day something was due, as a mentor says it: "due Monday", "the Monday deadline".
_DUE_DAY = re.compile(
    rf"\bdue (?:on |by |last |this )?({DAY})\b|\b({DAY})(?:'s)? (?:deadline|cut-off)\b|"
    rf"\bdeadline (?:is|was|of|on) (?:on )?({DAY})\b",
    re.IGNORECASE,
)
#: The weekday of a deadline in the scenario's example ("the Friday deadline").
_DEADLINE_DAY = re.compile(rf"\b(?:{DAY})(?=(?:'s)? (?:deadline|cut-off)\b)", re.IGNORECASE)
_MONTH_RE = re.compile(rf"\b({MONTH})\b", re.IGNORECASE)
_FIGURE = re.compile(
    rf"\b((?:{NUMBER})(?: to (?:{NUMBER}))?(?: \w+)?? "
    r"(days?|weeks?|hours?|minutes?|times|reports?|sessions?|comments?|deadlines?|updates?|"
    r"projects?|months?|reviews?|meetings?|emails?|items?|tests?|customers?))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MentorDetails:
    """The days, months and figures the mentor used: about what happened, and in a proposed
    step."""

    past_days: tuple[str, ...]
    step_days: tuple[str, ...]
    figures: tuple[tuple[str, str], ...]  # (phrase, unit in the singular)
    months: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # the people the mentor named, besides the mentee
    due_days: tuple[str, ...] = ()  # the weekday the mentor said the work was due

    def adapt(self, text: str, persona: str = "") -> str:
        """``text`` about what happened, in the mentor's days, months, figures and names (the
        example's "Friday deadline" is the mentor's when they said it was due Monday)."""
        if self.due_days:
            text = _DEADLINE_DAY.sub(self.due_days[0], text)
        adapted_text = adapted(text, self.past_days, self.figures, self.months)
        return with_names(adapted_text, self.others, persona)


def details_of(lines: list[str], persona: str = "") -> MentorDetails:
    """What the mentor said, as details a rewrite can reuse (``persona`` is the mentee's
    name, which is not one of the others)."""
    past: list[str] = []
    step: list[str] = []
    figures: list[tuple[str, str]] = []
    months: list[str] = []
    due: list[str] = []
    for line in lines:
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            text = unquoted(sentence)
            due += [next(filter(None, m.groups())).capitalize() for m in _DUE_DAY.finditer(text)]
            days = [match[1].capitalize() for match in _DAY_RE.finditer(text)]
            proposed = next_step_score(text) > 1
            (step if proposed else past).extend(days)
            if not proposed:
                months += [match[1].capitalize() for match in _MONTH_RE.finditer(text)]
            figures += [(m[1], _singular(m[2])) for m in _FIGURE.finditer(text)]
    calendar = {name.lower() for name in (*past, *step, *months)}
    others = [
        name
        for name in find_people(" ".join(unquoted(line) for line in lines))
        if name != persona and name.lower() not in calendar
    ]
    past = [day for day in past if day not in due]  # "due Monday" is not when it happened
    return MentorDetails(
        tuple(dict.fromkeys(past)),
        tuple(dict.fromkeys(step)),
        tuple(figures),
        tuple(dict.fromkeys(months)),
        tuple(others),
        tuple(dict.fromkeys(due)),
    )


def with_names(text: str, others: tuple[str, ...], persona: str) -> str:
    """``text`` with the one colleague it names replaced by the one the mentor named: only
    when each names exactly one, so nobody is swapped by guesswork."""
    named = [name for name in find_people(text) if name != persona]
    if len(others) != 1 or len(named) != 1:
        return text
    return re.sub(rf"\b{re.escape(named[0])}\b", others[0], text)


def adapted(
    text: str,
    days: tuple[str, ...],
    figures: tuple[tuple[str, str], ...],
    months: tuple[str, ...] = (),
) -> str:
    """``text`` with its weekdays, months and same-unit figures replaced by the mentor's."""
    if days:
        text = _DAY_RE.sub(lambda m: _day_like(m, days[0]), text)
    if months:
        text = _MONTH_RE.sub(months[0], text)
    for phrase, unit in figures:
        text = re.sub(
            rf"\b(?:{NUMBER})(?: to (?:{NUMBER}))?(?: [\w-]+)? {unit}s?\b",
            phrase,
            text,
            count=1,
            flags=re.IGNORECASE,
        )
    return text


def criterion_rewrites(
    example: ExampleFeedback, details: MentorDetails, persona: str = ""
) -> dict[str, str]:
    def past(text: str) -> str:
        return details.adapt(text, persona)

    step = adapted(example.next_step, details.step_days, ())
    return {
        "situation": f"Anchor it in one moment: “{past(example.situation)} …”",
        "behaviour": f"Describe what you saw, not what you concluded: “{past(example.behaviour)}”",
        "impact": f"Say what it led to, and for whom: “{past(example.impact)}”",
        "open_question": f"Ask and listen: “{past(example.question)}”",
        "suggested_question": past(example.question),
        "next_step": f"Agree something concrete, with a time: “{step}”",
        "observed": past(example.behaviour).rstrip(" ,"),
    }


#: A second open question that builds on any first answer, for a mentor whose own open
#: question already asks what the scenario's example would.
FOLLOW_UP_QUESTION = "What would help most with that?"


def second_question(asked: str, suggested: str, rewrite: str) -> str:
    """The open-question rewrite for a mentor who asked ``asked``: ``rewrite`` (which asks
    ``suggested``), unless it asks what they already asked ("What's been getting in the
    way?"); then a second question that builds on the answer."""
    if asks_within(asked, suggested):
        return f"Follow their answer with a second open question: “{FOLLOW_UP_QUESTION}”"
    return rewrite


def example_together(
    example: ExampleFeedback,
    lines: list[str],
    earned: dict[str, tuple[int, str]] | None = None,
    persona: str = "",
) -> str:
    """The whole feedback put together: the mentor's own sentences where they already scored
    4 (``earned`` maps a criterion to its score and quote), the scenario's example adapted to
    the mentor's days, figures and names for the rest."""
    details = details_of(lines, persona)

    def past(text: str) -> str:
        return details.adapt(text, persona)

    earned = earned or {}
    behaviour_score, behaviour = earned.get("behaviour", (1, ""))
    impact_score, impact = earned.get("impact", (1, ""))
    question_score, question = earned.get("open_question", (1, ""))
    if behaviour_score == 4:
        said = behaviour.rstrip(" .!")
    else:
        said = past(f"{example.situation} {example.behaviour}").rstrip(" ,")
    if impact_score == 4:
        said = said if impact == behaviour else f"{said}. {impact.rstrip(' .!')}"
    else:
        said = f"{said}, {past(example.impact).lstrip(' ,').rstrip(' .!')}"
    asked = as_asked(question) if question_score >= 3 else past(example.question)
    return f"{said}. {asked}"


def _day_like(match: re.Match[str], day: str) -> str:
    suffix = match[2] or ""
    return f"{day}{suffix}"


def _singular(unit: str) -> str:
    lowered = unit.lower()
    return lowered[:-1] if lowered.endswith("s") and lowered != "times" else lowered
