"""A reply's Markdown in one light widget: lines drawn once per width and theme, and kept.

Textual's ``Markdown`` widget makes a widget for every block (four for a list item); each costs
tens of kilobytes and a share of every layout pass. :class:`ReplyMarkdown` is one widget that
draws the document itself (:mod:`~assistant.ui.widgets.markdown_layout`) and keeps the lines
for the width and theme it was last drawn at, in the manner of a log view's line cache.

While a reply streams, its text is cut into chunks at blank lines between top-level blocks
(:func:`chunk_break`); a chunk that is closed is read and laid out once, so each update only
reads the few hundred characters at the end. The same widget shows the reply streaming and
finished, so nothing moves when it completes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from rich.segment import Segment
from textual.message import Message
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

from assistant.markdown_patterns import CODE_FENCE
from assistant.ui.widgets.markdown_blocks import Block, Inlines, Link, Part, parser, read_blocks
from assistant.ui.widgets.markdown_layout import BLOCK_PARTS, Laid, Palette, lay_out, stack

#: A chunk being written is closed at the next blank line between top-level blocks once it
#: holds this many characters, so an update reads a short text instead of the whole reply.
CHUNK_CHARS = 500

# A blank line followed by a whole unindented line that does not go on with a list (a line
# still arriving may yet turn out to be a list item).
_BLOCK_GAP = re.compile(r"\n\n(?=\S[^\n]*\n)(?![-*+][ \t]|\d{1,9}[.)][ \t])")


def chunk_break(text: str, start: int, end: int) -> int | None:
    """Where the text in ``start:end`` may end a chunk: after its last blank line that is
    outside a code fence and followed by a whole line that starts a new top-level block (not
    a list's next item). None when there is none."""
    for gap in reversed(list(_BLOCK_GAP.finditer(text, start, end))):
        cut = gap.end()
        if len(CODE_FENCE.findall(text, 0, cut)) % 2 == 0:
            return cut
    return None


@dataclass
class Chunk:
    """A piece of the source read into blocks, with its layout for one width and palette."""

    text: str
    blocks: list[Block]
    links: list[Link]
    citations: list[int]
    layout_key: tuple[object, ...] = ()
    laid: list[Laid] = field(default_factory=list)


class ReplyMarkdown(Widget):
    """Markdown drawn as Textual's Markdown widget would draw it, as one widget.

    Links are clickable: a click (or :meth:`open_link`) posts :class:`ReplyMarkdown.LinkOpened`;
    a click on a cited ``[n]`` posts :class:`ReplyMarkdown.CitationOpened`.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {str(part) for part in Part}

    # The styles of Textual's Markdown widget, block by block.
    DEFAULT_CSS: ClassVar[str] = """
    ReplyMarkdown {
        width: 1fr;
        height: auto;
        color: $foreground;
        & > .md--em { text-style: italic; }
        & > .md--strong { text-style: bold; }
        & > .md--s { text-style: strike; }
        &:dark > .md--code-inline { background: $warning 10%; color: $text-warning 95%; }
        &:light > .md--code-inline { background: $error 5%; color: $text-error 95%; }
        &:ansi > .md--code-inline { background: ansi_default; }
        & > .md--h1 {
            color: $markdown-h1-color;
            background: $markdown-h1-background;
            text-style: $markdown-h1-text-style;
        }
        & > .md--h2 {
            color: $markdown-h2-color;
            background: $markdown-h2-background;
            text-style: $markdown-h2-text-style;
        }
        & > .md--h3 {
            color: $markdown-h3-color;
            background: $markdown-h3-background;
            text-style: $markdown-h3-text-style;
        }
        & > .md--h4 {
            color: $markdown-h4-color;
            background: $markdown-h4-background;
            text-style: $markdown-h4-text-style;
        }
        & > .md--h5 {
            color: $markdown-h5-color;
            background: $markdown-h5-background;
            text-style: $markdown-h5-text-style;
        }
        & > .md--h6 {
            color: $markdown-h6-color;
            background: $markdown-h6-background;
            text-style: $markdown-h6-text-style;
        }
        & > .md--bullet { color: $text-primary; }
        &:light > .md--bullet { color: $text-secondary; }
        & > .md--quote { background: $boost; }
        & > .md--quote-edge { color: $text-primary 50%; }
        &:light > .md--quote-edge { color: $text-secondary; }
        & > .md--fence { color: rgb(210,210,210); background: black 10%; }
        &:light > .md--fence { background: white 30%; }
        &:ansi > .md--fence { background: transparent; }
        &:light > .md--table { background: white 30%; }
        & > .md--table-header { color: $primary; text-style: bold; }
        & > .md--table-line { color: $foreground 20%; }
        & > .md--rule { color: $secondary; }
    }
    """

    class LinkOpened(Message):
        """A link in the reply was clicked: ``href`` as written in the reply."""

        def __init__(self, markdown: ReplyMarkdown, link: Link) -> None:
            super().__init__()
            self.markdown, self.link = markdown, link

        @property
        def control(self) -> ReplyMarkdown:
            return self.markdown

    class CitationOpened(Message):
        """A cited ``[number]`` in the reply was clicked."""

        def __init__(self, markdown: ReplyMarkdown, number: int) -> None:
            super().__init__()
            self.markdown, self.number = markdown, number

        @property
        def control(self) -> ReplyMarkdown:
            return self.markdown

    def __init__(self, source: str = "") -> None:
        super().__init__()
        self._chunks: list[Chunk] = []
        self._source = ""
        self._lines: list[Strip] = []
        self._lines_key: tuple[object, ...] | None = None
        self.update(source)

    @property
    def source(self) -> str:
        return self._source

    @property
    def citations(self) -> list[int]:
        """The passage numbers the reply cites (``[n]``), each once, in order."""
        return list(dict.fromkeys(n for chunk in self._chunks for n in chunk.citations))

    @property
    def links(self) -> list[Link]:
        """Every link in the reply, in order."""
        return [link for chunk in self._chunks for link in chunk.links]

    def update(self, source: str) -> None:
        """Show ``source``. Text that only grows (a stream) re-reads just its last chunk."""
        closed = self._chunks[:-1]
        closed_end = sum(len(chunk.text) for chunk in closed)
        if not source.startswith(self._source[:closed_end]):
            closed, closed_end = [], 0
        while len(source) - closed_end > CHUNK_CHARS:
            cut = chunk_break(source, closed_end + 1, len(source))
            if cut is None:
                break
            closed.append(self._read(source[closed_end:cut], closed))
            closed_end = cut
        self._chunks = [*closed, self._read(source[closed_end:], closed)]
        self._source = source
        self._lines_key = None
        self.refresh(layout=True)

    @staticmethod
    def _read(text: str, before: list[Chunk]) -> Chunk:
        links: list[Link] = []
        citations: list[int] = []
        first_link = sum(len(chunk.links) for chunk in before)
        blocks = read_blocks(parser().parse(text), Inlines(links, citations, first_link))
        return Chunk(text, blocks, links, citations)

    # --- drawing -----------------------------------------------------------------------------

    def _palette(self) -> Palette:
        return Palette(
            base=self.visual_style,
            parts={part: self.get_visual_style(str(part), partial=True) for part in Part},
            blocks={part: self.get_visual_style(str(part)) for part in BLOCK_PARTS},
            link=self.link_style,
            parse=Style.parse,
            dark=self.app.current_theme.dark,
            ansi=bool(self.app.ansi_color),
        )

    def lines(self, width: int) -> list[Strip]:
        """The lines of the document ``width`` cells wide (kept until the width, the theme or
        the text changes)."""
        key = (width, self.app.theme, self.app.ansi_color)
        if key != self._lines_key:
            palette = self._palette()
            laid: list[Laid] = []
            for chunk in self._chunks:
                if chunk.layout_key != key:
                    chunk.layout_key, chunk.laid = key, lay_out(chunk.blocks, width, palette)
                laid += chunk.laid
            self._lines = stack(laid, width, palette.base, close_up=True)
            self._lines_key = key
        return self._lines

    def notify_style_update(self) -> None:
        """The theme (or the CSS) changed: draw again with the new styles."""
        super().notify_style_update()
        self._forget_layout()

    def _forget_layout(self) -> None:
        self._lines_key = None
        for chunk in self._chunks:
            chunk.layout_key = ()
        self.refresh(layout=True)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self.lines(width))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        lines = self.lines(width)
        if y >= len(lines):
            return Strip.blank(width, self.visual_style.rich_style)
        line = lines[y]
        selection = self.text_selection
        span = selection.get_span(y) if selection is not None else None
        if span is None:
            return line
        start, end = span
        end = width if end == -1 else end
        style = self.screen.get_component_rich_style("screen--selection")
        selected = Strip(Segment.apply_style(line.crop(start, end), post_style=style))
        return Strip.join([line.crop(0, start), selected, line.crop(end, width)])

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        text = "\n".join(line.text.rstrip() for line in self.lines(self.size.width))
        return selection.extract(text), "\n"

    # --- links -------------------------------------------------------------------------------

    def action_link(self, index: int) -> None:
        """A click on link ``index`` (the action its text carries)."""
        self.open_link(index)

    def action_cite(self, number: int) -> None:
        """A click on a cited ``[number]``."""
        self.post_message(self.CitationOpened(self, number))

    def open_link(self, index: int) -> None:
        links = self.links
        if 0 <= index < len(links):
            self.post_message(self.LinkOpened(self, links[index]))
