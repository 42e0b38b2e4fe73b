"""The words of a short question or phrase that carry its content, stemmed.

Two short questions ask the same thing when the content words of one are all among the
other's ("what situation?" and "What is the situation behind it?"; "What's been getting in
the way?" and "What has been getting in the way of the Friday deadline?"): question words,
auxiliaries, pronouns and fillers do not count, and "tried" is "try".
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from assistant.conversation.guide.names import word_list

_FUNCTION_WORDS = word_list(
    """
    what what's whats which how who whom why when where do does did would could should can
    will is are was were be been am has have had i me my you your we our it it's this that
    the a an of to in on for by about even really exactly actually just like mean means meant
    kind sort so then there any some
    """
)


@cache
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def content_stems(text: str) -> set[str]:
    """The stems of ``text``'s content words."""
    words = re.findall(r"[a-z']+", text.lower())
    return {_stemmer().stemWord(word) for word in words if word not in _FUNCTION_WORDS}


def asks_within(short: str, longer: str) -> bool:
    """Whether every content word of ``short`` (it has some) is one of ``longer``'s."""
    content = content_stems(short)
    return bool(content) and content <= content_stems(longer)
