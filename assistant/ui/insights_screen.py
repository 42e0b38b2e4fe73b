"""Insights: what keeps coming back across debriefs, and how sessions and action items trend.

Each theme shows its name, a sparkline of its sessions per week or month (textual's
Sparkline) and its sessions, which open as the journal opens them. The figures come from
:mod:`assistant.insights`, gathered in a thread worker (embedding new sentences can take a few
seconds) so a large journal never holds up the screen; the screen recomposes when they arrive.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, LoadingIndicator, OptionList, Sparkline, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from assistant.insights.gather import (
    Insights,
    ThemesState,
    ThemeTrend,
    add_themes,
    gather_trends,
    vector_cache_path,
)
from assistant.insights.periods import Period, local_date
from assistant.insights.units import SessionRef
from assistant.insights.vectors import VectorCache
from assistant.ui.journal_screen import SessionScreen
from assistant.ui.safe_text import inert
from assistant.ui.widgets.from_thread import deliver
from assistant.ui.widgets.header import AppHeader
from assistant.ui.widgets.insights_charts import bar_rows, period_axis, trend_line

if TYPE_CHECKING:
    from assistant.ui.app import ReflectApp

EMPTY_EXPLANATION = """\
Nothing to show yet: insights grow out of your journal.

• Themes that keep coming back: what you talk about in two or more debriefs (or meeting \
agendas), named in your own words, with those sessions and when they came up.
• Sessions per week, for the last twelve weeks.
• Action items done, dropped and still open, week by week.

Debrief your next mentoring meeting (3 on the home screen) and check back here after a few."""


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def short_date(day: date) -> str:
    return f"{day.day} {day:%b}"


def themes_note(insights: Insights) -> str:
    """Why no theme is listed, in a sentence or two."""
    count = insights.theme_session_count
    if insights.themes_state == ThemesState.PENDING:
        return "Looking for what keeps coming back in your debriefs…"
    if insights.themes_state == ThemesState.MODEL_UNAVAILABLE:
        return (
            "Themes need the local embedding model, which cannot run here: "
            f"{insights.model_problem}"
        )
    if insights.themes_state == ThemesState.NONE_RECURRING:
        return (
            f"Nothing has come up in two sessions yet ({plural(count, 'session')} compared). "
            "A subject you come back to shows here, with its sessions."
        )
    return (
        f"Themes show once two or more debriefs talk about the same thing: "
        f"{plural(count, 'session')} so far. Each theme is named in your words, lists its "
        "sessions and shows when it came up."
    )


def session_option(ref: SessionRef) -> Option:
    prompt = Text(f"{short_date(local_date(ref.created_at)):>6}  ", style="dim")
    prompt.append(inert(ref.title) or f"{ref.flow.capitalize()} session")
    return Option(prompt, id=ref.id)


def theme_block(number: int, trend: ThemeTrend) -> Vertical:
    """The theme's name and sparkline on one line, its sessions below (enter opens one)."""
    theme = trend.theme
    heading = Text(inert(theme.label), style="bold")
    heading.append(f"  {plural(theme.session_count, 'session')}", style="dim")
    return Vertical(
        Horizontal(
            Static(heading, classes="theme-label", markup=False),
            Sparkline(trend.per_period, classes="theme-spark"),
            classes="theme-heading",
        ),
        OptionList(
            *(session_option(ref) for ref in theme.sessions),
            id=f"theme-{number}-sessions",
            classes="theme-sessions",
        ),
        classes="theme",
    )


