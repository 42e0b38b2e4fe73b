"""Snapshots of the journal and insights screens at 100x30 and 80x24, from a seeded journal.

The journal is seeded with fixed timestamps and the screens are given a fixed ``today``, and
times are shown in UTC, so the pictures do not depend on the clock or the machine.
Update them with ``pytest tests/test_ui_snapshots_screens.py --snapshot-update`` and look at
the report before accepting a change.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from assistant.config import load_settings
from assistant.ui.app import ReflectApp
from assistant.ui.insights_screen import InsightsScreen
from assistant.ui.journal_screen import JournalScreen
from tests.support.journal_seed import TODAY, seed_journal, use_utc

SIZES = [(100, 30), (80, 24)]


@pytest.fixture
def seeded_app(monkeypatch: pytest.MonkeyPatch) -> ReflectApp:
    use_utc(monkeypatch)
    app = ReflectApp(load_settings())
    seed_journal(app.journal)
    return app


def showing(make_screen: Callable[[], Screen], *keys: str) -> Callable[[Pilot], object]:
    """A ``run_before`` that opens the screen, presses ``keys`` and waits for its workers."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        pilot.app.push_screen(make_screen())
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_journal_sessions(snap_compare, seeded_app: ReflectApp, size: tuple[int, int]):
    run_before = showing(lambda: JournalScreen(today=TODAY))
    assert snap_compare(seeded_app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_journal_action_items(snap_compare, seeded_app: ReflectApp, size: tuple[int, int]):
    run_before = showing(lambda: JournalScreen(today=TODAY), "a", "h")
    assert snap_compare(seeded_app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_insights(snap_compare, seeded_app: ReflectApp, size: tuple[int, int]):
    run_before = showing(lambda: InsightsScreen(today=TODAY))
    assert snap_compare(seeded_app, terminal_size=size, run_before=run_before)
