"""The words for a session's status, the same in the app and the CLI."""

from __future__ import annotations

#: The journal's stored statuses as people read them.
STATUS_WORDS = {"active": "unfinished", "done": "finished"}


def status_word(status: str) -> str:
    """``active`` reads "unfinished", ``done`` reads "finished"; anything else as stored."""
    return STATUS_WORDS.get(status, status)
