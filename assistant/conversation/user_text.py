"""Small, shared ways of reading what the user typed: clean it, split it, quote it back."""

from __future__ import annotations

import re

# ANSI escape sequences (CSI, OSC and two-character escapes) and C0/C1 control characters
# other than newline and tab: a paste must not be able to drive the terminal.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")


def clean_user_text(text: str) -> str:
    """The text without ANSI escapes and control characters, line endings normalised."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _ANSI.sub("", text)).strip()


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
