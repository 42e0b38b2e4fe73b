"""A question about whether to ask the mentor something, turned into the question to ask.

"Is it ok to ask if she still has time for mentoring?" is a question for the coach: the
question for the mentor is the one inside it, put to the mentor directly ("Do you still
have time for mentoring? What would make it work for you?"). The mentor, named in the third
person ("she", "him", "my mentor", "Sam"), becomes "you", and the verbs agree with it.
"""

from __future__ import annotations

import re

from assistant.conversation.guide.question_forms import LEAD_IN
from assistant.conversation.guide.wording import (
    base_of_past,
    base_of_third_person,
    upper_first,
)

_CONNECTIVES = r"if|whether|about|for|to|what|how|why|when|where|who|which"
_ASKING_WHETHER_TO_ASK = re.compile(
    rf"{LEAD_IN}(?:(?:is|would) it (?:be )?(?:really |even )?(?:ok|okay|fine|alright|"
    r"all right|acceptable|appropriate|rude|weird|strange|awkward|too much|a good idea|"
    r"wrong|bad|unprofessional|cheeky|pushy)(?: for me)? to|"
    r"(?:should|can|could|may|might|shall) i(?: even| still| just| really)?|"
    r"am i allowed to|do you think i (?:can|could|should)|how (?:do|should|can) i) "
    rf"ask (?P<who>(?!(?:{_CONNECTIVES})\b)(?:my [\w-]+|[\w-]+) )?"
    rf"(?P<how>{_CONNECTIVES})\b\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
_AVAILABILITY = re.compile(
    r"\b(?:time|capacity|availab\w*|free|bandwidth|open to|willing|able to|happy to|ok with|"
    r"okay with|up for)\b",
    re.IGNORECASE,
)
_HER_ALONE = re.compile(
    r"\bher\b(?=\s*(?:$|[,.;?!]|(?:to|and|if|about|for|on|in|at|with|again|too|first|"
    r"directly|now|later|today|tomorrow|before|after|when|whether|that|this|what|how)\b))",
    re.IGNORECASE,
)
_PRONOUNS = {
    "she": "you",
    "he": "you",
    "her": "your",
    "him": "you",
    "his": "your",
    "hers": "yours",
    "herself": "yourself",
    "himself": "yourself",
}
_NOT_THE_MENTOR = frozenset(
    ("hr", "everyone", "anyone", "someone", "people", "others", "them", "management")
)
_THIRD_PERSON = re.compile(r"\b(?:she|he|her|him|his)\b", re.IGNORECASE)
_PLURAL_PRONOUNS = {
    "they": "you",
    "them": "you",
    "their": "your",
    "theirs": "yours",
    "themselves": "yourself",
}
_AGREEMENT = {"is": "are", "was": "were", "has": "have", "doesn't": "don't", "isn't": "aren't"}
_ADVERBS = (
    r"(?:(?:still|ever|really|actually|already|also|even|usually|normally|never|always|often|"
    r"sometimes|rarely) )*"
)
_AUXILIARY = re.compile(
    r"^(?:are|were|am|can|could|will|would|should|shall|might|may|must|do|did|don't|didn't|"
    r"aren't|weren't|can't|couldn't|won't|wouldn't|had)$",
    re.IGNORECASE,
)
_CLAUSE = re.compile(
    rf"^(?P<subject>you|i|we|they|my [\w-]+|the [\w-]+|it|this|that|[A-Z][a-z]+)\s+"
    rf"(?P<adverbs>{_ADVERBS})(?P<verb>[\w']+)(?P<rest>.*)$",
    re.IGNORECASE,
)
_PARTICIPLE = re.compile(r"^(?:\w+ed|been|done|seen|taken|given|made|had|got|gotten)$", re.I)


def question_for_mentor(body: str) -> str | None:
    """The question inside a question about asking the mentor, put to the mentor; None when
    the question is not about whether (or how) to ask."""
    found = _ASKING_WHETHER_TO_ASK.match(body.strip().rstrip(" ?.!"))
    if not found:
        return None
    who = (found["who"] or "").strip().lower()
    how = found["how"].lower()
    if not _the_mentor_is_asked(who, how, found["rest"]):
        return None
    rest = _to_the_mentor(found["rest"], plural=who == "them")
    if how in ("if", "whether"):
        asked = _inverted(rest)
        if asked is None:
            return None
        return f"{upper_first(asked)}? {_follow_up(asked)}"
    if how == "about":
        return f"What can you tell me about {rest}"
    if how == "to":
        return f"Would you be willing to {rest}? What would you need from me"
    if how == "for":
        return f"Would you be open to giving me {rest}? What would you need from me"
    asked = _inverted(rest) if not re.match(r"^(?:is|are|was|were)\b", rest) else rest
    return f"{upper_first(how)} {asked or rest}"


def _the_mentor_is_asked(who: str, how: str, rest: str) -> bool:
    """Whether the person to be asked is the mentor: "my mentor", or someone named only as
    "her", "him" or by name; "ask my manager for a raise" or "ask for a raise" asks the
    mentor's advice about someone else, which is a question for the mentor as it stands."""
    if who:
        return who == "my mentor" or not (who.startswith("my ") or who in _NOT_THE_MENTOR)
    return how in ("if", "whether") and _THIRD_PERSON.search(rest) is not None


def _follow_up(asked: str) -> str:
    """An open question after a yes/no one, so the mentor says more than yes or no."""
    if _AVAILABILITY.search(asked) or re.match(r"^\w+ I\b", asked):
        return "What would make it work for you"  # their time, or a favour asked of them
    if re.search(r"\byou (?:think|believe|feel|reckon)\b", asked):
        return "What makes you say that"
    if re.search(r"\byou (?:need|want)\b", asked):
        return "What would help most"
    return "Why, or why not"


def _to_the_mentor(clause: str, *, plural: bool) -> str:
    """ "she still has time" -> "you still have time": the mentor spoken to."""
    clause = _HER_ALONE.sub("you", clause)
    swaps = _PLURAL_PRONOUNS if plural else _PRONOUNS

    def swapped(match: re.Match[str]) -> str:
        return swaps.get(match[0].lower(), match[0])

    clause = re.sub(r"\b[A-Za-z]+\b", swapped, clause)
    return re.sub(
        rf"\byou ({_ADVERBS})([\w']+)",
        lambda m: f"you {m[1]}{_agreeing(m[2])}",
        clause,
    )


def _agreeing(verb: str) -> str:
    """The verb after "you": "has" -> "have", "was" -> "were", "thinks" -> "think"."""
    lowered = verb.lower()
    if lowered in _AGREEMENT:
        return _AGREEMENT[lowered]
    if lowered.endswith("s") and not lowered.endswith(("ss", "'s")) and len(lowered) > 3:
        return base_of_third_person(verb)
    return verb


def _inverted(clause: str) -> str | None:
    """ "you still have time" -> "do you still have time"; "you are free" -> "are you
    free"; "you liked it" -> "did you like it"."""
    found = _CLAUSE.match(clause.strip())
    if not found:
        return None
    subject, adverbs, verb, rest = (
        found["subject"],
        found["adverbs"],
        found["verb"],
        found["rest"],
    )
    subject = "I" if subject.lower() == "i" else subject
    next_word = rest.split()[0] if rest.split() else ""
    if _AUXILIARY.match(verb) or (verb.lower() in ("have", "has") and _PARTICIPLE.match(next_word)):
        return f"{verb.lower()} {subject} {adverbs}{rest.strip()}".strip()
    base = verb if verb.lower().endswith("eed") else base_of_past(verb)  # "need" is present
    if base.lower() != verb.lower():
        return f"did {subject} {adverbs}{base}{rest}"
    if subject.lower() in ("you", "i", "we", "they"):
        return f"do {subject} {adverbs}{verb}{rest}"
    return f"does {subject} {adverbs}{base_of_third_person(verb)}{rest}"
