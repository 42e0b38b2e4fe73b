"""Everything the insights screen shows, read from the journal in two steps: the trends and
totals (quick), then the themes (which may have sentences to embed first)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path

from assistant.insights.periods import (
    Period,
    PeriodCounts,
    action_counts,
    counts_per_period,
    local_date,
    period_starts,
    session_counts,
)
from assistant.insights.themes import MIN_SESSIONS, Theme, find_themes
from assistant.insights.units import journal_units, theme_sessions
from assistant.insights.vectors import ModelUnavailable, VectorCache
from assistant.journal import Journal

DEBRIEF_FLOW = "debrief"


class ThemesState(StrEnum):
    #: Not looked for yet: :func:`gather_trends` leaves them to :func:`add_themes`.
    PENDING = "pending"
    FOUND = "found"
    #: Fewer than :data:`~assistant.insights.themes.MIN_SESSIONS` sessions to compare.
    TOO_FEW_SESSIONS = "too_few_sessions"
    #: Enough sessions, but nothing in them recurs yet.
    NONE_RECURRING = "none_recurring"
    MODEL_UNAVAILABLE = "model_unavailable"


@dataclass(frozen=True)
class ThemeTrend:
    """A theme and how many of its sessions fall in each period shown."""

    theme: Theme
    per_period: list[int]


@dataclass(frozen=True)
class Insights:
    period: Period
    #: The first day of each period shown, oldest first.
    starts: list[date]
    actions: list[PeriodCounts]
    sessions: list[tuple[date, int]]
    session_count: int
    debrief_count: int
    action_totals: dict[str, int]
    themes: list[ThemeTrend] = field(default_factory=list)
    themes_state: ThemesState = ThemesState.PENDING
    #: How many sessions themes are drawn from (debriefs, agendas, question lists).
    theme_session_count: int = 0
    #: Why themes could not be found, in one line, when the model is unavailable.
    model_problem: str = ""

    @property
    def is_empty(self) -> bool:
        return self.session_count == 0 and not any(self.action_totals.values())


def vector_cache_path(home: Path) -> Path:
    """Where theme sentence vectors are kept, in ``REFLECT_HOME``."""
    return home / "insights" / "vectors.db"


def _themes(
    journal: Journal, cache: VectorCache | None
) -> tuple[list[Theme], ThemesState, int, str]:
    """The themes, what became of finding them, how many sessions were compared, and why
    the model could not run (or "")."""
    units = journal_units(journal, theme_sessions(journal))
    compared = len({unit.session.id for unit in units})
    if compared < MIN_SESSIONS:
        return [], ThemesState.TOO_FEW_SESSIONS, compared, ""
    try:
        themes = find_themes(units, cache)
    except ModelUnavailable as exc:
        return [], ThemesState.MODEL_UNAVAILABLE, compared, str(exc)
    if cache is not None:
        cache.keep_only_used()
    return themes, ThemesState.FOUND if themes else ThemesState.NONE_RECURRING, compared, ""


def gather_trends(
    journal: Journal,
    *,
    today: date | None = None,
    period: Period = "week",
    periods: int = 12,
) -> Insights:
    """Sessions and action items per period up to ``today``, and the totals; no themes yet."""
    sessions = journal.list_sessions()
    items = journal.action_items(status=None)
    starts = period_starts(today or date.today(), period, periods)
    totals = Counter(item.status for item in items)
    return Insights(
        period=period,
        starts=starts,
        actions=action_counts(items, starts, period),
        sessions=session_counts(sessions, starts, period),
        session_count=len(sessions),
        debrief_count=sum(1 for s in sessions if s.flow == DEBRIEF_FLOW),
        action_totals={status: totals.get(status, 0) for status in ("open", "done", "dropped")},
    )


def add_themes(insights: Insights, journal: Journal, cache: VectorCache | None) -> Insights:
    """``insights`` with the themes, each counted over the same periods."""
    themes, state, compared, problem = _themes(journal, cache)
    trends = [
        ThemeTrend(
            theme,
            counts_per_period(
                (local_date(ref.created_at) for ref in theme.sessions),
                insights.starts,
                insights.period,
            ),
        )
        for theme in themes
    ]
    return replace(
        insights,
        themes=trends,
        themes_state=state,
        theme_session_count=compared,
        model_problem=problem,
    )


def gather_insights(
    journal: Journal,
    *,
    today: date | None = None,
    period: Period = "week",
    periods: int = 12,
    cache: VectorCache | None = None,
) -> Insights:
    """Everything the insights screen shows, in one go."""
    trends = gather_trends(journal, today=today, period=period, periods=periods)
    return add_themes(trends, journal, cache)
