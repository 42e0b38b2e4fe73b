"""What a user would read on the terminal, as plain text, for Pilot tests."""

from __future__ import annotations

from textual.app import App


def screen_text(app: App) -> str:
    """Every line of the current screen (modals and notifications included) as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
