"""The Reflect terminal app: screens, global bindings, and the shared journal and knowledge base.

Start-up is kept light on purpose: nothing here imports chromadb, onnxruntime or openai. The
knowledge base is opened in a thread worker after the first frame; conversations await it
through :meth:`ReflectApp.knowledge_base`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.screen import Screen

from assistant.config import ConfigError, Settings, save_setting
from assistant.journal import Journal

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

    def __init__(
        self, settings: Settings, *, today: date | None = None, show_clock: bool = True
    ) -> None:
        """``today`` and ``show_clock=False`` make frames repeatable for snapshot tests."""
        super().__init__()
        self.settings = settings
        self.today = today
        self.show_clock = show_clock
        self.journal = Journal(settings.journal_path)
        self._knowledge: KnowledgeBase | None = None
        self._knowledge_lock = asyncio.Lock()
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

    def on_unmount(self) -> None:
        self.journal.close()

    # --- shared state -------------------------------------------------------------------------

    def update_settings(self, settings: Settings) -> None:
        """Adopt settings saved by the settings screen (mode badge included)."""
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
        """The knowledge base, opened once in a thread so the UI never waits on chromadb."""
        async with self._knowledge_lock:
            if self._knowledge is None:
                self._knowledge = await asyncio.to_thread(_open_knowledge_base, self.settings)
        return self._knowledge

    @property
    def knowledge_if_open(self) -> KnowledgeBase | None:
        """The knowledge base if it is already open, without waiting."""
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


def _open_knowledge_base(settings: Settings) -> KnowledgeBase:
    from assistant.knowledge import KnowledgeBase

    return KnowledgeBase(settings)


def run_app(settings: Settings) -> int:
    """Run the TUI until the user quits; the exit code for ``reflect``."""
    app = ReflectApp(settings)
    result = app.run()
    return result or 0
