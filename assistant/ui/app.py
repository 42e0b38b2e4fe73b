"""The Reflect terminal app: screens, global bindings, and the shared journal and knowledge base.

Start-up is kept light on purpose: nothing here imports chromadb, onnxruntime or openai before
the first frame. The knowledge base object is cheap to open; its first use (chromadb, the
embedding model) happens in threads. When the app is started by ``reflect``, a thread worker
checks the index after the first frame and, on the first run, builds it while the home screen
shows the progress and stays usable.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import get_current_worker

from assistant.config import ConfigError, Settings, save_setting
from assistant.journal import Journal
from assistant.ui.heap import settle_heap
from assistant.ui.safe_text import inert

if TYPE_CHECKING:
    from assistant.knowledge import KnowledgeBase

#: The screens :meth:`ReflectApp.show_screen` knows, by name, with their classes' names.
SCREEN_CLASSES = {
    "home": "HomeScreen",
    "journal": "JournalScreen",
    "insights": "InsightsScreen",
    "knowledge": "KnowledgeScreen",
    "settings": "SettingsScreen",
    "help": "HelpScreen",
}


#: Seconds between the first frame and the start of the knowledge index check.
KNOWLEDGE_START_DELAY = 0.2

#: Settings that change which knowledge store or embedding function is used.
KNOWLEDGE_SETTINGS = ("embedding", "embedding_model", "ollama_url", "chroma_url", "base_url")


class IndexProgress(Message):
    """Posted from the indexing thread: ``done`` of ``total`` files (``total`` 0 when over)."""

    def __init__(self, done: int, total: int, label: str) -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.label = label


class _IndexingStopped(Exception):
    """Raised inside the indexer's progress callback when the app is closing."""


def _reflect_commands() -> type[Provider]:
    from assistant.ui.commands import ReflectCommands

    return ReflectCommands


