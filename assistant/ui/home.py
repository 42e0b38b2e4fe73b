"""The home screen: the four conversations, what is open since last time, first-run indexing."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.console import Group, NewLine, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from assistant.conversation.core.catalogue import FlowEntry, flow_catalogue
from assistant.journal import ActionItem, Journal, SavedQuestion, Session
from assistant.ui.safe_text import inert
from assistant.ui.widgets.header import AppHeader

#: Shown on home for the saved questions and action items; the journal screen has the rest.
SINCE_LAST_TIME_LIMIT = 6


def flow_option(number: int, spec: FlowEntry) -> Option:
    """One conversation in the list: its key, then its title and when to use it."""
    heading = Text.assemble((f" {number}  ", "bold"), (spec.title, "bold"))
    if spec.audience == "mentor":
        heading.append("  for mentors", style="dim")
    # Padding keeps the wrapped description under the title; lighter than a table grid.
    return Option(Group(heading, Padding(Text(spec.description), (0, 0, 0, 4))), id=spec.id)


RESUME_OPTION = "resume"
#: How many recent sessions are looked through for an unfinished one.
RECENT_SESSIONS = 20


def latest_unfinished(journal: Journal) -> Session | None:
    """The most recent session still in progress, if one of the last few is."""
    for session in journal.list_sessions(limit=RECENT_SESSIONS):
        if session.status == "active":
            return session
    return None


def resume_option(session: Session) -> Option:
    """The unfinished session first in the list: its title, then what r does."""
    heading = Text.assemble((" r  ", "bold"), ("Resume ", "bold"))
    heading.append(inert(session.title) or session.flow.capitalize(), style="bold italic")
    detail = Text(f"Pick up where you left off ({session.flow})")
    return Option(Group(heading, Padding(detail, (0, 0, 0, 4))), id=RESUME_OPTION)


def flow_options(flows: list[FlowEntry]) -> list[Option | None]:
    """The conversations, numbered, with a rule between them (``None`` in an OptionList)."""
    options: list[Option | None] = []
    for number, spec in enumerate(flows, start=1):
        if options:
            options.append(None)
        options.append(flow_option(number, spec))
    return options


def action_item_line(item: ActionItem, today: date) -> Text:
    """The item's text, and under it when it is due, marked when that date has passed."""
    line = Text(inert(item.text))
    if item.due:
        due = date.fromisoformat(item.due)
        year = f" {due.year}" if due.year != today.year else ""
        line.append(f"\ndue {due:%a} {due.day} {due:%b}{year}", style="dim")
        if item.is_overdue(today):
            days = (today - due).days
            line.append(f" · {days} day{'s' if days != 1 else ''} overdue", style="bold red")
    return line


def question_line(question: SavedQuestion) -> Text:
    return Text(inert(question.text))


