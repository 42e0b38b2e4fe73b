"""The column of messages in a conversation, with only the newest of them on screen.

Every widget on screen costs tens of kilobytes and a share of every layout pass, so a
conversation of hundreds of messages would make the app grow and slow down with each one.
:class:`ChatLog` keeps the newest :data:`KEEP_MESSAGES` mounted. Older ones leave the screen
(never the journal, which holds every turn) as recipes for making them again, and come back a
batch at a time when the user scrolls to the top or clicks the line that counts them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Protocol, runtime_checkable

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

#: Messages kept on screen; the rest wait as recipes until the user scrolls up to them.
KEEP_MESSAGES = 30
#: Messages brought back at a time when the user reaches the top.
EARLIER_BATCH = 20


@runtime_checkable
class Remakeable(Protocol):
    """A finished message that can make a fresh copy of itself later."""

    def remake(self) -> Callable[[], Widget]:
        """A recipe (cheap to keep) for a new widget showing this message as it is now."""
        ...


class EarlierMessages(Static):
    """The first line of the log while older messages are off screen: how many, and how to
    see them."""

    DEFAULT_CSS: ClassVar[str] = """
    EarlierMessages {
        width: 1fr;
        content-align: center middle;
        color: $text-muted;
        text-style: italic;
        margin: 1 0 0 0;
    }
    EarlierMessages:hover {
        color: $text;
    }
    """

    def count(self, earlier: int) -> None:
        noun = "message" if earlier == 1 else "messages"
        self.update(f"↑ {earlier} earlier {noun} · scroll up or click to show them")
        self.display = earlier > 0

    async def on_click(self) -> None:
        log = self.parent
        if isinstance(log, ChatLog):
            await log.show_earlier()


class ChatLog(VerticalScroll):
    """Messages, oldest at the top; follows new ones while the view is at the bottom."""

    def __init__(
        self, *, keep: int = KEEP_MESSAGES, batch: int = EARLIER_BATCH, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._keep = keep
        self._batch = batch
        self._earlier: list[Callable[[], Widget]] = []  # oldest first
        self._marker = EarlierMessages(markup=False)
        self._showing_earlier = False

    @property
    def earlier(self) -> int:
        """How many older messages are off screen."""
        return len(self._earlier)

    def compose(self) -> ComposeResult:
        yield self._marker

    def on_mount(self) -> None:
        self._marker.count(0)

    def messages(self) -> list[Widget]:
        """The messages on screen, oldest first."""
        return [child for child in self.children if child is not self._marker]

    async def add(self, message: Widget) -> None:
        """Show ``message`` at the bottom; if the user is following along there, the oldest
        messages beyond :data:`KEEP_MESSAGES` leave the screen."""
        # Anchored with room to spare, Textual can leave scroll_y below zero.
        following = self.max_scroll_y <= 0 or self.scroll_y >= self.max_scroll_y
        await self.mount(message)
        if following:
            await self._drop_oldest()

    async def _drop_oldest(self) -> None:
        messages = self.messages()
        leaving: list[Widget] = []
        recipes: list[Callable[[], Widget]] = []
        for message in messages[: max(0, len(messages) - self._keep)]:
            if not isinstance(message, Remakeable):
                break  # keep order: nothing newer leaves before it
            leaving.append(message)
            recipes.append(message.remake())
        if leaving:
            self._earlier.extend(recipes)
            await self.remove_children(leaving)
            self._marker.count(len(self._earlier))

    async def show_earlier(self) -> None:
        """Bring back the newest batch of the messages off screen, above those shown, without
        moving what the user is looking at."""
        if not self._earlier or self._showing_earlier:
            return
        self._showing_earlier = True
        recipes = self._earlier[-self._batch :]
        del self._earlier[-self._batch :]
        height_before = self.virtual_size.height
        await self.mount_all([make() for make in recipes], after=self._marker)
        self._marker.count(len(self._earlier))
        self.call_after_refresh(self._keep_view_in_place, height_before)

    def _keep_view_in_place(self, height_before: int) -> None:
        grown = self.virtual_size.height - height_before
        self.scroll_to(y=self.scroll_y + grown, animate=False, immediate=True)
        self._showing_earlier = False

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value <= 0 < old_value and self._earlier:
            self.call_later(self.show_earlier)
