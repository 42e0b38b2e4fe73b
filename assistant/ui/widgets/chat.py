"""The pieces of a conversation on screen: messages, the guidance panel, the status line.

Every piece of user, model and document text goes through :func:`inert` and is shown with
markup off: user and document text as ``Text``, model replies as Markdown (whose source is
Markdown, never Rich markup).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Markdown, Static
from textual.widgets.markdown import MarkdownStream

from assistant.ui.safe_text import inert

if TYPE_CHECKING:
    from assistant.knowledge import Passage


def sources_line(sources: Sequence[dict[str, Any]]) -> Text:
    """ "Sources: [1] Title · [2] Title" under a reply, numbered as in the guidance panel."""
    line = Text("Sources: ", style="dim")
    for number, source in enumerate(sources, start=1):
        if number > 1:
            line.append(" · ", style="dim")
        line.append(f"[{number}] ", style="dim bold")
        line.append(inert(str(source.get("title") or source.get("source") or "")), style="dim")
    return line


class UserMessage(Static):
    """What the user typed, exactly as typed."""

    def __init__(self, content: str) -> None:
        super().__init__(Text(inert(content)), markup=False)
        self.border_title = "You"


class AssistantMessage(Vertical):
    """A reply: streamed as Markdown while it arrives, then rendered once in full."""

    def __init__(self, content: str = "") -> None:
        super().__init__()
        self._initial = inert(content)
        self._stream: MarkdownStream | None = None
        self.border_title = "Reflect"

    def compose(self) -> ComposeResult:
        yield Markdown(self._initial, classes="reply")
        yield Static(classes="reply-footer", markup=False)

    @property
    def markdown(self) -> Markdown:
        return self.query_one(".reply", Markdown)

    async def append(self, delta: str) -> None:
        """Add streamed text; the stream batches fragments that arrive faster than frames."""
        if self._stream is None:
            self._stream = Markdown.get_stream(self.markdown)
        await self._stream.write(inert(delta))

    async def complete(
        self, content: str, sources: Sequence[dict[str, Any]], *, interrupted: bool
    ) -> None:
        """Replace the streamed text with the saved reply, and show its sources."""
        if self._stream is not None:
            await self._stream.stop()
            self._stream = None
        await self.markdown.update(inert(content))
        footer = Text()
        if sources:
            footer.append_text(sources_line(sources))
        if interrupted:
            if footer:
                footer.append("\n")
            footer.append("Stopped. What arrived is kept; ctrl+r writes the reply again.", "italic")
            self.add_class("-interrupted")
        footer_widget = self.query_one(".reply-footer", Static)
        footer_widget.update(footer)
        footer_widget.display = bool(footer)


class NoticeLine(Static):
    """Something the user should know, between messages: "Switched to guide mode", ..."""

    def __init__(self, text: str, level: str = "info") -> None:
        super().__init__(Text(inert(text)), markup=False, classes=f"-{level}")


class GuidancePanel(VerticalScroll):
    """The passages behind the coming question: number, title and source of each."""

    def compose(self) -> ComposeResult:
        yield Static(id="guidance-list", markup=False)

    def on_mount(self) -> None:
        self.border_title = "Guidance"
        self.show([])

    def show(self, passages: Sequence[Passage]) -> None:
        listing = Table.grid(padding=(0, 1))
        listing.add_column(no_wrap=True, style="bold")
        listing.add_column(ratio=1)
        for number, passage in enumerate(passages, start=1):
            entry = Text(inert(passage.title), style="bold")
            section = _section_name(passage)
            if section:
                entry.append("\n" + inert(section))
            entry.append("\n" + inert(passage.source), style="dim")
            if number > 1:
                listing.add_row("", "")
            listing.add_row(f"[{number}]", entry)
        widget = self.query_one("#guidance-list", Static)
        if passages:
            widget.update(listing)
        else:
            widget.update(Text("No guidance passages for this step.", style="dim italic"))


def _section_name(passage: Passage) -> str:
    """The passage's heading without the document title it repeats ("Title > Section")."""
    heading = passage.heading
    for prefix in (f"{passage.title} > ", passage.title):
        if heading.startswith(prefix):
            heading = heading[len(prefix) :]
    return heading.strip()


class ThinkingIndicator(Static):
    """ "Thinking… 3 s" while a reply is on its way; hidden otherwise."""

    started: reactive[float | None] = reactive(None)

    def __init__(self, *, show_clock: bool = True) -> None:
        super().__init__(markup=False)
        self._show_clock = show_clock
        self._timer: Timer | None = None

    def watch_started(self, started: float | None) -> None:
        self.display = started is not None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if started is not None:
            self._tick()
            if self._show_clock:
                self._timer = self.set_interval(1.0, self._tick)

    def start(self) -> None:
        self.started = time.monotonic()

    def stop(self) -> None:
        self.started = None

    def _tick(self) -> None:
        if self.started is None:
            return
        if not self._show_clock:
            self.update("Thinking…  esc stops")
            return
        elapsed = int(time.monotonic() - self.started)
        self.update(f"Thinking… {elapsed} s  esc stops")
