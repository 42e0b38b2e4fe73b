"""The verdict of one health check, shared by `reflect doctor` and the parts it examines.

It lives apart from :mod:`assistant.doctor` so that a domain package (the knowledge index,
say) can report on itself without importing the command that gathers the reports.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckResult:
    """What one check looked at (``name``), whether it passed, and one line for the user."""

    name: str
    ok: bool
    detail: str
