"""The journal: every session (paged, searchable), one session's read view, and action items.

The session list loads a page at a time, so a journal of thousands of sessions opens as fast
as an empty one; turns are read only for the session the user opens. Search uses the journal's
full-text index and runs in a thread worker, so typing never waits on it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import (
    Footer,
    Input,
    Label,
    Markdown,
    Static,
    Switch,
    TabbedContent,
    TabPane,
)

from assistant.journal import Journal, SearchHit, Session
from assistant.ui.safe_text import inert
from assistant.ui.widgets.from_thread import deliver
from assistant.ui.widgets.header import AppHeader
from assistant.ui.widgets.journal_confirm import ConfirmModal
from assistant.ui.widgets.journal_tables import (
    UNFINISHED,
    ActionTable,
    SessionTable,
    status_label,
    when,
)
from assistant.ui.widgets.journal_transcript import Transcript
from assistant.ui.widgets.search_box import SearchBox

#: Sessions read at a time: a screenful and more, so the first frame comes quickly.
PAGE_SIZE = 60
SEARCH_LIMIT = 200


def describe(session: Session) -> str:
    """One line naming a session, for questions and notifications."""
    title = inert(session.title) or "untitled"
    return f"{session.flow.capitalize()} · {title} · {when(session.created_at)}"


def _journal(screen: Screen) -> Journal:
    return screen.app.journal  # type: ignore[attr-defined]


def ask_to_delete(screen: Screen, session_id: str, deleted: Callable[[Session], object]) -> None:
    """Ask first; on yes, delete the session and call ``deleted`` with it."""
    session = _journal(screen).get_session(session_id)
    if session is None:
        return

    def answered(confirmed: bool | None) -> None:
        if confirmed:
            _journal(screen).delete_session(session.id)
            screen.notify(f"Deleted: {describe(session)}", markup=False)
            deleted(session)

    question = ConfirmModal(
        f"Delete this session, its transcript and its artifact?\n\n{describe(session)}\n\n"
        "Its action items stay on your list. This cannot be undone.",
        "Delete",
    )
    screen.app.push_screen(question, answered)


def action_widgets() -> list[Widget]:
    """The action items tab: open count, the done/dropped switch, the table."""
    return [
        Horizontal(
            Static(id="actions-status", markup=False),
            Label("Show done and dropped (h)", id="closed-label"),
            Switch(value=False, id="show-closed"),
            id="actions-bar",
        ),
        ActionTable(id="actions"),
        Static(
            "No action items. A debrief turns what you agree to try into action items, "
            "with due dates if you give them; tick them off here.",
            id="actions-empty",
            markup=False,
        ),
    ]


class JournalScreen(Screen):
    """Sessions and action items; overdue items are marked against ``app.today``."""

    CSS_PATH = "journal_screen.tcss"
    AUTO_FOCUS = "#sessions"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("slash", "focus_search", "Search"),
        Binding("s", "show_tab('sessions-tab')", "Sessions", show=False),
        Binding("a", "show_tab('actions-tab')", "Action items", show=False),
        Binding("h", "toggle_closed", "Show done/dropped", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._opened = False
        self._loaded = 0
        self._total = 0
        self._query = ""

    @property
    def today(self) -> date:
        """The app's fixed day (for repeatable tests), or the real one."""
        return self.app.today or date.today()  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield AppHeader("Journal")
        with TabbedContent(id="journal-tabs"):
            with TabPane("Sessions", id="sessions-tab"):
                yield SearchBox(
                    placeholder="Search every session (/ to focus, Esc to clear)",
                    id="journal-search",
                )
                yield Static(id="sessions-status", markup=False)
                yield SessionTable(id="sessions")
                yield Static(
                    "No sessions yet. Start a conversation from the home screen (prepare, ask, "
                    "debrief or practice): every session appears here with its transcript and "
                    "what it produced.",
                    id="sessions-empty",
                    markup=False,
                )
            yield TabPane("Action items", id="actions-tab")
        yield Footer()

    def on_screen_resume(self) -> None:
        """Shown for the first time, or again after a session was read, resumed or deleted."""
        if not self._opened:
            self._opened = True
            self.load_first_page()
        elif not self._query:
            self.reload_sessions()
        if self.query(ActionTable):
            self.refresh_actions()

    @on(TabbedContent.TabActivated, "#journal-tabs")
    async def tab_shown(self, event: TabbedContent.TabActivated) -> None:
        """Action items are built and read when their tab is first shown, so that the session
        list, which most visits are for, opens first."""
        if event.pane.id != "actions-tab":
            return
        if not self.query(ActionTable):
            await event.pane.mount_all(action_widgets())
        self.refresh_actions()
        self.query_one(ActionTable).focus()

    # --- sessions ---------------------------------------------------------------------------

    def load_first_page(self) -> None:
        journal = _journal(self)
        self._total = journal.count_sessions()
        sessions = journal.list_sessions(limit=PAGE_SIZE)
        self._loaded = len(sessions)
        self.query_one(SessionTable).show_sessions(sessions)
        self._show_list_state()

    def reload_sessions(self) -> None:
        """Re-read the rows already loaded (after a delete or a resumed session), keeping place."""
        table = self.query_one(SessionTable)
        keep_row = table.cursor_row
        journal = _journal(self)
        self._total = journal.count_sessions()
        sessions = journal.list_sessions(limit=max(self._loaded, PAGE_SIZE))
        self._loaded = len(sessions)
        table.show_sessions(sessions)
        if sessions:
            table.move_cursor(row=min(keep_row, len(sessions) - 1), animate=False)
        self._show_list_state()

    @on(SessionTable.NearEnd)
    def load_next_page(self) -> None:
        if self._query or self._loaded >= self._total or not self.query_one(SessionTable).near_end:
            return
        sessions = _journal(self).list_sessions(limit=PAGE_SIZE, offset=self._loaded)
        self._loaded += len(sessions)
        self.query_one(SessionTable).add_sessions(sessions)

    def _show_list_state(self) -> None:
        empty = self._total == 0
        self.query_one("#sessions-empty").display = empty
        self.query_one(SessionTable).display = not empty
        plural = "" if self._total == 1 else "s"
        self.query_one("#sessions-status", Static).update(
            f"{self._total:,} session{plural}, newest first · Enter opens one"
        )

    @on(SearchBox.Search, "#journal-search")
    def search(self, event: SearchBox.Search) -> None:
        self._query = event.query
        if not event.query:
            self.workers.cancel_group(self, "journal-search")
            self.load_first_page()
            return
        self.run_search(event.query)

    @on(Input.Submitted, "#journal-search")
    def focus_results(self) -> None:
        self.query_one(SessionTable).focus()

    @work(thread=True, exclusive=True, group="journal-search")
    def run_search(self, query: str) -> None:
        deliver(self, self.show_hits, query, _journal(self).search(query, limit=SEARCH_LIMIT))

    def show_hits(self, query: str, hits: list[SearchHit]) -> None:
        if query != self._query:
            return
        self.query_one(SessionTable).show_hits(hits)
        self.query_one("#sessions-empty").display = False
        self.query_one(SessionTable).display = True
        plural = "" if len(hits) == 1 else "s"
        found = f"{len(hits)} session{plural} mention" if hits else "No session mentions"
        self.query_one("#sessions-status", Static).update(f'{found} "{query}" · Esc clears')

    @on(SessionTable.RowSelected)
    def open_session(self, event: SessionTable.RowSelected) -> None:
        session_id = str(event.row_key.value)
        if _journal(self).get_session(session_id) is not None:
            self.app.push_screen(SessionScreen(session_id))

    @on(SessionTable.ResumeRequested)
    def resume_session(self, event: SessionTable.ResumeRequested) -> None:
        session = _journal(self).get_session(event.session_id)
        if session is None:
            return
        if session.status != UNFINISHED:
            self.notify("That session is finished: Enter opens it to read.", markup=False)
            return
        self.app.resume_session(session.id)  # type: ignore[attr-defined]

    @on(SessionTable.DeleteRequested)
    def delete_session(self, event: SessionTable.DeleteRequested) -> None:
        ask_to_delete(self, event.session_id, self._forget)

    def _forget(self, session: Session) -> None:
        self.query_one(SessionTable).remove_row(session.id)
        if not self._query:
            self._total -= 1
            self._loaded -= 1
            self._show_list_state()

    # --- action items -----------------------------------------------------------------------

    def refresh_actions(self) -> None:
        journal = _journal(self)
        show_closed = self.query_one("#show-closed", Switch).value
        items = journal.action_items(status=None if show_closed else "open")
        sessions = journal.sessions_by_id(item.session_id for item in items if item.session_id)
        origins = {
            session_id: f"{session.flow.capitalize()} {when(session.created_at)[:10]}"
            for session_id, session in sessions.items()
        }
        self.query_one(ActionTable).show_items(items, origins, self.today)
        open_items = [item for item in items if item.status == "open"]
        overdue = sum(item.is_overdue(self.today) for item in open_items)
        status = f"{len(open_items)} open"
        if overdue:
            status += f" · {overdue} overdue"
        self.query_one("#actions-status", Static).update(status)
        self.query_one("#actions-empty").display = not items
        self.query_one(ActionTable).display = bool(items)

    @on(Switch.Changed, "#show-closed")
    def show_closed_changed(self) -> None:
        self.refresh_actions()

    @on(ActionTable.StatusChangeRequested)
    def change_action_status(self, event: ActionTable.StatusChangeRequested) -> None:
        journal = _journal(self)
        journal.set_action_status(event.item_id, event.status)
        item = journal.get_action_item(event.item_id)
        self.refresh_actions()
        if item is not None:
            verb = {"done": "Done", "dropped": "Dropped", "open": "Open again"}[event.status]
            self.notify(f"{verb}: {item.text}", markup=False)

    # --- actions ----------------------------------------------------------------------------

    def action_back(self) -> None:
        search = self.query_one(SearchBox)
        if search.value:
            search.clear_search()
            self.query_one(SessionTable).focus()
            return
        self.app.pop_screen()

    def action_focus_search(self) -> None:
        self.query_one(TabbedContent).active = "sessions-tab"
        self.query_one(SearchBox).focus()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        if tab == "sessions-tab":
            self.query_one(SessionTable).focus()

    def action_toggle_closed(self) -> None:
        for switch in self.query("#show-closed").results(Switch):
            switch.value = not switch.value


