"""Insights: what keeps coming back across debriefs, and how sessions and action items trend.

The figures come from :mod:`assistant.insights`, gathered in a thread worker so a large journal
never holds up the screen; the screen recomposes when they arrive.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, LoadingIndicator, Static

from assistant.insights import Insights, Period, Theme, gather_insights, local_date
from assistant.ui.widgets.from_thread import deliver
from assistant.ui.widgets.header import AppHeader
from assistant.ui.widgets.insights_charts import bar, bar_rows, period_axis, trend_line

THEME_BAR_WIDTH = 8
SESSIONS_NAMED = 4

EMPTY_EXPLANATION = """\
Nothing to show yet: insights grow out of your journal.

• Themes that keep coming back: words and phrases you use in two or more debriefs, \
with the debriefs they came up in.
• Sessions per week, for the last twelve weeks.
• Action items done, dropped and still open, week by week.

Debrief your next mentoring meeting (3 on the home screen) and check back here after a few."""


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def short_date(day: date) -> str:
    return f"{day.day} {day:%b}"


def theme_line(theme: Theme, most_sessions: int, phrase_width: int) -> Text:
    """The phrase, a bar for how many debriefs raise it, and the dates of those debriefs."""
    line = Text()
    line.append(f"{theme.phrase:<{phrase_width}}  ", style="bold")
    line.append(f"{bar(theme.session_count, most_sessions, THEME_BAR_WIDTH):<{THEME_BAR_WIDTH}}")
    dates = [short_date(local_date(ref.created_at)) for ref in theme.sessions[:SESSIONS_NAMED]]
    more = theme.session_count - len(dates)
    line.append(f" {theme.session_count} debriefs: ")
    line.append(", ".join(dates) + (f" and {more} more" if more > 0 else ""), style="dim")
    return line


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
        insights = gather_insights(
            self.app.journal,  # type: ignore[attr-defined]
            today=self.app.today,  # type: ignore[attr-defined]
            period=self.period,
        )
        deliver(self, setattr, self, "insights", insights)

    def action_toggle_period(self) -> None:
        self.period = "month" if self.period == "week" else "week"
        self.load_insights()

    def action_refresh_insights(self) -> None:
        self.load_insights()

    # --- sections ---------------------------------------------------------------------------

    def _themes(self, insights: Insights) -> Vertical:
        if insights.themes:
            most = insights.themes[0].session_count
            width = max(len(theme.phrase) for theme in insights.themes)
            body = Text("\n").join(theme_line(t, most, width) for t in insights.themes)
        else:
            body = Text(
                f"No theme yet: {plural(insights.debrief_count, 'debrief')} so far. "
                "A word or phrase shows "
                "here once it comes up in two debriefs or more.",
                style="dim italic",
            )
        section = Vertical(Static(body, markup=False), id="themes", classes="insights-section")
        section.border_title = "Themes that keep coming back"
        return section

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
