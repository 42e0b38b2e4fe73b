"""Finished Markdown kept as the lines it was drawn with: one light widget instead of dozens.

Textual's Markdown widget makes a widget for every block, and four for every list item. Each
one costs tens of kilobytes and a share of every layout pass, so a long conversation grows by
megabytes a message and every frame re-arranges all of it. Text that is complete no longer
changes: once a Markdown widget has been laid out, :func:`freeze_when_drawn` copies the cells it
draws (:func:`render_subtree`) into a :class:`FrozenMarkdown` and drops the live widgets. The
copy draws the same cells, so nothing changes for the eye.

The lines fit one width and one theme. When either changes, a frozen widget that comes into
view is drawn live again from its source (and frozen anew once laid out), so only what the
user looks at is redrawn.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar
from weakref import WeakSet

from rich.style import Style
from textual.await_complete import AwaitComplete
from textual.content import Content
from textual.geometry import Region, Size
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock, MarkdownFence

#: How often, and how far apart, to look again for a Markdown widget to be laid out (its
#: screen may be in the background, or a burst of changes may hold its layout back).
FREEZE_ATTEMPTS = 10
FREEZE_RETRY_SECONDS = 0.05


class PlainFence(MarkdownFence):
    """A code block that names no language is shown as plain text.

    Textual would have Pygments guess the language, trying every lexer it has: a tenth of a
    second or more, again on every streamed update while the block is the last one.
    """

    @classmethod
    def highlight(cls, code: str, language: str, ansi: bool = False, dark: bool = False) -> Content:
        return super().highlight(code, language or "text", ansi=ansi, dark=dark)


class ReplyMarkdown(Markdown):
    """Markdown as replies show it: no margin under the last block, so the frame of the reply
    closes right under its text, and code blocks without a language are not guessed at.

    The margin is taken off by hand after each change: a ``:last-child`` rule would make
    Textual restyle every block of the document (and all inside them) on each streamed block.
    """

    BLOCKS: dict[str, type[MarkdownBlock]] = {  # noqa: RUF012  (Markdown declares it so)
        **Markdown.BLOCKS,
        "fence": PlainFence,
        "code_block": PlainFence,
    }

    def __init__(self, markdown: str | None = None) -> None:
        super().__init__(markdown)
        self._last_block: Widget | None = None
        self._ends_reply = True

    @property
    def ends_reply(self) -> bool:
        """False once :meth:`continued` says more of the reply follows in another widget."""
        return self._ends_reply

    def continued(self) -> None:
        """The reply goes on in another widget below: keep the space under the last block."""
        self._ends_reply = False
        if self._last_block is not None:
            _restore_margin(self._last_block)
            self._last_block = None

    def append(self, markdown: str) -> AwaitComplete:
        return self._then_close_up(super().append(markdown))

    def update(self, markdown: str) -> AwaitComplete:
        return self._then_close_up(super().update(markdown))

    def _then_close_up(self, change: AwaitComplete) -> AwaitComplete:
        async def changed() -> None:
            await change
            self._close_up()

        return AwaitComplete(changed())

    def _close_up(self) -> None:
        last = self.children[-1] if self.children and self._ends_reply else None
        if last is self._last_block:
            return
        if self._last_block is not None:
            _restore_margin(self._last_block)
        if last is not None:
            margin = last.styles.margin
            last.styles.margin = (margin.top, margin.right, 0, margin.left)
        self._last_block = last


def _restore_margin(block: Widget) -> None:
    """Give ``block`` back the margin its CSS sets. Clearing an inline rule does not ask for a
    new layout by itself (setting one does), so without the refresh the old margin could stay
    on screen, and be frozen, until something else moved."""
    block.styles.clear_rule("margin")
    block.refresh(layout=True)


def render_subtree(root: Widget) -> list[Strip] | None:
    """The cells ``root`` and everything inside it draw, line by line, as the compositor would
    paint them: each widget's own lines over its parent's, clipped to its container.

    None when ``root`` or one of its descendants has not been laid out yet.
    """
    origin = root.region
    if not origin:
        return None
    canvas = [Strip.blank(origin.width) for _ in range(origin.height)]

    def paint(widget: Widget, clip: Region) -> bool:
        region = widget.region
        if not region:
            return False
        shown = region.intersection(clip)
        if shown and widget.visible:
            lines = widget.render_lines(Region(0, 0, region.width, region.height))
            left, right = shown.x - origin.x, shown.right - origin.x
            for y in range(shown.y, shown.bottom):
                row = y - origin.y
                piece = lines[y - region.y].crop(shown.x - region.x, shown.right - region.x)
                canvas[row] = Strip.join(
                    [canvas[row].crop(0, left), piece, canvas[row].crop(right, origin.width)]
                )
        inner = clip.intersection(widget.scrollable_content_region)
        return all(paint(child, inner) for child in widget.displayed_children)

    if not paint(root, origin):
        return None
    return [line.simplify() for line in canvas]


class FrozenMarkdown(Widget):
    """The lines a Markdown document was drawn with, and its source to draw it again."""

    DEFAULT_CSS: ClassVar[str] = """
    FrozenMarkdown {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, source: str, lines: list[Strip], theme: str, *, ends_reply: bool) -> None:
        super().__init__()
        self.source = source
        self._ends_reply = ends_reply
        # Plain segments: a Strip carries seven caches of its own, which would outweigh them.
        self._lines = [tuple(line) for line in lines]
        self._width = lines[0].cell_length if lines else 0
        self._theme = theme
        self._thawing = False

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines)

    def render_line(self, y: int) -> Strip:
        if (self.size.width != self._width or self.app.theme != self._theme) and self._lines:
            self._thaw_soon()
        if y >= len(self._lines):
            return Strip.blank(self.size.width)
        line = Strip(self._lines[y], self._width)
        if self.size.width != self._width:
            line = line.crop_extend(0, self.size.width, None)
        selection = self.text_selection
        span = selection.get_span(y) if selection is not None else None
        if span is None:
            return line
        start, end = span
        end = self.size.width if end == -1 else end
        style = self.screen.get_component_rich_style("screen--selection")
        return _stylize(line, start, end, style)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        text = "\n".join("".join(s.text for s in line).rstrip() for line in self._lines)
        return selection.extract(text), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._styles_cache.clear()
        self.refresh()

    def _thaw_soon(self) -> None:
        if not self._thawing:
            self._thawing = True
            self.call_later(self._thaw)

    async def _thaw(self) -> None:
        """Draw the source live again in this place; it is frozen again once laid out."""
        parent = self.parent
        if not isinstance(parent, Widget):
            return
        markdown = ReplyMarkdown()
        if not self._ends_reply:
            markdown.continued()
        with self.app.batch_update():
            await parent.mount(markdown, before=self)
            await markdown.update(self.source)
            self.remove()
        freeze_when_drawn(markdown)


