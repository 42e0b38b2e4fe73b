"""Small, shared ways of reading what the user typed: clean it, split it."""

from __future__ import annotations

import re

from assistant.sanitize import clean_text

_LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")

#: Words around a closing remark that change nothing ("nope", "I think", "for now").
_CLOSER_LEAD = (
    r"(?:(?:nope|no|nah|ok|okay|yeah|yep|yes|um+|hmm+|well|so|and|i think|i guess)[\s,.!-]*)"
)
_CLOSER_TAIL = (
    r"(?:[\s,.!-]*(?:for now|for today|really|i think|thanks|thank you|tbh|lol|from me|"
    r"i can think of|to add|i['’]?ve got|i have|i got|on my list|at the moment|right now))"
)
#: A line that ends a list instead of adding to it: "nothing else", "that's all", "that's
#: it", "no more", "all good", "nope that's everything", "none for now".
_CLOSER = (
    rf"{_CLOSER_LEAD}*(?:"
    r"(?:that['’]?s|that is|that was|that should be|that['’]ll be|it['’]?s)\s+"
    r"(?:basically\s+|pretty much\s+|really\s+|about\s+)?(?:all|it|everything|the lot|enough)"
    r"|nothing (?:else|more|further)|no (?:more|others?|further \w+)"
    r"|none (?:else|other|more)|not (?:anything|much) (?:else|more)"
    r"|all good|all done|that covers it|i['’]?m done|done|nothing|none|nope|n/?a"
    rf"){_CLOSER_TAIL}*[\s.!]*"
)
_LIST_END = re.compile(_CLOSER, re.IGNORECASE)
#: The same remark at the end of a line that holds an item ("email Sam, that's it").
_TRAILING_END = re.compile(rf"(?:[,;.!]|\s-+|\s+and)\s*(?:{_CLOSER})$", re.IGNORECASE)


def clean_user_text(text: str) -> str:
    """The text without escape sequences and control characters, trimmed."""
    return clean_text(text).strip()


def ends_list(line: str) -> bool:
    """Whether ``line`` only says the list is complete or empty ("nothing else", "that's
    all", "nope that's everything"): it names no item."""
    return _LIST_END.fullmatch(_LIST_MARKER.sub("", line).strip()) is not None


def without_list_end(line: str) -> str:
    """``line`` without a closing remark after its item ("email Sam by Friday, that's it")."""
    return _TRAILING_END.sub("", line).strip()


def one_per_line(text: str) -> list[str]:
    """One item per non-empty line, without list markers ("1.", "-", "*") and without the
    lines (or tails of lines) that only close the list ("that's all")."""
    items = (without_list_end(_LIST_MARKER.sub("", line).strip()) for line in text.splitlines())
    return [item for item in items if item and not ends_list(item)]
