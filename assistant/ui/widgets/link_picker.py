"""The links and cited passages of a reply, listed to open one with the keyboard."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from assistant.ui.links import shown_url, without_controls


class TargetKind(StrEnum):
    LINK = "link"
    PASSAGE = "passage"


@dataclass(frozen=True)
class Target:
    """Something a reply points to: a link (``href``) or a cited passage (``number``)."""

    kind: TargetKind
    label: str
    href: str = ""
    number: int = 0

    def entry(self) -> Text:
        if self.kind is TargetKind.PASSAGE:
            line = Text(f"[{self.number}] ", style="bold")
            line.append(without_controls(self.label) or "Cited passage")
            return line
        line = Text(without_controls(self.label) or shown_url(self.href), style="bold")
        line.append("\n" + shown_url(self.href), style="dim")
        return line


class LinkPicker(ModalScreen[Target | None]):
    """Choose one of ``targets`` (arrows, enter); esc closes without choosing."""

    DEFAULT_CSS = """
    LinkPicker {
        align: center middle;
    }
    LinkPicker > Vertical {
        width: 80%;
        max-width: 90;
        height: auto;
        max-height: 80%;
        border: round $secondary;
        background: $surface;
        padding: 0 1;
    }
    LinkPicker OptionList {
        height: auto;
        max-height: 20;
        border: none;
        background: transparent;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Close")]

    def __init__(self, targets: list[Target]) -> None:
        super().__init__()
        self._targets = targets

    def compose(self) -> ComposeResult:
        with Vertical():
            yield OptionList(
                *(Option(target.entry(), id=str(i)) for i, target in enumerate(self._targets)),
                id="link-list",
            )

    def on_mount(self) -> None:
        box = self.query_one(Vertical)
        box.border_title = "Links in the reply"
        box.border_subtitle = "enter opens · esc closes"
        listing = self.query_one(OptionList)
        listing.highlighted = 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._targets[int(event.option_id or 0)])
