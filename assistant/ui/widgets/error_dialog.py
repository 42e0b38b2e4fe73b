"""The modal shown when the model cannot answer: retry, carry on in guide mode, or close."""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from assistant.ui.safe_text import inert

ErrorChoice = Literal["retry", "guide", "close"]


class ErrorDialog(ModalScreen[ErrorChoice]):
    """One sentence about what went wrong; the user's answer is already saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "choose('close')", "Close"),
        Binding("r", "choose('retry')", "Retry", show=False),
    ]
    DEFAULT_CSS = """
    ErrorDialog {
        align: center middle;
    }
    ErrorDialog > Vertical {
        width: 64;
        max-width: 90%;
        height: auto;
        border: thick $error;
        background: $surface;
        padding: 1 2;
    }
    ErrorDialog #error-message {
        margin-bottom: 1;
    }
    ErrorDialog Horizontal {
        height: auto;
        align-horizontal: right;
    }
    ErrorDialog Button {
        margin-left: 1;
    }
    """

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__()
        self._message = message
        self._retryable = retryable

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(inert(self._message)), id="error-message", markup=False)
            yield Static(
                "Your answer is saved. Retry, or carry on in guide mode with scripted questions.",
                classes="muted",
            )
            with Horizontal():
                yield Button("Retry", id="retry", variant="primary")
                yield Button("Guide mode", id="guide")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = "The model did not answer"
        # Retrying helps with a busy or flaky endpoint; for a refused key or a missing model,
        # carrying on in guide mode is the likelier choice, so it gets the focus.
        self.query_one("#retry" if self._retryable else "#guide", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)  # type: ignore[arg-type]

    def action_choose(self, choice: ErrorChoice) -> None:
        self.dismiss(choice)