class ReflectApp(App[int]):
    """The whole TUI. Screens reach shared state through ``self.app``."""

    TITLE = "Reflect"
    # Absolute, so that subclasses (benchmarks, tests) elsewhere find them too. The home
    # screen's styles load with the app's: as the default screen it is never pushed, and a
    # screen's own CSS_PATH is read when it is pushed.
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        Path(__file__).with_name("app.tcss"),
        Path(__file__).with_name("home.tcss"),
    ]
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {
        *App.COMMANDS,
        _reflect_commands,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "show_screen('help')", "Help"),
    ]

    #: ``(done, total)`` files while the index is being built at start-up, else None.
    index_progress: reactive[tuple[int, int] | None] = reactive(None)

    def __init__(
        self,
        settings: Settings,
        *,
        prepare_knowledge: bool = False,
        today: date | None = None,
        show_clock: bool = True,
    ) -> None:
        """``prepare_knowledge`` checks (and on the first run builds) the index after the first
        frame; ``reflect`` turns it on. ``today`` and ``show_clock=False`` make frames
        repeatable for snapshot tests.
        """
        super().__init__()
        self.settings = settings
        self.today = today
        self.show_clock = show_clock
        #: The thread the app runs on, once mounted: journal repairs met from then on (on any
        #: thread) are shown as they happen; those made while opening, by ``on_mount``.
        self._app_thread: int | None = None
        self.journal = Journal(settings.journal_path, on_notice=self._journal_repaired)
        self._index_on_start = prepare_knowledge
        self._knowledge: KnowledgeBase | None = None
        self.sub_title = settings.mode_label
        self._apply_saved_theme()

    # --- start-up and shutdown ----------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """Home is the bottom of the stack, drawn in the very first frame."""
        from assistant.ui.home import HomeScreen

        return HomeScreen()

    def _apply_saved_theme(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme

    def watch_theme(self, theme: str) -> None:
        """Save the theme the user picks (from the palette or settings) for the next start."""
        if theme == self.settings.theme:
            return
        try:
            self.settings = save_setting(self.settings, "ui", "theme", theme)
        except (ConfigError, OSError) as exc:
            self.notify(f"The theme could not be saved: {exc}", severity="warning", markup=False)

    def on_mount(self) -> None:
        # What the journal had to say on opening: read-only, or repaired damaged pages.
        if self.journal.read_only:
            self.notify(self.journal.read_only_notice, severity="warning", markup=False, timeout=30)
        opening_notices = list(self.journal.notices)
        self._app_thread = threading.get_ident()
        for notice in opening_notices:
            self._show_journal_notice(notice)
        if self._index_on_start:
            self.call_after_refresh(self._prepare_knowledge_soon)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Textual's toast, with text that is not markup shown literally: notifications quote
        errors that name files and repeat what servers and libraries said, and Textual would
        pass an escape sequence in them to the terminal."""
        if not markup:
            message, title = inert(message), inert(title)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _journal_repaired(self, notice: str) -> None:
        """The journal repaired damaged pages it met: say so once, from whichever thread."""
        if self._app_thread is None:
            return  # still opening: ``on_mount`` shows it
        if threading.get_ident() == self._app_thread:
            self._show_journal_notice(notice)
        else:
            self.call_from_thread(self._show_journal_notice, notice)

    def _show_journal_notice(self, notice: str) -> None:
        self.notify(notice, severity="warning", markup=False, timeout=30)

    def _prepare_knowledge_soon(self) -> None:
        """Start the index check once the first frame is on the terminal.

        The check imports chromadb and onnxruntime, which holds the interpreter for a while;
        started at once it competed with the thread that writes the first frame.
        """
        self.set_timer(
            KNOWLEDGE_START_DELAY, lambda: self.prepare_knowledge(self._open_knowledge())
        )

    def on_unmount(self) -> None:
        self.journal.close()

    # --- the knowledge index ------------------------------------------------------------------

    @work(thread=True, group="knowledge", exclusive=True, exit_on_error=False)
    def prepare_knowledge(self, knowledge: KnowledgeBase) -> None:
        """Bring the index up to date, posting :class:`IndexProgress` for the home screen."""
        from assistant.knowledge import KnowledgeError

        worker = get_current_worker()
        try:
            if knowledge.is_current():
                # Load the embedding model now, so the first conversation's guidance is quick.
                knowledge.search("first question of a mentoring conversation", k=1)
                settle_heap()
                return

            def progress(done: int, total: int, label: str) -> None:
                if worker.is_cancelled:
                    raise _IndexingStopped
                self.post_message(IndexProgress(done, total, label))

            report = knowledge.ensure_index(progress=progress)
        except _IndexingStopped:
            return
        except KnowledgeError as exc:
            self.post_message(IndexProgress(0, 0, f"Guidance is not available: {exc}"))
            return
        self.post_message(IndexProgress(0, 0, f"Guidance ready. {report.summary()}"))

    def on_index_progress(self, message: IndexProgress) -> None:
        if message.total:
            self.index_progress = (message.done, message.total)
            return
        self.index_progress = None
        self.notify(message.label, title="Knowledge", markup=False)

    # --- shared state -------------------------------------------------------------------------

    def update_settings(self, settings: Settings) -> None:
        """Adopt settings saved by the settings screen (mode badge included)."""
        if self._knowledge is not None and any(
            getattr(settings, name) != getattr(self.settings, name) for name in KNOWLEDGE_SETTINGS
        ):
            self._knowledge.close()
            self._knowledge = None
        self.settings = settings
        self.sub_title = settings.mode_label
        self.refresh_bindings()

    def set_guide_mode(self, guide: bool) -> None:
        """Switch between model and guide mode for this run (not saved)."""
        if not guide and not self.settings.endpoint_configured:
            self.notify(
                "No model endpoint is configured: set OPENAI_API_KEY or OPENAI_BASE_URL "
                "(or [model] base_url in config.toml) to use model mode.",
                severity="warning",
                markup=False,
            )
            return
        self.update_settings(replace(self.settings, offline=guide))
        self.notify(f"Now in {'guide mode' if guide else 'model mode: ' + self.settings.model}.")

    async def knowledge_base(self) -> KnowledgeBase:
        """The knowledge base. Opening it is cheap; call its methods from a thread worker."""
        return self._open_knowledge()

    def _open_knowledge(self) -> KnowledgeBase:
        if self._knowledge is None:
            from assistant.knowledge import KnowledgeBase

            self._knowledge = KnowledgeBase.open(self.settings)
        return self._knowledge

    # --- navigation ---------------------------------------------------------------------------

    def action_show_screen(self, name: str) -> None:
        self.show_screen(name)

    def show_screen(self, name: str) -> None:
        """Bring up one of the named screens; "home" goes back to the start."""
        if name not in SCREEN_CLASSES:
            raise ValueError(f"unknown screen {name!r}")
        if name == "home":
            self._pop_to_home()
            return
        if type(self.screen).__name__ == SCREEN_CLASSES[name]:
            return
        self.push_screen(_make_screen(name))

    def _pop_to_home(self) -> None:
        while len(self.screen_stack) > 1 and type(self.screen).__name__ != "HomeScreen":
            self.pop_screen()

    def start_conversation(self, flow_id: str) -> None:
        from assistant.ui.conversation_screen import ConversationScreen

        self.push_screen(ConversationScreen(flow_id=flow_id))

    def resume_session(self, session_id: str) -> None:
        from assistant.ui.conversation_screen import ConversationScreen

        self.push_screen(ConversationScreen(session_id=session_id))

    def open_artifact(self, session_id: str) -> None:
        from assistant.ui.artifact_screen import ArtifactScreen

        self.push_screen(ArtifactScreen(session_id))


def _make_screen(name: str) -> Screen:
    """Screens are imported when first shown, keeping start-up light."""
    if name == "journal":
        from assistant.ui.journal_screen import JournalScreen

        return JournalScreen()
    if name == "insights":
        from assistant.ui.insights_screen import InsightsScreen

        return InsightsScreen()
    if name == "knowledge":
        from assistant.ui.knowledge_screen import KnowledgeScreen

        return KnowledgeScreen()
    if name == "settings":
        from assistant.ui.settings_screen import SettingsScreen

        return SettingsScreen()
    from assistant.ui.help_screen import HelpScreen

    return HelpScreen()


def run_app(settings: Settings) -> int:
    """Run the TUI until the user quits; the exit code for ``reflect``."""
    app = ReflectApp(settings, prepare_knowledge=True)
    result = app.run()
    return result or 0
