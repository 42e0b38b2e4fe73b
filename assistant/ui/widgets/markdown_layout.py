"""Markdown blocks laid out as lines of cells, the way Textual's Markdown widget lays them out.

Textual's ``Markdown`` makes a widget for every block (four for a list item); a reply of a few
screens costs hundreds of widgets, their layout on every frame and megabytes of memory. This
module draws the same document as plain lines instead, with the same blocks, margins, bullets,
colours and wrapping, so that one light widget (:mod:`~assistant.ui.widgets.reply_markdown`)
can show a whole reply.

Only public parts of Textual are used: ``Content`` (inline styles, wrapping), ``Style``,
``Strip`` and ``textual.highlight``. Colours come in a :class:`Palette` the widget resolves from
its CSS, so a change of theme is a new palette and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content
from textual.strip import Strip
from textual.style import Style

from assistant.ui.widgets.markdown_blocks import Block, BlockKind, Part

#: Unordered list bullets by depth, as Textual's Markdown draws them.
BULLETS = ("• ", "▪ ", "‣ ", "⭑ ", "◦ ")
#: Left edge of a block quote (Textual's "outer" border).
QUOTE_EDGE = "▌"


#: Parts that are blocks with a background of their own.
BLOCK_PARTS = (Part.QUOTE, Part.FENCE, Part.TABLE)
HEADINGS = (Part.H1, Part.H2, Part.H3, Part.H4, Part.H5, Part.H6)


@dataclass(frozen=True)
class Palette:
    """Styles to draw with: ``base`` under everything, each part's own style over it
    (``parts``), and blocks with a background composed over the document (``blocks``).

    ``parse`` turns the style strings of highlighted code ("$text-primary bold") into styles.
    """

    base: Style
    parts: Mapping[Part, Style]
    blocks: Mapping[Part, Style]
    link: RichStyle
    parse: Callable[[str], Style]
    dark: bool = True
    ansi: bool = False

    def __getitem__(self, part: Part) -> Style:
        return self.parts[part]

    def block(self, part: Part, under: Style) -> Style:
        """The style of a block with a background of its own, placed over ``under``: as
        Textual composes it when the block is at the top of the document (``blocks``)."""
        if under == self.base and part in self.blocks:
            return self.blocks[part]
        return under + self.parts[part]


@dataclass(frozen=True)
class Laid:
    """A block laid out at one width: its lines and the margins above and below it."""

    lines: list[Strip]
    top: int = 0
    bottom: int = 0


# --- laying out ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a block sits: the style under it, and what encloses it."""

    base: Style
    top_level: bool = True
    in_list: bool = False
    bullet_depth: int = 0


def lay_out(blocks: list[Block], width: int, palette: Palette) -> list[Laid]:
    """The top-level ``blocks`` laid out ``width`` cells wide."""
    place = Place(palette.base)
    return [lay_block(block, width, palette, place) for block in blocks]


def stack(laid: list[Laid], width: int, base: Style, *, close_up: bool = False) -> list[Strip]:
    """Blocks one under another: the gap between two is the larger of their margins, as in
    Textual's vertical layout. ``close_up``: no margin under the last block."""
    lines: list[Strip] = []
    below: int | None = None
    for block in laid:
        gap = block.top if below is None else max(below, block.top)
        lines.extend(blank(width, base) for _ in range(gap))
        lines.extend(block.lines)
        below = block.bottom
    if below and not close_up:
        lines.extend(blank(width, base) for _ in range(below))
    return lines


def blank(width: int, style: Style) -> Strip:
    """An empty line: the background of ``style`` only, as Textual fills space."""
    return Strip.blank(width, fill(style))


def fill(style: Style) -> RichStyle:
    """What space not covered by text is drawn with: the background alone."""
    return style.background_style.rich_style


def lay_block(block: Block, width: int, palette: Palette, place: Place) -> Laid:
    width = max(width, 1)
    match block.kind:
        case BlockKind.PARAGRAPH:
            lines = text_lines(block.content, width, palette, place.base)
            return Laid(lines, 0, 1 if place.top_level else 0)
        case BlockKind.HEADING:
            return heading(block, width, palette, place)
        case BlockKind.BULLET_LIST | BlockKind.ORDERED_LIST:
            return listing(block, width, palette, place)
        case BlockKind.BLOCKQUOTE:
            return quote(block, width, palette, place)
        case BlockKind.FENCE:
            return fence(block, width, palette, place)
        case BlockKind.TABLE:
            return table(block, width, palette, place)
        case BlockKind.RULE:
            rule = Strip([Segment("─" * width, (place.base + palette[Part.RULE]).rich_style)])
            return Laid([blank(width, place.base), rule], 0, 1)
    return Laid([])


