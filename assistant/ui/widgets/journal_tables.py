"""The journal screen's two tables: sessions (loaded a page at a time) and action items.

Both take journal records down and post messages up; the journal screen does the writing.
Every cell is a ``rich.text.Text``, so titles and item text are never read as markup.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable

from assistant.insights import local_date
from assistant.journal import ActionItem, SearchHit, Session
from assistant.session_status import status_word
from assistant.ui.safe_text import inert

#: Rows from the bottom at which the session table asks for the next page.
NEAR_END_ROWS = 20
UNFINISHED = "active"
#: Below this terminal width the session table is laid out compact.
COMPACT_WIDTH = 80


#: Columns the action table needs beside the item text for the tick, the due date, the
#: cell padding, the margins and the scrollbar.
DUE_ROOM = 32


def is_compact(table: DataTable[Text]) -> bool:
    """On a narrow terminal the tables shorten their fixed columns (dates without the time,
    short headers), so titles and due dates keep room to be read."""
    return table.app.size.width < COMPACT_WIDTH


def when(stamp: str) -> str:
    """A stored UTC timestamp as the user's local date and time."""
    return f"{datetime.fromisoformat(stamp).astimezone():%Y-%m-%d %H:%M}"


def status_label(session: Session) -> str:
    return status_word(session.status)


def status_cell(session: Session) -> Text:
    style = "bold yellow" if session.status == UNFINISHED else "dim"
    return Text(status_label(session), style=style)


def title_cell(session: Session) -> Text:
    return Text(inert(session.title) or "(untitled)", style="" if session.title else "dim italic")


def cursor_key(table: DataTable[Text]) -> str | None:
    """The key of the row under the cursor, if there are rows."""
    if not table.row_count:
        return None
    return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)


class SessionTable(DataTable[Text]):
    """Sessions, newest first; posts :class:`NearEnd` when the view nears the last loaded row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open"),
        Binding("r", "resume", "Resume"),
        Binding("d,delete", "delete", "Delete"),
    ]

    class NearEnd(Message):
        """More rows are wanted: the user scrolled or moved the cursor close to the end."""

    class ResumeRequested(Message):
        def __init__(self, session_id: str) -> None:
            super().__init__()
            self.session_id = session_id

    class DeleteRequested(Message):
        def __init__(self, session_id: str) -> None:
            super().__init__()
            self.session_id = session_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def show_sessions(self, sessions: list[Session]) -> None:
        """Replace the rows with a list of sessions (the first page)."""
        self.clear(columns=True)
        compact = is_compact(self)
        self.add_column("Date", key="date", width=10 if compact else 16)
        flow_header = "Flow" if compact else "Conversation"
        self.add_column(flow_header, key="flow", width=8 if compact else 12)
        self.add_column("Status", key="status", width=10)
        self.add_column("Title", key="title")
        self.add_sessions(sessions)

    def add_sessions(self, sessions: list[Session]) -> None:
        compact = is_compact(self)
        for session in sessions:
            stamp = when(session.created_at)
            self.add_row(
                Text(stamp[:10] if compact else stamp),
                Text(session.flow.capitalize()),
                status_cell(session),
                title_cell(session),
                key=session.id,
            )

    def show_hits(self, hits: list[SearchHit]) -> None:
        """Replace the rows with search results: each session and the words that matched."""
        self.clear(columns=True)
        self.add_column("Date", key="date", width=16)
        self.add_column("Conversation", key="flow", width=12)
        self.add_column("Title", key="title")
        self.add_column("Match", key="match")
        for hit in hits:
            self.add_row(
                Text(when(hit.session.created_at)),
                Text(hit.session.flow.capitalize()),
                title_cell(hit.session),
                Text(" ".join(inert(hit.snippet).split()), style="italic"),
                key=hit.session.id,
            )

    @property
    def current_session_id(self) -> str | None:
        return cursor_key(self)

    def action_resume(self) -> None:
        if session_id := self.current_session_id:
            self.post_message(self.ResumeRequested(session_id))

    def action_delete(self) -> None:
        if session_id := self.current_session_id:
            self.post_message(self.DeleteRequested(session_id))

    @property
    def near_end(self) -> bool:
        """True when the cursor or the bottom of the view is close to the last loaded row."""
        last_visible = self.scroll_y + self.scrollable_content_region.height
        threshold = self.row_count - NEAR_END_ROWS
        return self.row_count > 0 and (self.cursor_row >= threshold or last_visible >= threshold)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.near_end:
            self.post_message(self.NearEnd())

    def watch_cursor_coordinate(self, old_value: Coordinate, new_value: Coordinate) -> None:
        super().watch_cursor_coordinate(old_value, new_value)
        if self.near_end:
            self.post_message(self.NearEnd())


class ActionTable(DataTable[Text]):
    """Action items with a tick column; space ticks one done (or opens it again), x drops it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "toggle_done", "Done / not done"),
        Binding("x", "drop", "Drop"),
    ]

    class StatusChangeRequested(Message):
        def __init__(self, item_id: str, status: str) -> None:
            super().__init__()
            self.item_id = item_id
            self.status = status

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._items: dict[str, ActionItem] = {}

    def show_items(self, items: list[ActionItem], origins: dict[str, str], today: date) -> None:
        """Show ``items``; ``origins`` names the session each came from, by session id."""
        keep = self.current_item_id
        self.clear(columns=True)
        self.add_column(" ", key="tick", width=1)
        # Narrow, the item text is cut so its due date stays in view.
        text_width = max(12, self.app.size.width - DUE_ROOM) if is_compact(self) else None
        self.add_column("Action item", key="text", width=text_width)
        self.add_column("Due", key="due", width=18)
        self.add_column("From", key="origin", width=24)
        self._items = {item.id: item for item in items}
        for item in items:
            closed = item.status != "open"
            self.add_row(
                Text(TICKS[item.status], style="bold green" if item.status == "done" else ""),
                Text(inert(item.text), style="dim strike" if closed else ""),
                due_cell(item, today),
                Text(origins.get(item.session_id or "", ""), style="dim"),
                key=item.id,
            )
        if keep in self._items:
            self.move_cursor(row=self.get_row_index(keep))

    @property
    def current_item_id(self) -> str | None:
        return cursor_key(self)

    def action_toggle_done(self) -> None:
        if (item_id := self.current_item_id) is not None:
            status = "open" if self._items[item_id].status != "open" else "done"
            self.post_message(self.StatusChangeRequested(item_id, status))

    def action_drop(self) -> None:
        if (item_id := self.current_item_id) is not None and self._items[item_id].status == "open":
            self.post_message(self.StatusChangeRequested(item_id, "dropped"))


TICKS = {"open": "☐", "done": "✔", "dropped": "✗"}


def due_cell(item: ActionItem, today: date) -> Text:
    if item.status != "open":
        closed = f"{item.status} {local_date(item.closed_at):%Y-%m-%d}" if item.closed_at else ""
        return Text(closed, style="dim")
    if not item.due:
        return Text("—", style="dim")
    if item.is_overdue(today):
        return Text(f"{item.due} overdue", style="bold red")
    return Text(item.due)
