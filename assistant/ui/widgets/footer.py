"""Textual's footer, without the keys it keeps alive after every change of bindings.

Each ``FooterKey`` binds the footer's ``compact`` to itself (``data_bind``), which adds a
watcher to the footer; Textual drops the watchers of removed keys only when ``compact`` next
changes, which it never does here. The footer is recomposed whenever the available actions
change (on the conversation screen: twice a message), so every recompose kept the replaced
keys (and their styles) alive: hundreds of kilobytes a message over a long conversation.
"""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """A footer that lets the keys it replaces go."""

    async def recompose(self) -> None:
        await super().recompose()
        # A change of ``compact`` is when Textual lets go of the watchers of closed keys:
        # change it and change it back (public API only; the look is the same after).
        compact = self.compact
        self.compact = not compact
        self.compact = compact
