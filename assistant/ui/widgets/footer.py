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
        watchers = getattr(self, "__watchers", {}).get("compact")
        if watchers:
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached]
