"""Small pieces of English grammar that guide mode's rewrites need.

Rewrites reuse the person's own words, so they must move a verb after its subject, turn
"does my manager approve" into "my manager approves", tidy chat-speak ("im", "u") and lower
a sentence's first letter without lowering "I" or a name. Regular rules plus the common
irregular verbs; nothing here guesses meaning.
"""

from __future__ import annotations

import re

_IRREGULAR_PAST = {
    "be": "was",
    "become": "became",
    "begin": "began",
    "bring": "brought",
    "buy": "bought",
    "choose": "chose",
    "come": "came",
    "do": "did",
    "drop": "dropped",
    "feel": "felt",
    "find": "found",
    "forget": "forgot",
    "get": "got",
    "give": "gave",
    "go": "went",
    "have": "had",
    "hear": "heard",
    "hold": "held",
    "keep": "kept",
    "know": "knew",
    "leave": "left",
    "let": "let",
    "lose": "lost",
    "make": "made",
    "meet": "met",
    "pay": "paid",
    "put": "put",
    "read": "read",
    "run": "ran",
    "say": "said",
    "see": "saw",
    "sell": "sold",
    "send": "sent",
    "set": "set",
    "speak": "spoke",
    "spend": "spent",
    "stop": "stopped",
    "take": "took",
    "teach": "taught",
    "tell": "told",
    "think": "thought",
    "understand": "understood",
    "win": "won",
    "write": "wrote",
}
_THIRD_PERSON = {"have": "has", "do": "does", "go": "goes", "be": "is"}
_CHAT_SPEAK = {
    "i": "I",
    "im": "I'm",
    "i'm": "I'm",
    "ive": "I've",
    "i've": "I've",
    "id": "I'd",
    "i'd": "I'd",
    "ill": "I'll",
    "u": "you",
    "ur": "your",
    "dont": "don't",
    "cant": "can't",
    "wont": "won't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "isnt": "isn't",
    "pls": "please",
    "bc": "because",
    "abt": "about",
}
_DROPPED_WORDS = re.compile(
    r"\b(always|never|ever|just|even|constantly|obviously|clearly|surely|really|"
    r"literally|honestly|basically|actually|all the time|every time|again and again)\b\s*",
    re.IGNORECASE,
)


#: "2" for "to" between words ("how 2 get promoted"), not a count ("2 weeks", "2 of us").
_TWO_FOR_TO = re.compile(
    r"(?<=[a-z] )2(?= (?!(?:weeks?|days?|hours?|months?|years?|mins?|minutes?|times?|people|"
    r"of|or|and|more|hrs?|wks?)\b)[a-z])",
    re.IGNORECASE,
)


def tidy(text: str) -> str:
    """Chat-speak spelled out ("im" -> "I'm", "u" -> "you", "how 2 get" -> "how to get"),
    spaces collapsed."""
    words = [_CHAT_SPEAK.get(word.lower(), word) for word in text.split()]
    return _TWO_FOR_TO.sub("to", " ".join(words))


def lower_first(text: str) -> str:
    """``text`` to go mid-sentence: its first letter lowered unless it is "I" or a name."""
    if not text:
        return text
    first = text.split()[0]
    bare = re.sub(r"'(?:d|re|ll|ve|s|m)$", "", first.lower())
    is_name = first[:1].isupper() and bare not in _COMMON_OPENERS
    if first in ("I", "I'm", "I've", "I'd", "I'll") or is_name:
        return text
    return text[0].lower() + text[1:]


_COMMON_OPENERS = {
    "my",
    "our",
    "the",
    "this",
    "that",
    "these",
    "those",
    "it",
    "he",
    "she",
    "they",
    "we",
    "you",
    "your",
    "his",
    "her",
    "their",
    "nobody",
    "everyone",
    "people",
    "there",
    "a",
    "an",
    "so",
    "what",
    "how",
    "when",
    "which",
    "who",
    "where",
    "why",
    "should",
    "is",
    "are",
    "do",
    "does",
    "did",
    "can",
    "could",
    "would",
    "will",
    "any",
    "in",
    "on",
    "given",
    "if",
    "let's",
    "honestly",
    "basically",
    "also",
    "then",
    "last",
    "yesterday",
    "today",
    "since",
    "after",
    "before",
    "during",
    "because",
    "some",
    "most",
    "all",
    "one",
    "no",
    "none",
    "nothing",
    "everything",
    "maybe",
    "perhaps",
    "still",
    "now",
    "recently",
    "lately",
    "anyone",
    "everybody",
    "nobody's",
    "i",
}


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