class InsightsScreen(Screen):
    """Themes, sessions per week and action items over time, up to ``app.today``."""

    CSS_PATH = "insights_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("m", "toggle_period", "Weeks / months"),
        Binding("r", "refresh_insights", "Refresh"),
    ]

    insights: reactive[Insights | None] = reactive(None, recompose=True)
    period: reactive[Period] = reactive("week")

    def __init__(self) -> None:
        super().__init__()
        #: The theme list and the row of the session last opened, to come back to.
        self._opened: tuple[str, int] | None = None

    @property
    def reflect(self) -> ReflectApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield AppHeader("Insights")
        insights = self.insights
        if insights is None:
            yield LoadingIndicator(id="insights-loading")
        elif insights.is_empty:
            yield Static(EMPTY_EXPLANATION, id="insights-empty", markup=False)
        else:
            with VerticalScroll(id="insights-body"):
                yield self._themes(insights)
                yield self._trends(insights)
                yield self._action_totals(insights)
        yield Footer()

    def on_screen_resume(self) -> None:
        """Shown for the first time or again: the journal may have changed meanwhile."""
        self.load_insights()

    @work(thread=True, exclusive=True, group="insights")
    def load_insights(self) -> None:
        app = self.reflect
        trends = gather_trends(app.journal, today=app.today, period=self.period)
        shown = self.insights
        if shown is None or shown.period != trends.period or trends.is_empty:
            # Nothing like it on screen yet: the trends now, the themes when found. (Back
            # from a session, the screen keeps what it shows until the update is ready.)
            deliver(self, self._show, trends)
        if get_current_worker().is_cancelled or trends.is_empty:
            return
        cache = VectorCache(vector_cache_path(app.settings.home))
        deliver(self, self._show, add_themes(trends, app.journal, cache))

    def _show(self, insights: Insights) -> None:
        self.insights = insights
        self.call_after_refresh(self._focus_theme)

    def _focus_theme(self) -> None:
        """Back on the session last opened; else on the top theme, where enter opens its
        newest session."""
        lists = self.query(".theme-sessions").results(OptionList)
        by_id = {widget.id: widget for widget in lists}
        list_id, row = self._opened or ("", 0)
        target = by_id.get(list_id) or next(iter(by_id.values()), None)
        if target is None:
            return
        target.focus()
        if target.id == list_id and row < target.option_count:
            target.highlighted = row

    def action_toggle_period(self) -> None:
        self.period = "month" if self.period == "week" else "week"
        self.load_insights()

    def action_refresh_insights(self) -> None:
        self.load_insights()

    # --- sections ---------------------------------------------------------------------------

    def _themes(self, insights: Insights) -> Vertical:
        blocks: list[Widget] = [
            theme_block(number, trend) for number, trend in enumerate(insights.themes, 1)
        ]
        if not blocks:
            blocks = [Static(Text(themes_note(insights), style="dim italic"), markup=False)]
        section = Vertical(*blocks, id="themes", classes="insights-section")
        section.border_title = "Themes that keep coming back"
        if insights.themes:
            unit = "week" if self.period == "week" else "month"
            section.border_subtitle = f"bars: sessions per {unit} · enter opens a session"
        return section

    @on(OptionList.OptionSelected, ".theme-sessions")
    def open_session(self, event: OptionList.OptionSelected) -> None:
        """Open the session as the journal does, with its transcript and artifact."""
        session_id = event.option.id
        if session_id and self.reflect.journal.get_session(session_id) is not None:
            self._opened = (event.option_list.id or "", event.option_index)
            self.app.push_screen(SessionScreen(session_id))

    def _trends(self, insights: Insights) -> Vertical:
        sessions = [count for _, count in insights.sessions]
        periods = insights.actions
        done = [p.done for p in periods]
        dropped = [p.dropped for p in periods]
        still_open = [p.open for p in periods]
        open_now = still_open[-1] if still_open else 0
        section = Vertical(
            Static(
                Text("\n").join(
                    [
                        trend_line("Sessions", sessions, plural(sum(sessions), "session"), "cyan"),
                        trend_line("Done", done, f"{sum(done)} items done", "green"),
                        trend_line("Dropped", dropped, f"{sum(dropped)} dropped", "red"),
                        trend_line("Open", still_open, f"{open_now} open now", "yellow"),
                        period_axis([p.label for p in periods]),
                    ]
                )
            ),
            id="trends",
            classes="insights-section",
        )
        unit = "weeks" if self.period == "week" else "months"
        section.border_title = f"The last {len(periods)} {unit} (m: weeks / months)"
        return section

    def _action_totals(self, insights: Insights) -> Vertical:
        totals = insights.action_totals
        rows = [
            ("Open", totals["open"], "yellow"),
            ("Done", totals["done"], "green"),
            ("Dropped", totals["dropped"], "red"),
        ]
        section = Vertical(
            Static(bar_rows(rows, width=30)), id="action-totals", classes="insights-section"
        )
        section.border_title = "Action items, all time"
        return section
