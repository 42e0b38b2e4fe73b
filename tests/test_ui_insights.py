"""The insights screen in the real ReflectApp: themes and their sessions, trends, no journal."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Sparkline

from assistant.config import load_settings
from assistant.ui.app import ReflectApp
from assistant.ui.insights_screen import InsightsScreen
from assistant.ui.journal_screen import SessionScreen
from tests.support.journal_seed import TODAY, seed_journal, seed_themed_journal, use_utc
from tests.support.screen_text import screen_text
from tests.support.tampered_model import run_with_tampered_model

SIZE = (100, 30)


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> ReflectApp:
    use_utc(monkeypatch)
    return ReflectApp(load_settings(), today=TODAY)


async def settle(app: ReflectApp, pilot: Pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_themes_show_their_sessions_and_when_they_came_up(app: ReflectApp):
    seed_themed_journal(app.journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, InsightsScreen)
        text = screen_text(app)
        assert "Themes that keep coming back" in text
        lines = text.splitlines()
        heading = next(line for line in lines if "6 sessions" in line)
        assert "promotion" in heading
        start = lines.index(heading)
        assert "10 Mar  Reflection on the March meeting" in lines[start + 1]
        assert "3 Mar  Agenda for the meeting with Marco" in lines[start + 3]
        assert "22 Dec  Reflection on the December check-in" in lines[start + 6]
        sparks = list(app.screen.query(Sparkline))
        assert len(sparks) == 3
        assert sum(sparks[0].data or []) == 6


async def test_a_session_opens_from_its_theme(app: ReflectApp):
    seeded = seed_themed_journal(app.journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await settle(app, pilot)
        sessions = app.screen.query_one("#theme-2-sessions", OptionList)
        sessions.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session_id == seeded.sessions["debrief-feb-burnout"]
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, InsightsScreen)
        assert app.focused is app.screen.query_one("#theme-2-sessions", OptionList)
        assert app.screen.query_one("#theme-2-sessions", OptionList).highlighted == 1
        await pilot.click("#theme-1-sessions", offset=(10, 0))
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session_id == seeded.sessions["debrief-mar-review"]


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
        assert "Themes show once two or more debriefs talk about the same thing" in text


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


def test_without_a_usable_model_the_screen_says_so(tmp_path: Path):
    """The screen, in a process whose model file is damaged: one sentence where the themes
    would be, and the trends as usual."""
    script = (
        "import asyncio\n"
        "from assistant.config import load_settings\n"
        "from assistant.ui.app import ReflectApp\n"
        "from tests.support.journal_seed import TODAY, seed_themed_journal\n"
        "from tests.support.screen_text import screen_text\n"
        "async def main():\n"
        "    app = ReflectApp(load_settings(), today=TODAY)\n"
        "    seed_themed_journal(app.journal)\n"
        "    async with app.run_test(size=(100, 30)) as pilot:\n"
        "        await pilot.press('i')\n"
        "        await pilot.pause()\n"
        "        await app.workers.wait_for_complete()\n"
        "        await pilot.pause()\n"
        "        print(screen_text(app))\n"
        "asyncio.run(main())\n"
    )
    text, _ = run_with_tampered_model(tmp_path, script)
    assert "Themes need the local embedding model, which cannot run here" in text
    assert "sessions per week" not in text  # no theme, no theme sparkline caption
    assert "The last 12 weeks" in text
