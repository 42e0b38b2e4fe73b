"""The insights screen in the real ReflectApp: recurring themes, trends, and an empty journal."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from assistant.config import load_settings
from assistant.ui.app import ReflectApp
from assistant.ui.insights_screen import InsightsScreen
from tests.support.journal_seed import TODAY, seed_journal, use_utc
from tests.support.screen_text import screen_text

SIZE = (100, 30)


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> ReflectApp:
    use_utc(monkeypatch)
    return ReflectApp(load_settings(), today=TODAY)


async def settle(app: ReflectApp, pilot: Pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_recurring_theme_and_its_debriefs_are_shown(app: ReflectApp):
    seed_journal(app.journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, InsightsScreen)
        text = screen_text(app)
        assert "Themes that keep coming back" in text
        theme_line = next(line for line in text.splitlines() if "missed deadlines" in line)
        assert "3 debriefs: 9 Mar, 10 Feb, 20 Jan" in theme_line
        assert "critical feedback" in text


async def test_trends_switch_between_weeks_and_months(app: ReflectApp):
    seed_journal(app.journal)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(InsightsScreen())
        await settle(app, pilot)
        text = screen_text(app)
        assert "The last 12 weeks" in text
        assert "7 sessions" in text
        assert "2 open now" in text
        await pilot.press("m")
        await settle(app, pilot)
        text = screen_text(app)
        assert "The last 12 months" in text
        assert "Mar 2026" in text


async def test_refresh_picks_up_new_sessions():
    app = ReflectApp(load_settings())  # today is the real day: the new session is this week's
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(InsightsScreen())
        await settle(app, pilot)
        assert "Nothing to show yet" in screen_text(app)
        app.journal.create_session("ask", "guide", "Questions for Dana")
        await pilot.press("r")
        await settle(app, pilot)
        text = screen_text(app)
        assert "1 session " in text
        assert "No theme yet: 0 debriefs so far" in text


async def test_an_empty_journal_explains_what_will_appear(app: ReflectApp):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await settle(app, pilot)
        text = screen_text(app)
        assert "Nothing to show yet" in text
        assert "two or more debriefs" in text


async def test_leaving_before_the_figures_arrive_is_safe(app: ReflectApp):
    seed_journal(app.journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", "escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "HomeScreen"