#: A request worded as a statement or an imperative ("tell me how you got promoted", "I want
#: to know what senior means here"): asked as it is, it ends with a full stop, not a "?".
_REQUEST_WORDING = re.compile(
    r"^(?:(?:please|so|and)\s+)?(?:tell me|i want to|i'd like to|i would like to|i wonder|"
    r"i'm wondering|help me|walk me through|explain|share|give me|show me|talk me through|"
    r"let me know)\b",
    re.IGNORECASE,
)


def as_asked(question: str) -> str:
    """A question as it reads when written down: a capital first and its question mark
    ("what do you think" -> "What do you think?"); a request worded as a statement keeps a
    full stop ("Tell me how you got promoted.")."""
    text = upper_first(question.strip())
    if text.endswith(("?", ".", "!", "”", '"')):
        return text
    return f"{text}." if _REQUEST_WORDING.match(text) else f"{text}?"


def without_absolutes(text: str) -> str:
    """The words without "always", "never", "just" and the like (they carry the blame)."""
    return " ".join(_DROPPED_WORDS.sub("", text).split())


def third_person(verb: str) -> str:
    """ "approve" -> "approves", "have" -> "has"."""
    lowered = verb.lower()
    if lowered in _THIRD_PERSON:
        return _THIRD_PERSON[lowered]
    if re.search(r"(s|sh|ch|x|z|o)$", lowered):
        return verb + "es"
    if re.search(r"[^aeiou]y$", lowered):
        return verb[:-1] + "ies"
    return verb + "s"


def past_tense(verb: str) -> str:
    """ "approve" -> "approved", "give" -> "gave"."""
    lowered = verb.lower()
    if lowered in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[lowered]
    if lowered.endswith("e"):
        return verb + "d"
    if re.search(r"[^aeiou]y$", lowered):
        return verb[:-1] + "ied"
    return verb + "ed"


def conjugated(subject: str, verb_phrase: str, auxiliary: str) -> str:
    """ "does" + "my manager" + "approve the budget" -> "my manager approves the budget"."""
    verb, _, rest = verb_phrase.partition(" ")
    auxiliary = auxiliary.lower()
    if auxiliary == "did":
        verb = past_tense(verb)
    elif auxiliary == "does":
        verb = third_person(verb)
    return " ".join(part for part in (subject, verb, rest) if part)


def object_pronoun(subject: str) -> str:
    return {"i": "me", "he": "him", "she": "her", "we": "us", "they": "them"}.get(
        subject.lower(), subject
    )


_GERUND_IRREGULAR = {
    "being": "be",
    "dying": "die",
    "lying": "lie",
    "seeing": "see",
    "using": "use",
    "creating": "create",
    "hoping": "hope",
}


def base_of_gerund(gerund: str) -> str:
    """ "ignoring" -> "ignore", "running" -> "run", "talking" -> "talk"."""
    lowered = gerund.lower()
    if lowered in _GERUND_IRREGULAR:
        return _GERUND_IRREGULAR[lowered]
    stem = gerund[:-3] if lowered.endswith("ing") else gerund
    low = stem.lower()
    if re.search(r"([bcdghjkmnpqrtvwxy])\1$", low) or (low.endswith("ell") and len(low) > 5):
        return stem[:-1]
    if re.search(r"(?:[vcz]|[^aeiou][aeiou]g|[^aeiou][aou][tr]|[^aeiou][aeiou][kms])$", low):
        return stem + "e"
    if len(low) <= 4 and re.search(r"[^aeiou][aeiou][td]$", low):
        return stem + "e"  # "writ" -> "write", "rid" -> "ride"
    return stem


def base_of_third_person(verb: str) -> str:
    """ "gives" -> "give", "watches" -> "watch", "tries" -> "try", "has" -> "have"."""
    lowered = verb.lower()
    irregular = {"has": "have", "does": "do", "goes": "go", "is": "be"}
    if lowered in irregular:
        return irregular[lowered]
    if re.search(r"[^aeiou]ies$", lowered):
        return verb[:-3] + "y"
    if re.search(r"(?:ss|sh|ch|x|z|o)es$", lowered):
        return verb[:-2]
    return verb[:-1] if lowered.endswith("s") and not lowered.endswith("ss") else verb


_PRESENT_OF_PAST = {past: base for base, past in _IRREGULAR_PAST.items()}


def base_of_past(verb: str) -> str:
    """ "sent" -> "send", "tried" -> "try", "booked" -> "book"; a base form is kept."""
    lowered = verb.lower()
    if lowered in _PRESENT_OF_PAST:
        return _PRESENT_OF_PAST[lowered]
    if lowered.endswith("ied"):
        return verb[:-3] + "y"
    if re.search(r"([bcdgkmnprt])\1ed$", lowered):
        return verb[:-3]
    if lowered.endswith("ed"):
        return base_of_gerund(verb[:-2] + "ing")
    return verb