class SinceLastTime(Widget):
    """The open action items and the unused saved questions, each under its heading.

    One widget rather than a heading and a listing each: every widget on the home screen adds
    to the time to its first frame (these four, some 4 ms of it; benchmarks/startup.py).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"since-last-time--heading"}
    # The heading's style is in home.tcss; the widget is as tall as what it lists.
    DEFAULT_CSS = """
    SinceLastTime {
        height: auto;
    }
    """

    def __init__(self, items: RenderableType, questions: RenderableType) -> None:
        super().__init__()
        self._items = items
        self._questions = questions

    def show(self, items: RenderableType, questions: RenderableType) -> None:
        self._items = items
        self._questions = questions
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        """Built at each render, so that the headings follow a change of theme."""
        heading = self.get_component_rich_style("since-last-time--heading")
        return Group(
            Text("Open action items", style=heading),
            self._items,
            NewLine(),  # the space between the two lists
            Text("Saved questions", style=heading),
            self._questions,
        )


class HomeScreen(Screen):
    """Where every visit starts."""

    # Styled by home.tcss, which the app loads (see ReflectApp.CSS_PATH).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "start(0)", "Prepare", show=False),
        Binding("2", "start(1)", "Ask", show=False),
        Binding("3", "start(2)", "Debrief", show=False),
        Binding("4", "start(3)", "Practice", show=False),
        Binding("r", "resume", "Resume", show=False),
        Binding("j", "app.show_screen('journal')", "Journal"),
        Binding("i", "app.show_screen('insights')", "Insights"),
        Binding("k", "app.show_screen('knowledge')", "Knowledge"),
        Binding("s", "app.show_screen('settings')", "Settings"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._flows = list(flow_catalogue())
        self._unfinished: Session | None = None
        #: Until the screen is first shown: compose read the journal, and its first resume
        #: need not read it again (each reading lays the screen out anew).
        self._first_showing = True

    def compose(self) -> ComposeResult:
        self._unfinished = latest_unfinished(self.app.journal)  # type: ignore[attr-defined]
        yield AppHeader()
        with Horizontal(id="home-body"):
            with Vertical(id="conversations"):
                yield OptionList(*self._conversation_options(), id="flow-list")
                yield Static(
                    "1–4 or enter to start · ctrl+p commands",
                    id="home-hint",
                )
            with VerticalScroll(id="since-last-time"):
                yield SinceLastTime(*self._since_last_time())
        yield Horizontal(id="index-progress")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#conversations").border_title = "Conversations"
        self.query_one("#since-last-time").border_title = "Since last time"
        self.watch(self.app, "index_progress", self._show_index_progress)

    def _show_index_progress(self, progress: tuple[int, int] | None) -> None:
        """The first-run index build: a bar that never blocks the rest of the screen.

        The bar is made (and its module imported) when a build starts, so an ordinary start
        does not pay for it.
        """
        box = self.query_one("#index-progress")
        box.display = progress is not None
        if progress is None:
            return
        from textual.widgets import ProgressBar

        if not box.children:
            box.mount(
                Static("Preparing the guidance for first use", id="index-label"),
                ProgressBar(id="index-bar", show_eta=False),
            )
            self.call_after_refresh(self._show_index_progress, progress)
            return
        done, total = progress
        self.query_one("#index-bar", ProgressBar).update(total=total, progress=done)

    def on_screen_resume(self) -> None:
        """Back from another screen, which may have changed the journal."""
        if self._first_showing:
            self._first_showing = False
            return
        self.refresh_since_last_time()

    def refresh_since_last_time(self) -> None:
        """Re-read the unfinished session, open action items and unused saved questions."""
        unfinished = latest_unfinished(self.app.journal)  # type: ignore[attr-defined]
        if unfinished != self._unfinished:
            self._unfinished = unfinished
            listing = self.query_one("#flow-list", OptionList)
            listing.set_options(self._conversation_options())
            listing.highlighted = 0
        self.query_one(SinceLastTime).show(*self._since_last_time())

    def _conversation_options(self) -> list[Option | None]:
        """The unfinished session, if any, heads the list of conversations (r picks it up)."""
        head: list[Option | None] = []
        if self._unfinished is not None:
            head = [resume_option(self._unfinished), None]
        return [*head, *flow_options(self._flows)]

    def _since_last_time(self) -> tuple[RenderableType, RenderableType]:
        """The open action items and the unused saved questions, listed."""
        journal = self.app.journal  # type: ignore[attr-defined]
        today = self.app.today or date.today()  # type: ignore[attr-defined]
        items = _listing(
            [action_item_line(item, today) for item in journal.action_items("open")],
            bullet="•",
            empty="Nothing open. A debrief turns what you agree to try into action items.",
        )
        questions = _listing(
            [question_line(question) for question in journal.unused_questions()],
            bullet="?",
            empty="None saved. The ask conversation keeps questions for your next agenda.",
        )
        return items, questions

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == RESUME_OPTION:
            self.action_resume()
        elif event.option.id:
            self.app.start_conversation(event.option.id)  # type: ignore[attr-defined]

    def action_resume(self) -> None:
        if self._unfinished is not None:
            self.app.resume_session(self._unfinished.id)  # type: ignore[attr-defined]

    def action_start(self, index: int) -> None:
        if index < len(self._flows):
            self.app.start_conversation(self._flows[index].id)  # type: ignore[attr-defined]


def _listing(lines: list[Text], *, bullet: str, empty: str) -> RenderableType:
    """Up to :data:`SINCE_LAST_TIME_LIMIT` entries, each with a hanging indent."""
    if not lines:
        return Text(empty, style="dim italic")
    table = Table.grid(padding=(0, 1))
    table.add_column(width=1)
    table.add_column(ratio=1)
    for line in lines[:SINCE_LAST_TIME_LIMIT]:
        table.add_row(bullet, line)
    hidden = len(lines) - SINCE_LAST_TIME_LIMIT
    if hidden > 0:
        table.add_row("", Text(f"… and {hidden} more (j: journal)", "dim"))
    return table