def _stylize(line: Strip, start: int, end: int, style: Style) -> Strip:
    width = line.cell_length
    return Strip.join(
        [line.crop(0, start), line.crop(start, end).apply_style(style), line.crop(end, width)]
    )


#: Markdown widgets waiting for :func:`freeze_when_drawn`, so that each is frozen once.
_waiting: WeakSet[Markdown] = WeakSet()


def freeze_when_drawn(markdown: Markdown) -> None:
    """Replace ``markdown`` (complete: nothing more will be written to it) by a
    :class:`FrozenMarkdown` of its lines once it has been laid out.

    If it is not laid out after :data:`FREEZE_ATTEMPTS` looks (its screen is in the
    background), it stays live; calling this again later tries again.
    """
    if markdown not in _waiting:
        _waiting.add(markdown)
        markdown.call_after_refresh(_freeze, markdown, FREEZE_ATTEMPTS)


def _layout_pending(markdown: Markdown) -> bool:
    """Whether a change to ``markdown`` or its screen still waits to be laid out, so that the
    regions on record (what :func:`render_subtree` copies) are not yet what will be drawn.

    A callback after a refresh can run after a newer change asked for another layout (a
    segment mounted below, a margin given back). Textual keeps this state in private flags
    only; ``tests/test_ui_conversation_frozen.py`` fails if they stop meaning this.
    """
    return markdown.screen._layout_required or any(
        widget._layout_required for widget in markdown.walk_children(Widget, with_self=True)
    )


async def _freeze(markdown: Markdown, attempts: int) -> None:
    parent = markdown.parent
    if not markdown.is_mounted or not isinstance(parent, Widget):
        _waiting.discard(markdown)
        return
    settled = markdown.screen.is_current and not _layout_pending(markdown)
    lines = render_subtree(markdown) if settled else None
    if lines is None:
        if attempts > FREEZE_ATTEMPTS // 2:  # after the next refresh, then a little later
            markdown.call_after_refresh(_freeze, markdown, attempts - 1)
        elif attempts > 1:
            markdown.set_timer(FREEZE_RETRY_SECONDS, partial(_freeze, markdown, attempts - 1))
        else:
            _waiting.discard(markdown)
        return
    ends_reply = not isinstance(markdown, ReplyMarkdown) or markdown.ends_reply
    frozen = FrozenMarkdown(markdown.source, lines, markdown.app.theme, ends_reply=ends_reply)
    with markdown.app.batch_update():  # never drawn with both, or with neither
        await parent.mount(frozen, before=markdown)
        await markdown.remove()
