"""A passage as the guidance panel and the reply's sources name it.

Kept apart from :mod:`assistant.ui.passage_screen` so that listing passages does not load the
screen that shows one (Textual's Markdown widget and Pygments), which most sessions never open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.knowledge import Passage


@dataclass(frozen=True)
class PassageRef:
    """A passage as the guidance panel lists it; ``text`` is None when only its name is known."""

    title: str
    source: str
    heading: str = ""
    text: str | None = None

    @classmethod
    def of(cls, passage: Passage) -> PassageRef:
        return cls(
            passage.title,
            passage.source,
            section_name(passage.title, passage.heading),
            passage.text,
        )


def section_name(title: str, heading: str) -> str:
    """The heading without the document title it repeats ("Title > Section")."""
    for prefix in (f"{title} > ", title):
        if heading.startswith(prefix):
            heading = heading[len(prefix) :]
    return heading.strip()
