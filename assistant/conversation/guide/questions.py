"""Rule-based checks of a question's framing, with an open rewrite when one is flagged.

Used by guide mode's ``ask`` flow (the mentee's questions for a mentor) and by the practice
rubric (did the mentor ask an open question?). The rules are deliberately simple and
explainable: each flag comes with one sentence that says what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CLOSED = "closed"
BLAMING_WHY = "blaming_why"
SEVERAL = "several"
VAGUE = "vague"

FLAG_EXPLANATIONS = {
    CLOSED: "it can be answered with a plain yes or no, so you learn little",
    BLAMING_WHY: "a “why did/didn't you…” question sounds like blame and invites a defence",
    SEVERAL: "it asks several things at once; usually only one gets answered",
    VAGUE: "it is too general to answer well; name the situation you mean",
}

_LEAD_IN = r"^(?:(?:so|and|but|ok|okay|well|also|then|hey|hi)[,\s]+)*"
_AUXILIARIES = (
    "do|does|did|is|are|was|were|am|can|could|will|would|should|shall|have|has|had|may|"
    "might|must|isn't|aren't|wasn't|weren't|don't|doesn't|didn't|can't|couldn't|won't|"
    "wouldn't|shouldn't|haven't|hasn't"
)
_OPEN_STARTS = (
    r"what|what's|how|which|where|when|who|whom|whose|why|in what way|tell me|describe|"
    r"walk me through|help me understand|talk me through|say more|share"
)
_CLOSED_RE = re.compile(rf"{_LEAD_IN}({_AUXILIARIES})\b", re.IGNORECASE)
_OPEN_RE = re.compile(rf"{_LEAD_IN}({_OPEN_STARTS})\b", re.IGNORECASE)
_WHY_RE = re.compile(rf"{_LEAD_IN}why\b\s*(.*)", re.IGNORECASE)
_BLAME_AFTER_WHY = re.compile(
    r"^(did|didn't|don't|doesn't|can't|couldn't|won't|wouldn't|haven't|hasn't|aren't|isn't|"
    r"wasn't|weren't|do|are|were|would|is)\s+(you|they|he|she)\b",
    re.IGNORECASE,
)
_SECOND_QUESTION = re.compile(
    rf"\b(?:and|or|also)\s+(?:{_OPEN_STARTS}|should|do|does|did|can|could|would|will|is|are)\b",
    re.IGNORECASE,
)
_VAGUE_RE = re.compile(
    r"\b(any (advice|tips|thoughts|suggestions|ideas)\s*(\?|$)|stuff|things in general|"
    r"anything (else )?i should know|thoughts\?*$|what do you think\?*$|"
    r"how (do|can|could|should) i (improve|get better|grow|do better|succeed)\?*$)",
    re.IGNORECASE,
)
_MIN_WORDS = 4


@dataclass(frozen=True)
class QuestionCheck:
    """A question, what is wrong with its framing (if anything), and an open rewrite."""

    question: str
    flags: tuple[str, ...]
    rewrite: str | None

    @property
    def ok(self) -> bool:
        return not self.flags

    def explanations(self) -> list[str]:
        return [FLAG_EXPLANATIONS[flag] for flag in self.flags]


def is_question(sentence: str) -> bool:
    stripped = sentence.strip()
    return stripped.endswith("?") or bool(_OPEN_RE.match(stripped) or _CLOSED_RE.match(stripped))


def is_closed_question(sentence: str) -> bool:
    return bool(_CLOSED_RE.match(sentence.strip())) and sentence.strip().endswith("?")


def is_blaming_why(sentence: str) -> bool:
    match = _WHY_RE.match(sentence.strip())
    return bool(match and _BLAME_AFTER_WHY.match(match[1]))


def is_open_question(sentence: str) -> bool:
    """An open question: starts like "what", "how", "tell me..." and is not a blaming why."""
    stripped = sentence.strip()
    return bool(_OPEN_RE.match(stripped)) and not is_blaming_why(stripped)


def check_question(question: str, *, context: str = "") -> QuestionCheck:
    """Flag the question's framing problems; ``context`` (the worry in the user's words)
    makes the rewrite of a vague question specific."""
    text = " ".join(question.split())
    flags: list[str] = []
    if is_blaming_why(text):
        flags.append(BLAMING_WHY)
    elif is_closed_question(text):
        flags.append(CLOSED)
    if text.count("?") > 1 or _SECOND_QUESTION.search(_first_clause_removed(text)):
        flags.append(SEVERAL)
    if len(text.split()) < _MIN_WORDS or _VAGUE_RE.search(text):
        flags.append(VAGUE)
    return QuestionCheck(text, tuple(flags), _rewrite(text, flags, context) if flags else None)


def _first_clause_removed(text: str) -> str:
    """The question without its first three words, so an opening "and" is not counted."""
    return " ".join(text.split()[3:])


# --- rewrites -------------------------------------------------------------------------------


def _template(pattern: str, wording: str) -> tuple[re.Pattern[str], str]:
    return re.compile(pattern, re.IGNORECASE), wording


_CLOSED_TEMPLATES = [
    _template(r"^should i (.+)$", "What should I weigh up in deciding whether to {0}?"),
    _template(r"^(?:do|would) you think (?:that )?(.+)$", "What is your view on whether {0}?"),
    _template(r"^(?:can|could) i (.+)$", "What would it take for me to {0}?"),
    _template(
        r"^(?:is|would) it (?:ok|okay|fine|alright|a good idea|worth it) (?:to|if i) (.+)$",
        "How would you approach it if you wanted to {0}?",
    ),
    _template(r"^(?:do|does) (?:you|anyone) have (?:any )?(.+)$", "What {0} would you suggest?"),
    _template(r"^did you like (.+)$", "What did you think of {0}?"),
    _template(r"^did (.+?)(?: go)? (?:well|ok|okay|right|alright|fine)$", "How did {0} go?"),
    _template(r"^did i (.+?) (?:well|ok|okay|right|correctly|properly)$", "How did I {0}?"),
]
_DETERMINERS = {"my", "your", "our", "their", "his", "her", "the", "this", "that", "these"}


def _rewrite(text: str, flags: list[str], context: str) -> str:
    question = _first_question(text) if SEVERAL in flags else text
    if BLAMING_WHY in flags:
        question = _without_blame(question)
    elif CLOSED in flags:
        question = _opened(question)
    if VAGUE in flags:
        question = _made_specific(question, context)
    return question


def _first_question(text: str) -> str:
    first = text.split("?")[0]
    first = _SECOND_QUESTION.split(first, maxsplit=1)[0] if len(first.split()) > 3 else first
    return first.strip().rstrip(",;") + "?"


def _body(question: str) -> str:
    return re.sub(_LEAD_IN, "", question.strip(), flags=re.I).rstrip(" ?.")


def _opened(question: str) -> str:
    body = _body(question)
    for pattern, template in _CLOSED_TEMPLATES:
        match = pattern.match(body)
        if match:
            return template.format(*(group.strip() for group in match.groups()))
    return f"What is your view on whether {_declarative(body)}?"


def _declarative(body: str) -> str:
    """ "is my plan realistic" -> "my plan is realistic": move the auxiliary after the subject."""
    words = body.split()
    if len(words) < 2:
        return body
    auxiliary, rest = words[0].lower(), words[1:]
    if auxiliary in ("do", "does", "did"):
        return " ".join(rest)
    subject_length = 2 if rest[0].lower() in _DETERMINERS else 1
    return " ".join([*rest[:subject_length], auxiliary, *rest[subject_length:]])


def _without_blame(question: str) -> str:
    body = _WHY_RE.match(question)
    rest = body[1].rstrip(" ?.") if body else question
    match = re.match(r"^(?:did|do|would) (you|they|he|she|we) (.+)$", rest, re.I)
    if match:
        return f"What led {_object(match[1])} to {match[2]}?"
    match = re.match(
        r"^(?:didn't|don't|doesn't|can't|couldn't|won't|wouldn't|haven't|hasn't) "
        r"(you|they|he|she|we) (.+)$",
        rest,
        re.I,
    )
    if match:
        return f"What made it hard for {_object(match[1])} to {match[2]}?"
    match = re.match(r"^(are|were|is|was) (you|they|he|she) (.+)$", rest, re.I)
    if match:
        return f"What is going on when {match[2]} {match[1]} {match[3]}?"
    return f"Help me understand what led to this: {_declarative(rest)}. What was behind it?"


def _object(pronoun: str) -> str:
    return {"i": "me", "he": "him", "she": "her", "we": "us", "they": "them"}.get(
        pronoun.lower(), pronoun
    )


def _made_specific(question: str, context: str) -> str:
    situation = _gist(context)
    body = _body(question)
    specific_enough = len(body.split()) >= _MIN_WORDS
    if situation:
        if specific_enough:
            return f"When {situation}, {_lower_first(body)}?"
        return f"When {situation}, what would you try first?"
    return f"In the situation I described, {_lower_first(body)}?"


def _gist(context: str) -> str:
    """The first clause of the user's own description, to anchor a vague question."""
    first = re.split(r"(?<=[.!?;])\s|\n", context.strip(), maxsplit=1)[0]
    first = first.rstrip(" .!?;,")
    words = first.split()
    if not words:
        return ""
    clause = " ".join(words[:16])
    return _lower_first(clause)


def _lower_first(text: str) -> str:
    if not text:
        return text
    if text.startswith("I ") or text == "I" or text.startswith("I'"):
        return text
    return text[0].lower() + text[1:]
