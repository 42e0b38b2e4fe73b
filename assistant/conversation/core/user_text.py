"""Small, shared ways of reading what the user typed: clean it, split it."""

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
