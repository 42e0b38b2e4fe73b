"""An offer, in the conversation, to close open action items the user just reported done.

The engine notices "I sent the deck" (:class:`~assistant.conversation.core.events.CloseOffered`);
this card asks whether to close the item in the journal, with one button to close it and one
to keep it open. The screen does what was chosen (:meth:`Engine.close_items`) and the card then
says what happened, in place of its buttons.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static

from assistant.conversation.core.session_state import CarriedItem
from assistant.ui.safe_text import inert


class Outcome(StrEnum):
    CLOSED = "closed"
    KEPT = "kept"


def _named(items: Sequence[CarriedItem]) -> str:
    return "; ".join(f"“{item.text}”" for item in items)


class CloseOffer(Vertical):
    """Asks "Is “Send the deck” done? Close it in your journal." with [Close it], [Keep it open]."""

    DEFAULT_CSS: ClassVar[str] = """
    CloseOffer {
        height: auto;
        margin: 1 2 0 2;
        padding: 0 1;
        border-left: outer $accent;
    }
    CloseOffer > .offer-buttons {
        height: auto;
        margin-top: 1;
    }
    CloseOffer Button {
        margin-right: 2;
    }
    CloseOffer > .offer-outcome {
        color: $text-muted;
        text-style: italic;
    }
    """

    class Answered(Message):
        """The user chose: close the items (``accept``) or keep them open."""

        def __init__(self, offer: CloseOffer, accept: bool) -> None:
            super().__init__()
            self.offer, self.accept = offer, accept

    def __init__(self, items: Sequence[CarriedItem], outcome: Outcome | None = None) -> None:
        super().__init__()
        self.items = tuple(items)
        self.outcome = outcome

    @property
    def _it(self) -> str:
        return "it" if len(self.items) == 1 else "them"

    def compose(self) -> ComposeResult:
        # A question of its own: a guide-mode reply has just said the item sounds done, a
        # model's reply may not have mentioned it at all.
        verb = "Is" if len(self.items) == 1 else "Are"
        question = f"{verb} {_named(self.items)} done? Close {self._it} in your journal."
        yield Static(Text(inert(question)), markup=False, classes="offer-question")
        if self.outcome is None:
            with Horizontal(classes="offer-buttons"):
                yield Button(f"Close {self._it}", id="close-items", variant="primary", compact=True)
                yield Button(f"Keep {self._it} open", id="keep-items", compact=True)
        else:
            yield self._outcome_line()

    def _outcome_line(self) -> Static:
        if self.outcome == Outcome.CLOSED:
            said = f"Closed in your journal: {_named(self.items)}."
        else:
            said = f"Kept open. Close {self._it} any time in the Journal's action items."
        return Static(Text(inert(said)), markup=False, classes="offer-outcome")

    @on(Button.Pressed, "#close-items")
    def _accept(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Answered(self, accept=True))

    @on(Button.Pressed, "#keep-items")
    def _decline(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Answered(self, accept=False))

    async def settle(self, outcome: Outcome, items: Sequence[CarriedItem] | None = None) -> None:
        """Show what was done in place of the buttons; ``items`` are the ones really closed."""
        self.outcome = outcome
        if items is not None:
            self.items = tuple(items)
        await self.query(".offer-buttons").remove()
        await self.mount(self._outcome_line())

    def remake(self) -> Callable[[], Widget]:
        return partial(CloseOffer, self.items, self.outcome)
