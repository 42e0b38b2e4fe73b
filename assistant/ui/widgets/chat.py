"""The pieces of a conversation on screen: messages, the guidance panel, the status line.

Every piece of user, model and document text goes through :func:`inert` and is shown with
markup off: user and document text as ``Text``, model replies as Markdown (whose source is
Markdown, never Rich markup).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Markdown, Static
from textual.widgets.markdown import MarkdownStream

from assistant.ui.safe_text import inert
from assistant.ui.widgets.frozen_markdown import ReplyMarkdown, freeze_when_drawn

if TYPE_CHECKING:
    from assistant.knowledge import Passage


#: Longer source titles are cut under a reply; the guidance panel shows them whole.
SOURCE_TITLE_WIDTH = 30


def sources_line(sources: Sequence[dict[str, Any]]) -> Text:
    """ "Sources: [1] Title · [2] Title" under a reply, numbered as in the guidance panel."""
    line = Text("Sources: ", style="dim")
    for number, source in enumerate(sources, start=1):
        if number > 1:
            line.append(" · ", style="dim")
        title = inert(str(source.get("title") or source.get("source") or ""))
        if len(title) > SOURCE_TITLE_WIDTH:
            title = title[: SOURCE_TITLE_WIDTH - 1].rstrip() + "…"
        line.append(f"[{number}] ", style="dim bold")
        line.append(title, style="dim")
    return line


class UserMessage(Static):
    """What the user typed, exactly as typed."""

    def __init__(self, content: str) -> None:
        super().__init__(Text(inert(content)), markup=False)
        self._content = content
        self.border_title = "You"

    def remake(self) -> Callable[[], Widget]:
        return partial(UserMessage, self._content)


#: Streamed text reaches the Markdown at most this often: smooth to read, and it leaves the
#: event loop time to draw frames and read keys between appends.
FLUSH_SECONDS = 0.04
#: A long reply is shown as a column of Markdown segments. Once a segment holds this many
#: characters it is closed at the next blank line between top-level blocks, so an append
#: re-parses and re-lays out a short document instead of the whole reply.
SEGMENT_CHARS = 500

_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.MULTILINE)
_BLOCK_GAP = re.compile(r"\n\n(?=\S)")


def segment_break(text: str, start: int, end: int) -> int | None:
    """Where the text in ``start:end`` may end a segment: after its last blank line that is
    outside a code fence and followed by an unindented line. None when there is none."""
    for gap in reversed(list(_BLOCK_GAP.finditer(text, start, end))):
        cut = gap.end()
        if len(_FENCE.findall(text, 0, cut)) % 2 == 0:
            return cut
    return None


class AssistantMessage(Vertical):
    """A reply, streamed as Markdown (``Markdown.get_stream``) while it arrives.

    When the reply is complete it is rendered from its full saved text once: if that is
    exactly what streamed, the stream's last write is that render; otherwise (a reply cut
    short, text changed on saving) the segments are replaced by one full update.

    Segments that are complete (closed while streaming, or all of them once the reply is)
    are frozen into the lines they drew (:mod:`~assistant.ui.widgets.frozen_markdown`), so a
    long reply or a long conversation keeps few live widgets.
    """

    def __init__(self, content: str = "") -> None:
        super().__init__()
        self._text = inert(content)
        self._sources: tuple[dict[str, Any], ...] = ()
        self._interrupted = False
        self._finished_on_mount = False
        self._shown = len(self._text)
        self._segment_start = 0
        self._stream: MarkdownStream | None = None
        self._flush_timer: Timer | None = None
        self._lock = asyncio.Lock()
        self._complete = False
        self.border_title = "Reflect"

    @classmethod
    def finished(
        cls, content: str, sources: Sequence[dict[str, Any]], *, interrupted: bool
    ) -> AssistantMessage:
        """A reply shown complete from the start (one brought back into view)."""
        message = cls(content)
        message._sources = tuple(sources)
        message._interrupted = interrupted
        message._finished_on_mount = True
        return message

    def remake(self) -> Callable[[], Widget]:
        return partial(
            AssistantMessage.finished, self._text, self._sources, interrupted=self._interrupted
        )

    def compose(self) -> ComposeResult:
        yield ReplyMarkdown(self._text)
        yield Static(classes="reply-footer", markup=False)

    async def on_mount(self) -> None:
        if self._finished_on_mount:
            await self.complete(self._text, self._sources, interrupted=self._interrupted)

    @property
    def source(self) -> str:
        """All the text of the reply received so far."""
        return self._text

    async def append(self, delta: str) -> None:
        """Add streamed text; it is shown within :data:`FLUSH_SECONDS`."""
        self._text += inert(delta)
        if self._flush_timer is None:
            self._flush_timer = self.set_timer(FLUSH_SECONDS, self._flush)

    async def _flush(self) -> None:
        async with self._lock:
            self._flush_timer = None
            await self._write_pending()

    async def _write_pending(self) -> None:
        """Hand the text not yet shown to the current segment, opening a new one if due."""
        end = len(self._text)
        if end == self._shown:
            return
        if end - self._segment_start > SEGMENT_CHARS:
            cut = segment_break(self._text, max(self._shown, self._segment_start + 1), end)
            if cut is not None:
                await self._write(self._text[self._shown : cut])
                await self._close_segment(continued=True)
                self._segment_start = self._shown = cut
                await self.mount(ReplyMarkdown(), before=self._footer)
        await self._write(self._text[self._shown : end])
        self._shown = end

    async def _write(self, text: str) -> None:
        if self._stream is None:
            self._stream = Markdown.get_stream(self.query(Markdown).last())
        await self._stream.write(text)

    async def _close_segment(self, *, continued: bool = False) -> None:
        """Finish the segment being streamed into; ``continued``: another one follows it."""
        if self._stream is not None:
            await self._stream.stop()
            segment = self._stream.markdown_widget
            if continued and isinstance(segment, ReplyMarkdown):
                segment.continued()
            freeze_when_drawn(segment)
            self._stream = None

    def freeze_finished(self) -> None:
        """Freeze what is drawn live though complete (after its screen was in the background)."""
        if self._complete:
            for markdown in self.query(Markdown):
                freeze_when_drawn(markdown)

    async def complete(
        self, content: str, sources: Sequence[dict[str, Any]], *, interrupted: bool
    ) -> None:
        """Show the reply as saved, with its sources (and a note if it was cut short)."""
        async with self._lock:
            if self._flush_timer is not None:
                self._flush_timer.stop()
                self._flush_timer = None
            content = inert(content)
            if content == self._text:
                await self._write_pending()
                await self._close_segment()
            else:
                await self._close_segment()
                await self._replace_with(content)
            self._complete = True
            self._sources, self._interrupted = tuple(sources), interrupted
            self.freeze_finished()
        footer = Text()
        if sources:
            footer.append_text(sources_line(sources))
        if interrupted:
            if footer:
                footer.append("\n")
            footer.append("Stopped. What arrived is kept; ctrl+r writes the reply again.", "italic")
            self.add_class("-interrupted")
        self._footer.update(footer)
        self._footer.display = bool(footer)

    @property
    def _footer(self) -> Static:
        return self.query_one(".reply-footer", Static)

    async def _replace_with(self, content: str) -> None:
        """Show ``content`` in one Markdown in place of the segments (live or frozen)."""
        footer = self._footer
        with self.app.batch_update():
            await self.remove_children([child for child in self.children if child is not footer])
            await self.mount(ReplyMarkdown(content), before=footer)
        self._text = content
        self._shown = self._segment_start = len(content)


class NoticeLine(Static):
    """Something the user should know, between messages: "Switched to guide mode", ..."""

    def __init__(self, text: str, level: str = "info") -> None:
        super().__init__(Text(inert(text)), markup=False, classes=f"-{level}")
        self._text, self._level = text, level

    def remake(self) -> Callable[[], Widget]:
        return partial(NoticeLine, self._text, self._level)


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
