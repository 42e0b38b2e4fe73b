"""Insights from the journal: recurring debrief themes and counts per period."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.config import load_settings
from assistant.insights import (
    SessionRef,
    find_themes,
    gather_insights,
    period_starts,
)
from assistant.journal import Journal
from tests.support.journal_seed import TODAY, seed_journal, use_utc


def ref(name: str, day: int) -> SessionRef:
    return SessionRef(name, f"Debrief {name}", f"2026-03-{day:02d}T10:00:00+00:00")


@pytest.fixture
def journal(monkeypatch: pytest.MonkeyPatch) -> Journal:
    use_utc(monkeypatch)
    return Journal(load_settings().journal_path)


def test_a_theme_needs_two_sessions_however_often_one_session_repeats_it():
    documents = [
        (ref("a", 1), "Imposter syndrome. " * 40 + "We covered the roadmap."),
        (ref("b", 2), "The roadmap again, and my presentation."),
    ]
    themes = {theme.phrase: theme for theme in find_themes(documents)}
    assert "roadmap" in themes
    assert themes["roadmap"].session_count == 2
    assert "imposter syndrome" not in themes
    assert "imposter" not in themes


def test_stop_words_and_question_words_are_not_themes():
    documents = [
        (ref("a", 1), "I think that we talked about the feedback and it was really good."),
        (ref("b", 2), "I think we talked about feedback; it was really good, I would say."),
    ]
    assert find_themes(documents) == []


def test_a_phrase_replaces_its_words_and_lists_its_sessions_newest_first():
    documents = [
        (ref("a", 1), "I missed deadlines on the API work."),
        (ref("b", 8), "More missed deadlines. My manager's critical feedback stung."),
        (ref("c", 5), "Critical feedback about missed deadlines, again."),
    ]
    themes = find_themes(documents)
    assert [theme.phrase for theme in themes] == ["missed deadlines", "critical feedback"]
    assert [r.id for r in themes[0].sessions] == ["b", "c", "a"]
    assert themes[1].session_count == 2


def test_plurals_count_as_one_theme():
    documents = [
        (ref("a", 1), "One deadline slipped."),
        (ref("b", 2), "Two deadlines slipped."),
    ]
    phrases = [theme.phrase for theme in find_themes(documents)]
    assert len([p for p in phrases if p.startswith("deadline")]) == 1


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
    assert insights.themes[0].phrase == "missed deadlines"
    assert insights.themes[0].session_count == 3
    assert "critical feedback" in [theme.phrase for theme in insights.themes]
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
