"""What a user would read on the terminal, as plain text, for Pilot tests."""

from __future__ import annotations

import re

from rich.color import Color
from textual.app import App

#: Box drawing and block elements: borders, scrollbars and bars, not text.
_FRAME = re.compile(r"[\u2500-\u259f]")


def screen_text(app: App) -> str:
    """Every line of the current screen (modals and notifications included) as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def region_text(app: App, selector: str) -> str:
    """The lines of the screen inside the widget ``selector``, as drawn (overlays included)."""
    region = app.screen.query_one(selector).region
    lines = screen_text(app).splitlines()[region.y : region.bottom]
    return "\n".join(line[region.x : region.right] for line in lines)


def flat(text: str) -> str:
    """``text`` without borders and scrollbars, its whitespace collapsed: wrapped lines read
    as one sentence again."""
    return " ".join(_FRAME.sub(" ", text).split())


Cell = tuple[str, str, str, tuple[bool, ...]]


def screen_cells(app: App) -> list[list[Cell]]:
    """Every cell of the current screen as the eye sees it: character, background, and the
    colour and attributes that show on it (a space shows its colour only when underlined or
    struck through; bold or italic never show on a space)."""
    rows: list[list[Cell]] = []
    for strip in app.screen._compositor.render_strips():
        row: list[Cell] = []
        for segment in strip:
            style = segment.style
            background = _hex(style.bgcolor) if style else ""
            for char in segment.text:
                lines = (bool(style.underline), bool(style.strike)) if style else (False, False)
                if char == " " and not any(lines):
                    row.append((char, background, "", ()))
                    continue
                colour = _hex(style.color) if style else ""
                marks = (bool(style.bold), bool(style.italic), *lines) if style else ()
                row.append((char, background, colour, marks))
        rows.append(row)
    return rows


def _hex(color: Color | None) -> str:
    return "" if color is None else color.get_truecolor().hex
