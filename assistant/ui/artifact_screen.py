"""The artifact screen: read, edit, export, copy, and the short brief for a mentor."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Markdown, Static, TextArea

from assistant.conversation.guide.brief import mentor_brief
from assistant.journal import Artifact, Session
from assistant.private_files import write_private_text
from assistant.ui.safe_text import inert
from assistant.ui.widgets.header import AppHeader

if TYPE_CHECKING:
    from assistant.ui.app import ReflectApp

VIEWS = ("full", "brief", "edit")


def export_path(exports_dir: Path, session: Session, *, brief: bool) -> Path:
    """``exports/2025-05-06-prepare-agenda-for-the-meeting-with-sam-1a2b3c4d.md``"""
    slug = re.sub(r"[^a-z0-9]+", "-", session.title.casefold()).strip("-")[:48] or session.flow
    suffix = "-brief" if brief else ""
    return exports_dir / f"{session.created_at[:10]}-{session.flow}-{slug}-{session.id}{suffix}.md"


class ArtifactScreen(Screen):
    """One session's artifact. Edits are saved back to the journal with ctrl+s."""

    CSS_PATH = "artifact.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("e", "edit", "Edit"),
        Binding("b", "toggle_brief", "Brief"),
        Binding("x", "export", "Export"),
        Binding("c", "copy", "Copy"),
        Binding("ctrl+s", "save", "Save", show=False),
    ]

    #: No watcher call for the initial value: the switcher starts on "full" by itself, and a
    #: first read (the footer asking check_action) can come before its views are mounted.
    view: reactive[str] = reactive("full", init=False)

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self._session_id = session_id
        self._artifact: Artifact | None = None
        self._session: Session | None = None

    @property
    def reflect(self) -> ReflectApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        journal = self.reflect.journal
        self._session = journal.get_session(self._session_id)
        self._artifact = journal.artifact(self._session_id)
        title = self._artifact.title if self._artifact else "No artifact"
        yield AppHeader(inert(title))
        yield Static(id="artifact-status", markup=False)
        with ContentSwitcher(initial="full", id="artifact-views"):
            with VerticalScroll(id="full"):
                yield Markdown(self._markdown, id="full-markdown")
            with VerticalScroll(id="brief"):
                yield Markdown(id="brief-markdown")
            yield TextArea(id="edit", soft_wrap=True, show_line_numbers=False)
        yield Footer()

    @property
    def _markdown(self) -> str:
        if self._artifact is None:
            return "This session has no artifact yet. Finish the conversation to make one."
        return inert(self._artifact.markdown)

    @property
    def _brief(self) -> str:
        if self._artifact is None or self._session is None:
            return ""
        return mentor_brief(self._session.flow, self._markdown)

    def on_mount(self) -> None:
        self._status("Saved in your journal.")
        self.query_one("#full").focus()

    def _status(self, text: str) -> None:
        self.query_one("#artifact-status", Static).update(text)

    def watch_view(self, view: str) -> None:
        self.query_one(ContentSwitcher).current = view
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While editing, only saving and leaving the editor apply."""
        if self._artifact is None and action in ("edit", "toggle_brief", "export", "copy"):
            return False
        if self.view == "edit":
            return action in ("save", "back")
        return action != "save"

    # --- actions ------------------------------------------------------------------------------

    def action_back(self) -> None:
        if self.view == "edit":
            self.view = "full"
            self._status("Edit cancelled; nothing changed.")
            self.query_one("#full").focus()
            return
        self.app.pop_screen()

    def action_edit(self) -> None:
        editor = self.query_one("#edit", TextArea)
        editor.load_text(self._markdown)
        self.view = "edit"
        editor.focus()
        self._status("Editing the Markdown · ctrl+s saves to the journal · esc cancels")

    async def action_save(self) -> None:
        assert self._artifact is not None
        text = self.query_one("#edit", TextArea).text
        self._artifact = self.reflect.journal.save_artifact(
            self._session_id, self._artifact.title, self._artifact.data, text
        )
        await self.query_one("#full-markdown", Markdown).update(self._markdown)
        self.view = "full"
        self.query_one("#full").focus()
        self._status("Your edits are saved in the journal.")

    async def action_toggle_brief(self) -> None:
        if self.view == "brief":
            self.view = "full"
            self._status("The full version. b shows the short brief for your mentor.")
            return
        await self.query_one("#brief-markdown", Markdown).update(self._brief)
        self.view = "brief"
        self._status("The short brief for your mentor · c copies it · x exports it")

    def action_export(self) -> None:
        assert self._session is not None
        brief = self.view == "brief"
        path = export_path(self.reflect.settings.exports_dir, self._session, brief=brief)
        try:
            write_private_text(path, self._brief if brief else self._markdown)
        except OSError as exc:
            self.notify(f"Could not export: {exc}", severity="error", markup=False)
            return
        self._status(f"Exported to {path}")
        self.notify(f"Exported to {path}", title="Export", markup=False)

    def action_copy(self) -> None:
        brief = self.view == "brief"
        self.app.copy_to_clipboard(self._brief if brief else self._markdown)
        what = "The brief" if brief else "The full version"
        self._status(f"{what} is on the clipboard (in terminals that allow copying).")
