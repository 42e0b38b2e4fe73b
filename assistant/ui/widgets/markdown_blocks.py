"""Markdown read into blocks, the way Textual's Markdown widget reads it, ready to be laid out
(:mod:`~assistant.ui.widgets.markdown_layout`).

Inline text becomes ``Content`` whose spans name the part that styles them (".md--em") or
carry a click action: ``link(i)`` for the i-th link, ``cite(n)`` for a cited ``[n]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from markdown_it import MarkdownIt
from markdown_it.token import Token
from textual.content import Content, Span
from textual.style import Style


class Part(StrEnum):
    """The styled parts of a document: component classes of the widget that draws it."""

    EM = "md--em"
    STRONG = "md--strong"
    STRIKE = "md--s"
    CODE = "md--code-inline"
    H1 = "md--h1"
    H2 = "md--h2"
    H3 = "md--h3"
    H4 = "md--h4"
    H5 = "md--h5"
    H6 = "md--h6"
    BULLET = "md--bullet"
    QUOTE = "md--quote"
    QUOTE_EDGE = "md--quote-edge"
    FENCE = "md--fence"
    TABLE = "md--table"
    TABLE_HEADER = "md--table-header"
    TABLE_LINE = "md--table-line"
    RULE = "md--rule"


class BlockKind(StrEnum):
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    BLOCKQUOTE = "blockquote"
    BULLET_LIST = "bullet_list"
    ORDERED_LIST = "ordered_list"
    LIST_ITEM = "list_item"
    TABLE = "table"
    THEAD = "thead"
    TBODY = "tbody"
    ROW = "tr"
    HEADER_CELL = "th"
    CELL = "td"
    FENCE = "fence"
    RULE = "hr"


@dataclass(frozen=True)
class Link:
    """A link in the document: its text as shown and where it points (both as written)."""

    text: str
    href: str


@dataclass
class Block:
    """A block of the document as Markdown-it reads it, before it is laid out."""

    kind: BlockKind
    tag: str = ""
    info: str = ""
    content: Content = field(default_factory=Content)
    code: str = ""
    children: list[Block] = field(default_factory=list)


def parser() -> MarkdownIt:
    """The parser Textual's Markdown uses."""
    return MarkdownIt("gfm-like")


#: The tokens that open a block, and the kind of block each opens.
_OPENERS = {
    f"{kind}_open": kind
    for kind in BlockKind
    if kind not in (BlockKind.HEADING, BlockKind.FENCE, BlockKind.RULE)
} | {"heading_open": BlockKind.HEADING}


@dataclass
class Inlines:
    """What reading inline text collects: its links (a click runs the action ``link(i)``, i
    counting from ``first_link``) and the passages it cites as ``[n]`` (action ``cite(n)``)."""

    links: list[Link] = field(default_factory=list)
    citations: list[int] = field(default_factory=list)
    first_link: int = 0


def read_blocks(tokens: list[Token], inlines: Inlines) -> list[Block]:
    """The top-level blocks of a token stream, with the links and citations of their text."""
    top: list[Block] = []
    stack: list[Block] = []

    def add(block: Block) -> None:
        (stack[-1].children if stack else top).append(block)

    for token in tokens:
        kind = _OPENERS.get(token.type)
        if kind is not None:
            stack.append(Block(kind, tag=token.tag, info=token.info))
        elif token.type.endswith("_close") and stack:
            add(stack.pop())
        elif token.type == "inline" and stack:
            stack[-1].content = inline_content(token, inlines)
        elif token.type in ("fence", "code_block"):
            add(Block(BlockKind.FENCE, info=token.info, code=token.content.rstrip()))
        elif token.type == "hr":
            add(Block(BlockKind.RULE))
    return top


_SPACES = re.compile(r"\s+")
_CITATION = re.compile(r"\[(\d{1,2})\]")
_INLINE_PARTS = {"em_open": Part.EM, "strong_open": Part.STRONG, "s_open": Part.STRIKE}


def inline_content(token: Token, inlines: Inlines) -> Content:
    """Inline text with its emphasis, code and links, as Textual's Markdown shows it.

    Spans carry part names (".md--em") and, for links, the click action; the widget's
    palette styles them when the content is drawn.
    """
    links = inlines.links
    pieces: list[str] = []
    spans: list[Span] = []
    opened: list[tuple[str | Style, int, int]] = []  # style, start, index of a link (or -1)
    position = 0

    def add(text: str) -> None:
        nonlocal position
        pieces.append(text)
        position += len(text)

    for child in token.children or ():
        kind = child.type
        if kind == "text":
            text = _SPACES.sub(" ", child.content)
            for cited in _CITATION.finditer(text):
                number = int(cited.group(1))
                inlines.citations.append(number)
                click = Style.from_meta({"@click": f"cite({number})"})
                spans.append(Span(position + cited.start(), position + cited.end(), click))
            add(text)
        elif kind == "hardbreak":
            add("\n")
        elif kind == "softbreak":
            add(" ")
        elif kind == "code_inline":
            spans.append(Span(position, position + len(child.content), f".{Part.CODE}"))
            add(child.content)
        elif kind in _INLINE_PARTS:
            opened.append((f".{_INLINE_PARTS[kind]}", position, -1))
        elif kind == "link_open":
            click = Style.from_meta({"@click": f"link({inlines.first_link + len(links)})"})
            opened.append((click, position, len(links)))
            links.append(Link("", str(child.attrs.get("href", ""))))
        elif kind == "image":
            alt = str(child.attrs.get("alt", ""))
            add(f"🖼  ({alt})" if alt else "🖼  ")
        elif kind.endswith("_close") and opened:
            style, start, link = opened.pop()
            spans.append(Span(start, position, style))
            if link >= 0:
                links[link] = Link("".join(pieces)[start:position], links[link].href)
    return Content("".join(pieces), spans=spans)
