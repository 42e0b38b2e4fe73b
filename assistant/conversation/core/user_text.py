"""Small, shared ways of reading what the user typed: clean it, split it, quote it back."""

from __future__ import annotations

import re

from assistant.sanitize import clean_text

_LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")


def clean_user_text(text: str) -> str:
    """The text without escape sequences and control characters, trimmed."""
    return clean_text(text).strip()


def one_per_line(text: str) -> list[str]:
    """One item per non-empty line, without list markers ("1.", "-", "*")."""
    items = (_LIST_MARKER.sub("", line).strip() for line in text.splitlines())
    return [item for item in items if item]


def quote_fragment(text: str, max_words: int = 12) -> str:
    """The opening words of an answer, to quote back to the user."""
    words = " ".join(text.split()).split(" ")
    fragment = " ".join(words[:max_words]).rstrip(".,;:!?")
    return fragment + ("…" if len(words) > max_words else "")


def word_count(text: str) -> int:
    return len(text.split())
