"""The knowledge screen: search the guidance as you type, see the sources, add a folder.

Search, listing and indexing all touch chromadb and the embedding model, so they run in
thread workers; indexing reports progress through ``call_from_thread``. Typing never waits.
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
from textual.timer import Timer
from textual.widgets import (
    Button,
    Footer,
    Input,
    ProgressBar,
    Static,
    TabbedContent,
    TabPane,
)
from textual.worker import get_current_worker

from assistant.knowledge import AddReport, KnowledgeError, Passage, SourceInfo
from assistant.ui.safe_text import inert
from assistant.ui.widgets.header import AppHeader
from assistant.ui.widgets.knowledge_results import SearchResults, SourcesTable

if TYPE_CHECKING:
    from assistant.knowledge import KnowledgeBase

SEARCH_DELAY = 0.3
RESULTS = 8


class KnowledgeScreen(Screen):
    """Search, sources and adding the user's own folder of notes."""

    CSS_PATH = "knowledge_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("slash", "focus_search", "Search"),
        Binding("ctrl+t", "switch_tab", "Search / sources"),
        Binding("ctrl+o", "add_folder", "Add a folder"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._search_timer: Timer | None = None
        self._query = ""

    def compose(self) -> ComposeResult:
        yield AppHeader("Knowledge")
        with TabbedContent(id="knowledge-tabs"):
            with TabPane("Search", id="search-tab"):
                yield Input(
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
                    yield Input(placeholder="A folder (or file) of .md / .txt notes", id="add-path")
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
        self.query_one("#knowledge-search", Input).focus()
        self.load_sources()

    async def _knowledge(self) -> KnowledgeBase:
        return await self.app.knowledge_base()  # type: ignore[attr-defined]

    # --- search -----------------------------------------------------------------------------

    @on(Input.Changed, "#knowledge-search")
    def schedule_search(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self.start_search)

    @on(Input.Submitted, "#knowledge-search")
    async def search_now(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        await self.start_search()

    async def start_search(self) -> None:
        query = self.query_one("#knowledge-search", Input).value.strip()
        if query == self._query:
            return
        self._query = query
        if not query:
            self.workers.cancel_group(self, "knowledge-search")
            self.query_one(SearchResults).show([])
            self._set_status("#search-status", "Type a few words: a worry, a topic, a question.")
            return
        self._set_status("#search-status", f'Searching for "{query}"…')
        knowledge = await self._knowledge()
        self.run_search(knowledge, query)

    @work(thread=True, exclusive=True, group="knowledge-search")
    def run_search(self, knowledge: KnowledgeBase, query: str) -> None:
        try:
            passages = knowledge.search(query, k=RESULTS)
        except KnowledgeError as exc:
            self.app.call_from_thread(self._set_status, "#search-status", str(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_passages, query, passages)

    def show_passages(self, query: str, passages: list[Passage]) -> None:
        if query != self._query:
            return
        self.query_one(SearchResults).show(passages)
        found = f"{len(passages)} passages" if passages else "Nothing found"
        self._set_status("#search-status", f'{found} for "{query}", best first')

    # --- sources ----------------------------------------------------------------------------

    @work(exclusive=True, group="knowledge-sources")
    async def load_sources(self) -> None:
        knowledge = await self._knowledge()
        if not await self._index_in_thread(knowledge):
            return
        self.list_sources(knowledge)

    @work(thread=True, exclusive=True, group="knowledge-list")
    def list_sources(self, knowledge: KnowledgeBase) -> None:
        try:
            sources = knowledge.sources()
        except KnowledgeError as exc:
            self.app.call_from_thread(self._set_status, "#sources-summary", str(exc))
            return
        self.app.call_from_thread(self.show_sources, sources)

    def show_sources(self, sources: list[SourceInfo]) -> None:
        self.query_one(SourcesTable).show(sources)
        builtin = sum(1 for info in sources if info.builtin)
        chunks = sum(info.chunks for info in sources)
        self._set_status(
            "#sources-summary",
            f"{builtin} built-in files and {len(sources) - builtin} of yours; "
            f"{chunks} passages in the index",
        )

    async def _index_in_thread(self, knowledge: KnowledgeBase) -> bool:
        """Bring a stale index up to date, with progress; True when the index can be read."""
        worker = self.run_index(knowledge)
        await worker.wait()
        return bool(worker.result)

    @work(thread=True, exclusive=True, group="knowledge-index")
    def run_index(self, knowledge: KnowledgeBase) -> bool:
        try:
            if not knowledge.is_current():
                self.app.call_from_thread(self._start_progress, "Updating the index…")
                report = knowledge.ensure_index(progress=self._progress_from_thread)
                self.app.call_from_thread(self._finish_progress, report.summary(), [])
        except KnowledgeError as exc:
            self.app.call_from_thread(self._finish_progress, str(exc), [])
            return False
        return True

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

    @work(exclusive=True, group="knowledge-add")
    async def add_folder(self, raw: str) -> None:
        knowledge = await self._knowledge()
        worker = self.index_folder(knowledge, raw)
        report: AddReport | None = await worker.wait()
        self.query_one("#add-folder", Button).disabled = False
        if report is not None:
            self.list_sources(knowledge)

    @work(thread=True, exclusive=True, group="knowledge-add-index")
    def index_folder(self, knowledge: KnowledgeBase, raw: str) -> AddReport | None:
        try:
            report = knowledge.add_sources([Path(raw)], progress=self._progress_from_thread)
        except (KnowledgeError, OSError) as exc:
            self.app.call_from_thread(self._finish_progress, f"Not added: {exc}", [])
            return None
        if report.added:
            summary = f"Added {len(report.added)} file{'s' if len(report.added) != 1 else ''}."
            if report.index is not None:
                summary += " " + report.index.summary()
        else:
            summary = "Nothing was added."
        index_problems = report.index.problems if report.index else []
        problems = list(dict.fromkeys(report.problems + index_problems))
        self.app.call_from_thread(self._finish_progress, summary, problems)
        return report

    # --- progress ---------------------------------------------------------------------------

    def _progress_from_thread(self, done: int, total: int, label: str) -> None:
        self.app.call_from_thread(self._show_progress, done, total, label)

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

    def action_switch_tab(self) -> None:
        if self.query_one(TabbedContent).active == "sources-tab":
            self.action_focus_search()
        else:
            self.query_one(TabbedContent).active = "sources-tab"
            self.query_one(SourcesTable).focus()

    def action_focus_search(self) -> None:
        self.query_one(TabbedContent).active = "search-tab"
        self.query_one("#knowledge-search", Input).focus()