class SessionScreen(Screen):
    """One session, read-only: its transcript and artifact, with resume and delete."""

    CSS_PATH = "journal_screen.tcss"
    AUTO_FOCUS = "#transcript"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("t", "switch_tab", "Transcript / artifact"),
        Binding("r", "resume", "Resume"),
        Binding("e", "open_artifact", "Edit / export artifact"),
        Binding("d", "delete", "Delete"),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id

    def compose(self) -> ComposeResult:
        journal = _journal(self)
        session = journal.get_session(self.session_id)
        assert session is not None
        artifact = journal.artifact(session.id)
        yield AppHeader(inert(session.title) or f"{session.flow.capitalize()} session")
        with Vertical(id="session-view"):
            yield Static(self._summary(session), id="session-summary", markup=False)
            with TabbedContent(id="session-tabs"):
                with TabPane("Transcript", id="transcript-tab"):
                    yield Transcript(journal.turns(session.id), id="transcript")
                with TabPane("Artifact", id="artifact-tab"):
                    if artifact is None:
                        yield Static(
                            "No artifact yet: it is made when the conversation finishes."
                            + (" Press r to resume it." if session.status == UNFINISHED else ""),
                            classes="artifact-missing",
                            markup=False,
                        )
                    else:
                        yield Markdown(artifact.markdown, id="artifact")
        yield Footer()

    def _summary(self, session: Session) -> str:
        return (
            f"{session.flow.capitalize()} · {when(session.created_at)} · {status_label(session)} · "
            f"{session.mode} mode"
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        journal = _journal(self)
        if action == "resume":
            session = journal.get_session(self.session_id)
            return session is not None and session.status == UNFINISHED
        if action == "open_artifact":
            return journal.artifact(self.session_id) is not None
        return True

    def action_switch_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "artifact-tab" if tabs.active == "transcript-tab" else "transcript-tab"

    def action_resume(self) -> None:
        self.app.pop_screen()
        self.app.resume_session(self.session_id)  # type: ignore[attr-defined]

    def action_open_artifact(self) -> None:
        self.app.open_artifact(self.session_id)  # type: ignore[attr-defined]

    def action_delete(self) -> None:
        ask_to_delete(self, self.session_id, lambda _session: self.app.pop_screen())
