"""Search results and the sources table of the knowledge screen, all text shown literally."""

from __future__ import annotations

import re

from rich.text import Text
from textual.widgets import DataTable, OptionList
from textual.widgets.option_list import Option

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


class SearchResults(OptionList):
    """Numbered passages, best first; enter or a click opens one whole."""

    DEFAULT_CSS = """
    SearchResults > .option-list--option {
        padding: 0 1 1 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._passages: list[Passage] = []

    def show(self, passages: list[Passage]) -> None:
        self._passages = list(passages)
        self.set_options(
            Option(passage_card(number, passage), id=str(number))
            for number, passage in enumerate(passages, start=1)
        )
        self.highlighted = 0 if passages else None
        self.scroll_home(animate=False)

    def passage(self, option_id: str | None) -> Passage | None:
        """The passage behind a result's option id."""
        number = int(option_id or 0)
        return self._passages[number - 1] if 1 <= number <= len(self._passages) else None


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
