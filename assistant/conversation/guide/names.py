"""First names written in lower case ("had my catch-up with priya", "meeting jordan on
thursday"), and the person a meeting is with.

A lower-case word is read as a name only where the wording makes it a person (after "with",
"meeting", "met", "my mentor", before "told me", "said") and the word is not an ordinary
English word. Ordinary words are the ones Reflect's own shipped text writes in lower case (the
guidance and the prompts, some 3,000 words), plus the chat words people use around a meeting;
names there are always capitalised, so "priya" and "jordan" are never among them.
"""

from __future__ import annotations

import re
from functools import cache

from assistant.conversation.guide.quoted import signed_by
from assistant.resources import BUILTIN_KNOWLEDGE_DIR, PROMPTS_DIR


def word_list(text: str) -> frozenset[str]:
    """A word list written as text, one or more per line."""
    return frozenset(text.split())


#: Everyday words around a meeting that the shipped text happens not to use.
_EVERYDAY = word_list(
    """
    folks mtg sync lunch dinner drinks brunch breakfast zoom slack teams standup offsite onsite
    retro demo tbh lol idk ngl btw fyi asap pls thx ty ok okay yeah yep nope nah hmm ugh omg
    tmrw tmr tonight weekend monday tuesday wednesday thursday friday saturday sunday mon tue
    tues wed thu thur thurs fri sat sun jan feb mar apr jun jul aug sep sept oct nov dec
    everybody anybody somebody nobody whoever hr ops eng pm pms em ems cto ceo vp svp tl
    """
)
#: Words that open a person's name: "catch-up with priya", "meeting jordan", "my mentor dana".
_BEFORE_NAME = re.compile(
    r"\b(?:with|(?:meeting|meet|met)(?: up)?(?: with)?|seeing|mentor|mentee|manager|boss|lead|"
    r"skip)\s+\(?"
    r"([a-z][a-z'-]{1,})\b"
)
#: Words that follow a person's name: "priya told me", "jordan said".
_AFTER_NAME = re.compile(
    r"\b([a-z][a-z'-]{1,})\s+(?:told me|said|says|thinks|reckons|asked me|suggested|mentioned|"
    r"pointed out|gave me|wants me|wanted me|recommended|praised|warned)\b"
)
#: Where a meeting names who it is with: "catch-up with Priya", "meeting Jordan", "my
#: mentor Dana", "1:1 with sam".
_MEETING_WITH = re.compile(
    r"\b(?:(?:catch[- ]?up|catchup|1:1|1-1|one[- ]on[- ]one|call|chat|meeting|session|sync|"
    r"coffee|lunch|mtg|check[- ]in)\s+(?:with|w/)|meeting(?: with| w/)?|met(?: with| up with)?|"
    r"seeing|my mentor,?|mentor|my (?:supervisor|advisor|adviser|coach|tutor),?)\s+\(?"
    r"((?:mr|mrs|ms|dr|prof)\.?\s+)?([A-Za-z][a-z'-]{1,})\b",
    re.IGNORECASE,
)
#: A mentor introduced by what they are, the name after it: "my mentor is another
#: freelancer (Ana)", "my mentor is Ana", "Ana is my mentor".
_MENTOR_IS = re.compile(
    r"\bmy (?:mentor|supervisor|advisor|adviser|coach)\b (?:is|was) (?:[^.()]{0,40}?\(|"
    r"(?=[A-Z]))([A-Z][a-z'-]+)\b|\b([A-Z][a-z'-]+) (?:is|has been) (?:also )?(?:like )?"
    r"(?:my|a) mentor\b"
)


@cache
def ordinary_words() -> frozenset[str]:
    """The words Reflect's shipped text writes in lower case, and everyday chat words."""
    words: set[str] = set(_EVERYDAY)
    files = [*BUILTIN_KNOWLEDGE_DIR.glob("*.md"), *PROMPTS_DIR.rglob("*.toml")]
    files += PROMPTS_DIR.rglob("*.md")
    for path in files:
        text = path.read_text(encoding="utf-8")
        words.update(re.findall(r"(?<![A-Za-z])[a-z][a-z'-]+", text))
    return frozenset(words)


def is_ordinary(word: str) -> bool:
    """Whether ``word`` (any case) is an English word rather than a name: itself, or its
    stem without a plural or verb ending, is among the ordinary words."""
    known = ordinary_words()
    word = word.lower().removesuffix("'s").removesuffix("’s")
    stems = {word, word.removesuffix("s"), word.removesuffix("es"), word.removesuffix("ed")}
    stems |= {word.removesuffix("ing"), word.removesuffix("ly")}
    return bool(stems & known) or len(word) < 3


