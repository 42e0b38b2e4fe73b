"""Weeks and months: which period a date falls in, and what happened in each period.

Dates are the user's local calendar dates of the journal's stored ISO timestamps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from assistant.journal import ActionItem, Session

Period = Literal["week", "month"]


@dataclass(frozen=True)
class PeriodCounts:
    """Action items in one week or month: closed in it as done or dropped, open at its end."""

    start: date
    label: str
    done: int
    dropped: int
    open: int


def local_date(stamp: str) -> date:
    """The user's local calendar date of a stored ISO timestamp."""
    return datetime.fromisoformat(stamp).astimezone().date()


def period_start(day: date, period: Period) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _previous_start(start: date, period: Period) -> date:
    if period == "week":
        return start - timedelta(days=7)
    return (start - timedelta(days=1)).replace(day=1)


def _next_start(start: date, period: Period) -> date:
    if period == "week":
        return start + timedelta(days=7)
    return (start + timedelta(days=32)).replace(day=1)


def period_starts(today: date, period: Period, count: int) -> list[date]:
    """The first days of the last ``count`` periods, oldest first, ending with today's."""
    starts = [period_start(today, period)]
    while len(starts) < count:
        starts.append(_previous_start(starts[-1], period))
    return starts[::-1]


def period_label(start: date, period: Period) -> str:
    return f"{start.day} {start:%b}" if period == "week" else f"{start:%b %Y}"


def action_counts(
    items: Sequence[ActionItem], starts: Sequence[date], period: Period
) -> list[PeriodCounts]:
    """Per period: items done and dropped in it, and items still open at its end."""
    dated = [
        (
            local_date(item.created_at),
            local_date(item.closed_at) if item.closed_at else None,
            item.status,
        )
        for item in items
    ]
    counts = []
    for start in starts:
        end = _next_start(start, period)
        done = dropped = still_open = 0
        for created, closed, status in dated:
            if closed is not None and start <= closed < end:
                done += status == "done"
                dropped += status == "dropped"
            if created < end and (closed is None or closed >= end):
                still_open += 1
        counts.append(PeriodCounts(start, period_label(start, period), done, dropped, still_open))
    return counts


def counts_per_period(days: Iterable[date], starts: Sequence[date], period: Period) -> list[int]:
    """How many of ``days`` fall in each period that begins at one of ``starts``."""
    per_period = Counter(period_start(day, period) for day in days)
    return [per_period.get(start, 0) for start in starts]


def session_counts(
    sessions: Sequence[Session], starts: Sequence[date], period: Period
) -> list[tuple[date, int]]:
    """How many sessions were started in each period."""
    days = (local_date(s.created_at) for s in sessions)
    return list(zip(starts, counts_per_period(days, starts, period), strict=True))
