"""Insights from the journal: recurring debrief themes and counts per period."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.config import load_settings
from assistant.insights.gather import gather_insights
from assistant.insights.periods import period_starts
from assistant.journal import Journal
from tests.support.journal_seed import TODAY, seed_journal, use_utc


@pytest.fixture
def journal(monkeypatch: pytest.MonkeyPatch) -> Journal:
    use_utc(monkeypatch)
    return Journal(load_settings().journal_path)


def test_period_starts_are_mondays_or_first_days():
    assert period_starts(date(2026, 3, 12), "week", 3) == [
        date(2026, 2, 23),
        date(2026, 3, 2),
        date(2026, 3, 9),
    ]
    assert period_starts(date(2026, 3, 12), "month", 3) == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]


def test_seeded_journal_insights(journal: Journal):
    seed_journal(journal)
    insights = gather_insights(journal, today=TODAY)
    assert insights.session_count == 7
    assert insights.debrief_count == 3
    assert insights.action_totals == {"open": 2, "done": 2, "dropped": 1}
    weeks = {start: count for start, count in insights.sessions}
    assert weeks[date(2026, 3, 9)] == 2  # the March debrief and the practice session
    assert weeks[date(2026, 3, 2)] == 1  # prepare on Sunday 8 March
    by_week = {period.start: period for period in insights.actions}
    assert by_week[date(2026, 1, 26)].done == 1
    assert by_week[date(2026, 2, 23)].dropped == 1
    assert by_week[date(2026, 3, 9)].open == 2
    assert by_week[date(2026, 2, 9)].open == 3  # the course from January, two from 10 February


def test_monthly_insights(journal: Journal):
    seed_journal(journal)
    months = gather_insights(journal, today=TODAY, period="month").actions
    assert [m.label for m in months[-3:]] == ["Jan 2026", "Feb 2026", "Mar 2026"]
    assert [(m.done, m.dropped) for m in months[-3:]] == [(1, 0), (1, 1), (0, 0)]


def test_an_empty_journal_has_empty_insights(journal: Journal):
    insights = gather_insights(journal, today=TODAY)
    assert insights.is_empty
    assert insights.themes == []
