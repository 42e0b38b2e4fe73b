"""A yes/no question in a modal: deleting from the journal (Cancel is the default), leaving a
conversation (nothing is lost, so the confirm button may be the default)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmModal(ModalScreen[bool]):
    """Dismisses with True only when the user presses the confirm button."""

    DEFAULT_CSS = """
    ConfirmModal {
        align: center middle;
        background: $background 60%;
    }
    ConfirmModal > Vertical {
        width: 60;
        max-width: 90%;
        height: auto;
        padding: 1 2;
        border: thick $error;
        background: $surface;
    }
    ConfirmModal .confirm-question {
        margin-bottom: 1;
    }
    ConfirmModal Horizontal {
        height: auto;
        align-horizontal: right;
    }
    ConfirmModal Button {
        margin-left: 2;
    }
    ConfirmModal.-safe > Vertical {
        border: thick $primary;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        question: str,
        confirm_label: str,
        *,
        cancel_label: str = "Cancel",
        safe: bool = False,
    ) -> None:
        """``safe``: confirming loses nothing, so it is drawn calm and has the focus."""
        super().__init__(classes="-safe" if safe else None)
        self._question = question
        self._confirm_label = confirm_label
        self._cancel_label = cancel_label
        self._safe = safe

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._question, classes="confirm-question", markup=False)
            with Horizontal():
                yield Button(self._cancel_label, id="cancel")
                yield Button(
                    self._confirm_label,
                    id="confirm",
                    variant="primary" if self._safe else "error",
                )

    def on_mount(self) -> None:
        self.query_one("#confirm" if self._safe else "#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_cancel(self) -> None:
        self.dismiss(False)
