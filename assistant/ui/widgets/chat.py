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
from typing import TYPE_CHECKING

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.markdown import MarkdownStream
from textual.widgets.option_list import Option

from assistant.markdown_patterns import CODE_FENCE
from assistant.ui.passage_screen import PassageRef
from assistant.ui.safe_text import inert
from assistant.ui.widgets.frozen_markdown import ReplyMarkdown, freeze_when_drawn

if TYPE_CHECKING:
    from assistant.journal import Source
    from assistant.knowledge import Passage


#: Longer source titles are cut under a reply; the guidance panel shows them whole.
SOURCE_TITLE_WIDTH = 30


def sources_line(sources: Sequence[Source]) -> Text:
    """ "Sources: [1] Title · [2] Title" under a reply, numbered as in the guidance panel;
    a click on one opens its passage."""
    line = Text("Sources: ", style="dim")
    for number, source in enumerate(sources, start=1):
        if number > 1:
            line.append(" · ", style="dim")
        title = inert(source.title or source.source)
        if len(title) > SOURCE_TITLE_WIDTH:
            title = title[: SOURCE_TITLE_WIDTH - 1].rstrip() + "…"
        opens = Style.from_meta({"@click": f"screen.open_passage({number})"})
        line.append(f"[{number}] ", style=Style(dim=True, bold=True) + opens)
        line.append(title, style=Style(dim=True) + opens)
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

_BLOCK_GAP = re.compile(r"\n\n(?=\S)")


def segment_break(text: str, start: int, end: int) -> int | None:
    """Where the text in ``start:end`` may end a segment: after its last blank line that is
    outside a code fence and followed by an unindented line. None when there is none."""
    for gap in reversed(list(_BLOCK_GAP.finditer(text, start, end))):
        cut = gap.end()
        if len(CODE_FENCE.findall(text, 0, cut)) % 2 == 0:
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
        self._sources: tuple[Source, ...] = ()
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
        cls, content: str, sources: Sequence[Source], *, interrupted: bool
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

    async def complete(self, content: str, sources: Sequence[Source], *, interrupted: bool) -> None:
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


class GuidancePanel(Vertical):
    """The passages behind the coming question: number, title and source of each.

    Each entry opens the whole passage (arrows or tab, then enter; or a click): the panel
    posts :class:`GuidancePanel.Opened`.
    """

    class Opened(Message):
        def __init__(self, number: int, ref: PassageRef) -> None:
            super().__init__()
            self.number, self.ref = number, ref

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._refs: list[PassageRef] = []

    @property
    def refs(self) -> list[PassageRef]:
        """The passages listed, numbered from 1 as replies cite them."""
        return list(self._refs)

    def compose(self) -> ComposeResult:
        yield OptionList(id="guidance-list")

    def on_mount(self) -> None:
        self.border_title = "Guidance"
        self.border_subtitle = "enter opens"
        self.show([])

    def show(self, passages: Sequence[Passage]) -> None:
        self.show_refs([PassageRef.of(passage) for passage in passages])

    def show_refs(self, refs: Sequence[PassageRef]) -> None:
        self._refs = list(refs)
        listing = self.query_one("#guidance-list", OptionList)
        listing.clear_options()
        if not refs:
            listing.add_option(
                Option(
                    Text("No guidance passages for this step.", style="dim italic"), disabled=True
                )
            )
            return
        listing.add_options(
            Option(_entry(number, ref), id=str(number)) for number, ref in enumerate(refs, start=1)
        )
        listing.highlighted = 0

    @on(OptionList.OptionSelected, "#guidance-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        number = int(event.option_id or 0)
        if 1 <= number <= len(self._refs):
            self.post_message(self.Opened(number, self._refs[number - 1]))


def _entry(number: int, ref: PassageRef) -> Table:
    entry = Text(inert(ref.title), style="bold")
    if ref.heading:
        entry.append("\n" + inert(ref.heading))
    entry.append("\n" + inert(ref.source), style="dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1)
    grid.add_row(f"[{number}]", entry)
    return grid
