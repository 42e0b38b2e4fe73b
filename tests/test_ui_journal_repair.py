"""A journal repair made while the app runs is shown to the user once, as a notification.

Before, repairs met after start-up (a damaged page read while resuming a session) were kept in
``journal.notices`` and never shown: the user did not learn that rows were lost, nor where the
copy of the damaged file was kept.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from assistant.config import load_settings
from assistant.ui.app import ReflectApp
from tests.support.screen_text import flat, screen_text
from tests.support.tui import wait_for
from tests.test_hardening_journal import damage_a_leaf_page, seed

NOTICE = "had damaged pages"


async def test_damage_met_while_the_app_runs_is_shown_once(reflect_home: Path) -> None:
    path = load_settings().journal_path
    ids = seed(path)
    app = ReflectApp(load_settings(), show_clock=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert NOTICE not in flat(screen_text(app))
        damage_a_leaf_page(path, "turns")

        def read_every_transcript() -> None:  # as resuming a session does, in a worker
            for session_id in ids:
                app.journal.turns(session_id)

        await asyncio.to_thread(read_every_transcript)
        await wait_for(pilot, lambda: NOTICE in flat(screen_text(app)), "the repair notice")
        shown = flat(screen_text(app))
        assert shown.count(NOTICE) == 1
        assert "A copy of it was kept at" in shown
        for session_id in ids:  # later reads find nothing more to repair, and say nothing
            app.journal.turns(session_id)
        await pilot.pause()
        assert flat(screen_text(app)).count(NOTICE) == 1


async def test_damage_repaired_while_opening_is_shown_once(reflect_home: Path) -> None:
    path = load_settings().journal_path
    seed(path)
    damage_a_leaf_page(path, "sessions")
    app = ReflectApp(load_settings(), show_clock=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: NOTICE in flat(screen_text(app)), "the repair notice")
        await pilot.pause()
        assert flat(screen_text(app)).count(NOTICE) == 1