def styled_segments(content: Content, palette: Palette, base: Style) -> list[Segment]:
    """The segments of one line of ``content`` drawn over ``base``; what can be clicked
    (a link, a citation) in the link style, as Textual draws links."""
    segments = []
    for text, style in content.render(base, end="", parse_style=palette_style(palette)):
        rich = style.rich_style
        segments.append(Segment(text, rich + palette.link if "@click" in rich.meta else rich))
    return segments


def palette_style(palette: Palette) -> Callable[[str | Style], Style]:
    """Resolve span styles given as strings: a part (".md--em") or a highlighter's style."""

    def resolve(style: str | Style) -> Style:
        if isinstance(style, Style):
            return style
        if style.startswith("."):
            return palette.parts.get(Part(style[1:]), Style())
        return palette.parse(style)

    return resolve


def text_lines(
    content: Content, width: int, palette: Palette, base: Style, *, centred: bool = False
) -> list[Strip]:
    """``content`` wrapped to ``width``, each line padded to it with ``base``."""
    wrapped = content.wrap(width) if content else [Content()]
    if centred:
        wrapped = [line.pad_left((width - line.cell_length) // 2) for line in wrapped]
    pad = fill(base)
    return [
        Strip(styled_segments(line, palette, base)).extend_cell_length(width, pad)
        for line in wrapped
    ]


def heading(block: Block, width: int, palette: Palette, place: Place) -> Laid:
    level = int(block.tag[1:]) if block.tag[1:].isdigit() else 1
    style = place.base + palette[HEADINGS[min(level, 6) - 1]]
    if level == 1:
        return Laid(text_lines(block.content, width, palette, style, centred=True), 2, 1)
    if level == 2:
        return Laid(text_lines(block.content, width, palette, style), 2, 1)
    # h3 and below are as wide as their text: their background stops there.
    lines = text_lines(block.content, min(width, max(1, block.content.cell_length)), palette, style)
    pad = fill(place.base)
    return Laid([line.extend_cell_length(width, pad) for line in lines], 1, 1)


def listing(block: Block, width: int, palette: Palette, place: Place) -> Laid:
    items = [item for item in block.children if item.kind is BlockKind.LIST_ITEM]
    ordered = block.kind is BlockKind.ORDERED_LIST
    if ordered:
        start = int(items[0].info) if items and items[0].info.isdigit() else 1
        size = max((len(f"{n}. ") for n in range(start, start + len(items))), default=3)
        symbols = [f"{n}. ".rjust(size + 1) for n in range(start, start + len(items))]
        depth = place.bullet_depth
    else:
        symbols = [BULLETS[place.bullet_depth % len(BULLETS)]] * len(items)
        depth = place.bullet_depth + 1
    lines: list[Strip] = []
    bullet = (place.base + palette[Part.BULLET]).rich_style
    # The bullet's column is as tall as the item, blank below the bullet, in its colour.
    for item, symbol in zip(items, symbols, strict=True):
        indent = cell_len(symbol)
        inner = Place(place.base, top_level=False, in_list=True, bullet_depth=depth)
        laid = [lay_block(child, width - indent, palette, inner) for child in item.children]
        body = stack(laid, width - indent, place.base) or [blank(width - indent, place.base)]
        for row, line in enumerate(body):
            prefix = Segment(symbol if row == 0 else " " * indent, bullet)
            lines.append(Strip([prefix, *line], width))
    return Laid(lines, 0, 0 if place.in_list else 1)


def quote(block: Block, width: int, palette: Palette, place: Place) -> Laid:
    base = palette.block(Part.QUOTE, place.base)
    inner_width = max(width - 3, 1)
    inner = Place(base, top_level=False, in_list=place.in_list, bullet_depth=place.bullet_depth)
    laid = [lay_block(child, inner_width, palette, inner) for child in block.children]
    # A border's colour is blended over what is behind the block, not over the block.
    edge_colour = (place.base + palette[Part.QUOTE_EDGE]).rich_style.color
    edge = Segment(QUOTE_EDGE, fill(base) + RichStyle(color=edge_colour))
    space = Segment(" ", fill(base))
    lines = [
        Strip([edge, space, *line, space], inner_width + 3)
        for line in stack(laid, inner_width, base) or [blank(inner_width, base)]
    ]
    return Laid(lines, 1, 1)


def fence(block: Block, width: int, palette: Palette, place: Place) -> Laid:
    """A code block: not wrapped (cut at the edge, as Textual's scrolls without a bar).

    The highlighter (and Pygments with it) is imported here, by the first code block: most
    conversations have none, and it weighs on the app's memory and start-up.
    """
    from textual.highlight import ANSIDarkHighlightTheme, ANSILightHighlightTheme, HighlightTheme
    from textual.highlight import highlight as highlight_code

    base = palette.block(Part.FENCE, place.base)
    if palette.ansi:
        theme: type[HighlightTheme] = (
            ANSIDarkHighlightTheme if palette.dark else (ANSILightHighlightTheme)
        )
    else:
        theme = HighlightTheme
    code = highlight_code(
        block.code, language=block.info.split()[0] if block.info else "text", theme=theme
    )
    side = 0 if palette.ansi else 2
    pad = fill(base)
    lines = [blank(width, base)]
    for line in code.split("\n", allow_blank=True):
        segments = [Segment(" " * side, pad), *styled_segments(line, palette, base)]
        lines.append(Strip(segments).crop_extend(0, width, pad))
    lines.append(blank(width, base))
    margin = 0 if palette.ansi else 1
    return Laid(lines, margin, margin)


def table(block: Block, width: int, palette: Palette, place: Place) -> Laid:
    """A table in a grid of thin lines, the header in its own style; columns as wide as their
    text, narrowed in proportion (and wrapped) when the table would not fit."""
    rows = [
        [cell.content for cell in row.children]
        for section in block.children
        for row in section.children
        if row.kind is BlockKind.ROW
    ]
    if not rows:
        return Laid([])
    columns = max(len(row) for row in rows)
    rows = [row + [Content()] * (columns - len(row)) for row in rows]
    base = palette.block(Part.TABLE, place.base)
    widths = column_widths(rows, columns, width)
    line = (base + palette[Part.TABLE_LINE]).rich_style
    header = base + palette[Part.TABLE_HEADER]

    def rule(left: str, middle: str, right: str) -> Strip:
        inner = middle.join("─" * (w + 2) for w in widths)
        return Strip([Segment(left + inner + right, line)]).extend_cell_length(
            width, fill(place.base)
        )

    lines = [rule("┌", "┬", "┐")]
    for number, row in enumerate(rows):
        style = header if number == 0 else base
        cells = [text_lines(cell, w, palette, style) for cell, w in zip(row, widths, strict=True)]
        for y in range(max(len(cell) for cell in cells)):
            segments = [Segment("│", line)]
            for cell, w in zip(cells, widths, strict=True):
                text = cell[y] if y < len(cell) else blank(w, style)
                segments += [Segment(" ", fill(style)), *text, Segment(" ", fill(style))]
                segments.append(Segment("│", line))
            lines.append(Strip(segments).extend_cell_length(width, fill(place.base)))
        if number < len(rows) - 1:
            lines.append(rule("├", "┼", "┤"))
    lines.append(rule("└", "┴", "┘"))
    return Laid([strip.crop(0, width) for strip in lines], 0, 1)


def column_widths(rows: list[list[Content]], columns: int, width: int) -> list[int]:
    """Column widths filling ``width`` (less the lines and one cell of padding either side of
    each column): in proportion to their widest cells when they fit; else each at least as
    wide as its longest word, what is left shared in proportion to what each still lacks."""
    natural = [max(1, *(row[c].cell_length for row in rows)) for c in range(columns)]
    room = max(width - (3 * columns + 1), columns)
    if sum(natural) <= room:
        return _share(room, natural, [0] * columns)
    words = [
        min(natural[c], max(cell_len(word) for row in rows for word in [*row[c].plain.split(), ""]))
        for c in range(columns)
    ]
    if sum(words) >= room:
        return _share(room, words, [0] * columns)
    return _share(room, [n - w for n, w in zip(natural, words, strict=True)], words)


def _share(room: int, weights: list[int], floor: list[int]) -> list[int]:
    """``floor`` plus the room left over it, shared in proportion to ``weights``."""
    spare = room - sum(floor)
    total = sum(weights) or 1
    widths = [max(1, f + spare * w // total) for f, w in zip(floor, weights, strict=True)]
    widths[-1] += max(0, room - sum(widths))
    return widths
