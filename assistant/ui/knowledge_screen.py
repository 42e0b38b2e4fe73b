"""The knowledge screen: search the guidance as you type, see the sources, add a folder.

Search, listing and indexing all touch chromadb and the embedding model, so they run in
thread workers that hand their results (and indexing progress, file by file) back to the
screen; typing never waits.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import (
    Button,
    Footer,
    Input,
    OptionList,
    ProgressBar,
    Static,
    TabbedContent,
    TabPane,
)

from assistant.knowledge import AddReport, KnowledgeError, Passage, SourceInfo
from assistant.ui.passage_ref import PassageRef
from assistant.ui.safe_text import inert
from assistant.ui.widgets.from_thread import deliver
from assistant.ui.widgets.header import AppHeader
from assistant.ui.widgets.knowledge_results import SearchResults, SourcesTable
from assistant.ui.widgets.search_box import SearchBox

if TYPE_CHECKING:
    from assistant.knowledge import KnowledgeBase

RESULTS = 8


def add_summary(report: AddReport) -> tuple[str, list[str]]:
    """One line on what was added and indexed, and every problem, each once."""
    if report.added:
        count = len(report.added)
        summary = f"Added {count} file{'s' if count != 1 else ''}."
        if report.index is not None:
            summary += " " + report.index.summary()
    else:
        summary = "Nothing was added."
    index_problems = report.index.problems if report.index else []
    return summary, list(dict.fromkeys(report.problems + index_problems))


class KnowledgeScreen(Screen):
    """Search, sources and adding the user's own folder of notes."""

    CSS_PATH = "knowledge_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("slash", "slash", "Search"),
        Binding("ctrl+t", "switch_tab", "Search / sources"),
        Binding("ctrl+o", "add_folder", "Add a folder"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._query = ""

    def compose(self) -> ComposeResult:
        yield AppHeader("Knowledge")
        with TabbedContent(id="knowledge-tabs"):
            with TabPane("Search", id="search-tab"):
                yield SearchBox(
                    placeholder="Search the guidance: results appear as you type",
                    id="knowledge-search",
                )
                yield Static(
                    "Try: critical feedback defensive · first meeting agenda · SMART goals",
                    id="search-status",
                    markup=False,
                )
                yield SearchResults(id="results")
            with TabPane("Sources", id="sources-tab"):
                with Horizontal(id="add-row"):
                    yield Input(
                        placeholder="A folder (or file) of .md / .txt notes",
                        id="add-path",
                        select_on_focus=False,  # '/' from the table starts the path, kept
                    )
                    yield Button("Add a folder", id="add-folder", variant="primary")
                yield ProgressBar(id="index-progress", show_eta=False)
                yield Static(id="index-status", markup=False)
                yield Static(id="add-problems", markup=False)
                yield Static("Opening the knowledge base…", id="sources-summary", markup=False)
                yield SourcesTable(id="sources")
        yield Footer()

    def on_mount(self) -> None:
        for widget_id in ("#index-progress", "#index-status", "#add-problems"):
            self.query_one(widget_id).display = False
        self.query_one(SearchBox).focus()
        self.load_sources()

    # --- search -----------------------------------------------------------------------------

    @on(SearchBox.Search, "#knowledge-search")
    def search(self, event: SearchBox.Search) -> None:
        self._query = query = event.query
        if not query:
            self.workers.cancel_group(self, "knowledge-search")
            self.query_one(SearchResults).show([])
            self._set_status("#search-status", "Type a few words: a worry, a topic, a question.")
            return
        self._set_status("#search-status", f'Searching for "{query}"…')
        self.run_search(query)

    @work(thread=True, exclusive=True, group="knowledge-search")
    def run_search(self, query: str) -> None:
        knowledge = self._knowledge_from_thread()
        if knowledge is None:
            return
        try:
            passages = knowledge.search(query, k=RESULTS)
        except (KnowledgeError, OSError) as exc:
            deliver(self, self._set_status, "#search-status", f"Search failed: {exc}")
            return
        deliver(self, self.show_passages, query, passages)

    def show_passages(self, query: str, passages: list[Passage]) -> None:
        if query != self._query:
            return
        self.query_one(SearchResults).show(passages)
        found = f"{len(passages)} passages" if passages else "Nothing found"
        self._set_status("#search-status", f'{found} for "{query}", best first')

    @on(OptionList.OptionSelected, "#results")
    def _open_result(self, event: OptionList.OptionSelected) -> None:
        from assistant.ui.passage_screen import PassageScreen  # loaded when first opened

        passage = self.query_one(SearchResults).passage(event.option_id)
        if passage is not None:
            self.app.push_screen(PassageScreen(PassageRef.of(passage)))

    # --- sources ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="knowledge-sources")
    def load_sources(self) -> None:
        """Bring a stale index up to date (with progress), then list what it holds."""
        knowledge = self._knowledge_from_thread()
        if knowledge is None:
            return
        try:
            if not knowledge.is_current():
                deliver(self, self._start_progress, "Updating the index…")
                report = knowledge.ensure_index(progress=self._progress_from_thread)
                deliver(self, self._finish_progress, report.summary(), [])
        except (KnowledgeError, OSError) as exc:
            deliver(self, self._finish_progress, f"The index could not be updated: {exc}", [])
            return
        self._list_sources(knowledge)

    def _list_sources(self, knowledge: KnowledgeBase) -> None:
        """In a thread worker: read the sources and show them."""
        try:
            sources = knowledge.sources()
        except (KnowledgeError, OSError) as exc:
            deliver(self, self._set_status, "#sources-summary", f"Sources unavailable: {exc}")
            return
        deliver(self, self.show_sources, sources)

    def show_sources(self, sources: list[SourceInfo]) -> None:
        self.query_one(SourcesTable).show(sources)
        builtin = sum(1 for info in sources if info.builtin)
        chunks = sum(info.chunks for info in sources)
        self._set_status(
            "#sources-summary",
            f"{builtin} built-in files and {len(sources) - builtin} of yours; "
            f"{chunks} passages in the index",
        )

    def _knowledge_from_thread(self) -> KnowledgeBase | None:
        """The app's knowledge base (opened on first use), from a thread worker."""
        return deliver(self, self.app.knowledge_base)  # type: ignore[attr-defined]

    # --- adding a folder --------------------------------------------------------------------

    @on(Button.Pressed, "#add-folder")
    @on(Input.Submitted, "#add-path")
    def action_add_folder(self) -> None:
        self.query_one(TabbedContent).active = "sources-tab"
        path_input = self.query_one("#add-path", Input)
        path_input.focus()
        raw = path_input.value.strip()
        if not raw:
            self._set_status("#index-status", "Type the path of a folder of .md or .txt notes.")
            self.query_one("#index-status").display = True
            return
        self.query_one("#add-folder", Button).disabled = True
        self._start_progress(f"Adding {raw}…")
        self.add_folder(raw)

    @work(thread=True, exclusive=True, group="knowledge-add")
    def add_folder(self, raw: str) -> None:
        knowledge = self._knowledge_from_thread()
        if knowledge is None:
            return
        try:
            report = knowledge.add_sources([Path(raw)], progress=self._progress_from_thread)
        except (KnowledgeError, OSError) as exc:
            deliver(self, self._finish_progress, f"Not added: {exc}", [])
            return
        finally:
            deliver(self, self._enable_add)
        deliver(self, self._finish_progress, *add_summary(report))
        self._list_sources(knowledge)

    def _enable_add(self) -> None:
        self.query_one("#add-folder", Button).disabled = False

    # --- progress ---------------------------------------------------------------------------

    def _progress_from_thread(self, done: int, total: int, label: str) -> None:
        deliver(self, self._show_progress, done, total, label)

    def _start_progress(self, message: str) -> None:
        bar = self.query_one("#index-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.query_one("#add-problems").display = False
        self._set_status("#index-status", message)
        self.query_one("#index-status").display = True

    def _show_progress(self, done: int, total: int, label: str) -> None:
        self.query_one("#index-progress", ProgressBar).update(total=max(total, 1), progress=done)
        self._set_status("#index-status", f"Indexing {done} of {total}: {inert(label)}")

    def _finish_progress(self, summary: str, problems: list[str]) -> None:
        bar = self.query_one("#index-progress", ProgressBar)
        if bar.total is None:
            bar.update(total=1, progress=1)
        else:
            bar.update(progress=bar.total)
        self._set_status("#index-status", summary)
        problem_view = self.query_one("#add-problems", Static)
        problem_view.update(
            Text("\n").join(Text("⚠ " + inert(line), style="yellow") for line in problems)
        )
        problem_view.display = bool(problems)

    def _set_status(self, widget_id: str, message: str) -> None:
        self.query_one(widget_id, Static).update(inert(message))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """'/' is a key for the screen only outside the path field (paths start with it)."""
        if action == "slash":
            return not isinstance(self.focused, Input) or isinstance(self.focused, SearchBox)
        return True

    def action_switch_tab(self) -> None:
        if self.query_one(TabbedContent).active == "sources-tab":
            self.action_focus_search()
        else:
            self.query_one(TabbedContent).active = "sources-tab"
            self.query_one(SourcesTable).focus()

    def action_slash(self) -> None:
        """'/' jumps to search; on the Sources tab it starts typing a path instead."""
        if self.query_one(TabbedContent).active == "sources-tab":
            path_input = self.query_one("#add-path", Input)
            path_input.focus()
            path_input.insert_text_at_cursor("/")
        else:
            self.action_focus_search()

    def action_focus_search(self) -> None:
        self.query_one(TabbedContent).active = "search-tab"
        self.query_one(SearchBox).focus()
