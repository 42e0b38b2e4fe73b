"""Just enough Markdown structure for chunking: headings and the sections under them."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.+?)(?:\s+#+)?\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


@dataclass(frozen=True)
class Section:
    """The text under one heading, up to the next heading of any level.

    ``path`` holds the headings above it, outermost first; text before the first heading has
    an empty path and no ``heading_line``.
    """

    path: tuple[str, ...]
    heading_line: str | None
    text: str


def split_sections(body: str) -> list[Section]:
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    heading_line: str | None = None
    lines: list[str] = []
    in_code = False

    def close() -> None:
        if heading_line is not None or any(line.strip() for line in lines):
            path = tuple(text for _, text in stack)
            sections.append(Section(path, heading_line, "\n".join(lines).strip("\n")))

    for line in body.splitlines():
        if _FENCE.match(line):
            in_code = not in_code
        match = None if in_code else _HEADING.match(line)
        if match is None:
            lines.append(line)
            continue
        close()
        level = len(match.group(1))
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, match.group(2).strip()))
        heading_line, lines = line.strip(), []
    close()
    return sections


def first_heading(body: str) -> str | None:
    """The text of the first heading outside code blocks, if any."""
    for section in split_sections(body):
        if section.path:
            return section.path[-1]
    return None


def paragraphs(text: str) -> list[str]:
    """Blocks separated by blank lines; a fenced code block stays in one piece."""
    blocks: list[str] = []
    current: list[str] = []
    in_code = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_code = not in_code
        if not line.strip() and not in_code:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks
