"""What a user would read on the terminal, as plain text, for Pilot tests."""

from __future__ import annotations

import re

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
