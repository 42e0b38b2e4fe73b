"""The multi-line answer box: Enter sends, ctrl+j starts a new line.

Terminals send the same code for Enter and shift+Enter unless they speak the kitty keyboard
protocol, but every terminal sends a line feed for ctrl+j (and many for ctrl+Enter), so ctrl+j
is the newline key the footer and help screen show; shift+enter and alt+enter also work where
the terminal reports them. Pasted text keeps its line breaks.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import TextArea


class MessageInput(TextArea):
    """A TextArea that sends its text on Enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+j,alt+enter,shift+enter", "newline", "New line", key_display="^j"),
    ]

    class Submitted(Message):
        """The user pressed Enter; ``text`` is what they typed (not yet cleared)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="focus",
            placeholder=placeholder,
            id=id,
        )

    #: Keys that break the line. Handled here, in order with the typed text, rather than by
    #: the binding (which runs later): pasted or fast typing keeps the break in its place.
    NEWLINE_KEYS = frozenset({"ctrl+j", "alt+enter", "shift+enter"})

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted(self.text))
        elif event.key in self.NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            self.action_newline()

    def action_newline(self) -> None:
        self.insert("\n")
