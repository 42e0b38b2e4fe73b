"""A session's turns, read-only: who said what, with the guidance each reply drew on."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from assistant.journal import Turn
from assistant.ui.safe_text import inert

ROLE_LABELS = {"user": "You", "assistant": "Reflect"}


def turn_heading(turn: Turn) -> Text:
    heading = Text(ROLE_LABELS.get(turn.role, turn.role.capitalize()), style="bold")
    if turn.status != "complete":
        heading.append(f"  ({turn.status})", style="italic yellow")
    return heading


def turn_sources(turn: Turn) -> Text:
    names = [f"{source.title or source.source} ({source.source})" for source in turn.sources]
    return Text("Guidance: " + inert("; ".join(names)), style="dim italic")


class Transcript(VerticalScroll):
    """Every turn as plain text (never markup), in order."""

    DEFAULT_CSS = """
    Transcript > .turn {
        height: auto;
        margin: 0 1 1 1;
        padding: 0 1;
    }
    Transcript > .turn-user {
        border-left: outer $accent;
    }
    Transcript > .turn-assistant {
        border-left: outer $primary;
    }
    Transcript > .transcript-empty {
        color: $text-muted;
        padding: 1;
    }
    """

    def __init__(self, turns: list[Turn], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._turns = turns

    def compose(self) -> ComposeResult:
        if not self._turns:
            yield Static("No turns were recorded in this session.", classes="transcript-empty")
        for turn in self._turns:
            body = Text.assemble(turn_heading(turn), "\n", inert(turn.content))
            if turn.sources:
                body.append("\n")
                body.append_text(turn_sources(turn))
            yield Static(body, classes=f"turn turn-{turn.role}", markup=False)
