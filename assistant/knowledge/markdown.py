"""Just enough Markdown structure for chunking: headings and the sections under them.

Headings are found by markdown-it-py (CommonMark), so ATX (``## Title``) and setext
(``Title`` over ``=====`` or ``-----``) headings both count, and a ``#`` line inside a fenced
code block, a list or a quote does not start a section.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from assistant.markdown_patterns import CODE_FENCE


@dataclass(frozen=True)
class Section:
    """The text under one heading, up to the next heading of any level.

    ``path`` holds the headings above it, outermost first; text before the first heading has
    an empty path and no ``heading_line``. ``heading_line`` is the heading written in ATX form
    (``## Title``) whichever way the file wrote it.
    """

    path: tuple[str, ...]
    heading_line: str | None
    text: str


@dataclass(frozen=True)
class _Heading:
    first_line: int
    after_line: int
    level: int
    text: str


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def _headings(body: str) -> list[_Heading]:
    """The top-level headings of ``body`` with the lines they occupy."""
    tokens = _parser().parse(body)
    headings: list[_Heading] = []
    for position, token in enumerate(tokens):
        if token.type != "heading_open" or token.level != 0 or token.map is None:
            continue
        text = " ".join(tokens[position + 1].content.split())
        if text:
            headings.append(_Heading(token.map[0], token.map[1], int(token.tag[1:]), text))
    return headings


def split_sections(body: str) -> list[Section]:
    lines = body.splitlines()
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []

    def add(heading_line: str | None, start: int, end: int) -> None:
        text = "\n".join(lines[start:end]).strip("\n")
        if heading_line is not None or text.strip():
            sections.append(Section(tuple(t for _, t in stack), heading_line, text))

    headings = _headings(body)
    add(None, 0, headings[0].first_line if headings else len(lines))
    for number, heading in enumerate(headings):
        while stack and stack[-1][0] >= heading.level:
            stack.pop()
        stack.append((heading.level, heading.text))
        end = headings[number + 1].first_line if number + 1 < len(headings) else len(lines)
        add(f"{'#' * heading.level} {heading.text}", heading.after_line, end)
    return sections


def first_heading(body: str) -> str | None:
    """The text of the first heading outside code blocks, if any."""
    headings = _headings(body)
    return headings[0].text if headings else None


def paragraphs(text: str) -> list[str]:
    """Blocks separated by blank lines; a fenced code block stays in one piece."""
    blocks: list[str] = []
    current: list[str] = []
    in_code = False
    for line in text.splitlines():
        if CODE_FENCE.match(line):
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