#: Words that follow a verb, not a name: "her mentor recommended the course".
_OBJECT_NEXT = re.compile(r"\s*(?:the|a|an|my|me|her|him|us|them|it|that|this)\b")
_VERB_ENDING = re.compile(r"\w{4,}(?:ed|ing)$")


def _lower_name(word: str, after: str) -> bool:
    """Whether a lower-case ``word`` followed by the text ``after`` reads as a first name:
    not an ordinary word, not a verb ("recommended", "saying") taking an object."""
    if is_ordinary(word) or _VERB_ENDING.match(word):
        return False
    return not _OBJECT_NEXT.match(after)


def lower_case_names(text: str) -> list[str]:
    """First names written in lower case where the wording makes them people, capitalised."""
    names: list[str] = []
    for match in _BEFORE_NAME.finditer(text):
        word = match.group(1)
        if _lower_name(word, text[match.end() :]) and word.capitalize() not in names:
            names.append(word.capitalize())
    for match in _AFTER_NAME.finditer(text):
        word = match.group(1)
        if not is_ordinary(word) and word.capitalize() not in names:
            names.append(word.capitalize())
    return names


def person_met(*answers: str) -> str:
    """The person the meeting is with, as the answers name them ("catch-up with priya" ->
    "Priya") or as the message they sent signs it, or "" when none does."""
    for answer in answers:
        for match in _MEETING_WITH.finditer(answer):
            title, word = match.group(1) or "", match.group(2)
            title = f"{title.strip().rstrip('.').capitalize()}. " if title else ""
            if word[:1].isupper() and word.lower() not in ordinary_words():
                return title + word
            if title or _lower_name(word, answer[match.end() :]):
                return title + word.capitalize()  # "mr. okafor" -> "Mr. Okafor"
    for answer in answers:
        for match in _MENTOR_IS.finditer(answer):
            name = match.group(1) or match.group(2)
            if name.lower() not in ordinary_words():
                return name  # "my mentor is another freelancer (Ana)"
    return signed_by(*answers)  # the notes they sent after, pasted in: "… Best, Mireille"


def is_meeting_mention(phrase: str) -> bool:
    """Whether ``phrase`` only says who the meeting is with and when ("meeting jordan on
    thursday", "catch-up with Priya tomorrow"): no subject for a title or a goal."""
    match = _MEETING_WITH.search(phrase)
    if match is None or person_met(phrase) == "":
        return False
    rest = (phrase[: match.start()] + " " + phrase[match.end() :]).lower()
    words = re.findall(r"[a-z0-9:']+", rest)
    return all(word in _WHEN_WORDS or _CLOCK.fullmatch(word) for word in words)


_CLOCK = re.compile(r"\d{1,2}(?::\d\d)?(?:am|pm)?")
_WHEN_WORDS = word_list(
    """
    i i'm im am we we're have had my our a the this next on at in tomorrow today tonight
    morning afternoon evening week later soon again first for our usual monthly weekly
    monday tuesday wednesday thursday friday mon tue wed thu fri am pm
    """
)


#: Who the person is ("I'm a freelance illustrator", "I am master student") or who the mentor
#: is ("my mentor is another freelancer (Ana)", "my supervisor prof. Lindqvist is also like
#: mentor for me"): an introduction, not the why behind a goal.
_INTRODUCTION = re.compile(
    r"^(?:(?:i am|i'm|im|i work as)\s+(?:a |an |the )?(?:[\w-]+\s+){0,2}?(?:student|"
    r"freelancer|illustrator|engineer|designer|developer|researcher|analyst|consultant|teacher|"
    r"nurse|doctor|manager|lead|intern|graduate|writer|founder|contractor|architect|scientist|"
    r"candidate|postdoc|apprentice|artist|photographer|musician)s?\b[^,]*"
    r"|my (?:mentor|supervisor|advisor|adviser|coach|tutor)\b(?: [\w.()]+){0,3}? (?:is|was) "
    r"(?:also |like |another |a |an |my |the )+.*"
    r"|[A-Z][a-z]+ (?:is|has been) (?:also )?(?:like )?(?:my|a) mentor\b.*)$",
    re.IGNORECASE,
)
_CLAUSES = re.compile(r",\s+|\s+and\s+")


def introduces(sentence: str) -> bool:
    """Whether ``sentence`` only says who the person or their mentor is."""
    clauses = [c for c in _CLAUSES.split(sentence.strip().rstrip(".!")) if c]
    return bool(clauses) and all(_INTRODUCTION.match(clause) for clause in clauses)
