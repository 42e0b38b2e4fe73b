"""Search results and the sources table of the knowledge screen, all text shown literally."""

from __future__ import annotations

import re

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from assistant.knowledge import Passage, SourceInfo
from assistant.ui.safe_text import inert

EXCERPT_CHARS = 320


MARKDOWN_MARKS = re.compile(r"^#{1,6}\s+|\*\*|__|`", flags=re.MULTILINE)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The passage as plain prose on one line (heading marks and emphasis dropped), cut at a
    word near ``limit``."""
    flat = " ".join(MARKDOWN_MARKS.sub("", inert(text)).split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"


def passage_card(number: int, passage: Passage) -> Text:
    card = Text()
    card.append(f"{number}. ", style="bold")
    card.append(inert(passage.title), style="bold")
    heading = passage.heading.removeprefix(f"{passage.title} > ")
    if heading and heading != passage.title:
        card.append(" · ")
        card.append(inert(heading), style="italic")
    card.append("\n")
    card.append(inert(passage.source), style="dim")
    if passage.topics:
        card.append(" · " + ", ".join(passage.topics), style="dim")
    card.append("\n")
    card.append(excerpt(passage.text))
    return card


class SearchResults(VerticalScroll):
    """Numbered passages, best first."""

    DEFAULT_CSS = """
    SearchResults > .passage {
        margin: 0 0 1 0;
        padding: 0 1;
        border-left: outer $primary;
    }
    """

    def show(self, passages: list[Passage]) -> None:
        self.remove_children()
        self.mount_all(
            Static(passage_card(number, passage), classes="passage", markup=False)
            for number, passage in enumerate(passages, start=1)
        )
        self.scroll_home(animate=False)


class SourcesTable(DataTable[Text]):
    """Every indexed file: built-in ones first, then the user's."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def show(self, sources: list[SourceInfo]) -> None:
        self.clear(columns=True)
        self.add_column("From", key="kind", width=8)
        self.add_column("Chunks", key="chunks", width=6)
        self.add_column("Source", key="source")
        self.add_column("Title", key="title")
        for info in sources:
            self.add_row(
                Text("built-in", style="dim") if info.builtin else Text("yours", style="bold"),
                Text(str(info.chunks), justify="right"),
                Text(inert(info.source)),
                Text(inert(info.title)),
                key=info.source,
            )
