"""The pieces of a conversation on screen: messages, the guidance panel, the status line.

Every piece of user, model and document text goes through :func:`inert` and is shown with
markup off: user and document text as ``Text``, model replies as Markdown (whose source is
Markdown, never Rich markup).
"""

from __future__ import annotations

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
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assistant.ui.passage_ref import PassageRef
from assistant.ui.safe_text import inert
from assistant.ui.widgets.reply_markdown import ReplyMarkdown

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


#: Streamed text is drawn at most this often: smooth to read, and it leaves the event loop
#: time to draw frames and read keys between updates.
FLUSH_SECONDS = 0.04
#: The chat box title of a reply; a simulated mentee's turn is titled with its name instead.
REPLY_TITLE = "Reflect"


def reply_title(text: str) -> str:
    """The title of the chat box showing ``text``: the persona's name for a role-play turn
    ("Priya: …"), else :data:`REPLY_TITLE`."""
    from assistant.conversation.guide.persona import speaker_of

    return speaker_of(text) or REPLY_TITLE


class AssistantMessage(Vertical):
    """A reply, drawn as Markdown by one light widget (:class:`ReplyMarkdown`), streamed or
    complete, with the sources it cites below it."""

    def __init__(self, content: str = "") -> None:
        super().__init__()
        self._text = inert(content)
        self._sources: tuple[Source, ...] = ()
        self._interrupted = False
        self._finished_on_mount = False
        self._flush_timer: Timer | None = None
        self._titled = False
        self.border_title = REPLY_TITLE

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

    @property
    def markdown(self) -> ReplyMarkdown:
        return self.query_one(ReplyMarkdown)

    async def append(self, delta: str) -> None:
        """Add streamed text; it is shown within :data:`FLUSH_SECONDS`."""
        self._text += inert(delta)
        if self._flush_timer is None:
            self._flush_timer = self.set_timer(FLUSH_SECONDS, self._flush)

    def _flush(self) -> None:
        self._flush_timer = None
        self._show(self._text)

    def _show(self, text: str) -> None:
        if not self._titled and text.strip():
            # The first words say whose turn it is.
            self.border_title = reply_title(text)
            self._titled = True
        if text != self.markdown.source:
            self.markdown.update(text)

    async def complete(self, content: str, sources: Sequence[Source], *, interrupted: bool) -> None:
        """Show the reply as saved, with its sources (and a note if it was cut short)."""
        if self._flush_timer is not None:
            self._flush_timer.stop()
            self._flush_timer = None
        self._text = inert(content)
        self._show(self._text)
        self._sources, self._interrupted = tuple(sources), interrupted
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
