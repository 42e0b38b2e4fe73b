"""Snapshots of the journal and insights screens at 100x30, 80x24 and 60x15, from seeded
journals (the insights screen's has three known themes).

The journal is seeded with fixed timestamps and the app is given a fixed ``today``, and
times are shown in UTC, so the pictures do not depend on the clock or the machine.
Update them with ``pytest tests/test_ui_snapshots_screens.py --snapshot-update`` and look at
the report before accepting a change.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from assistant.config import load_settings
from assistant.journal import Journal
from assistant.ui.app import ReflectApp
from tests.support.journal_seed import (
    TODAY,
    seed_journal,
    seed_themed_journal,
    use_utc,
)
from tests.support.tui import steady

SIZES = [(100, 30), (80, 24), (60, 15)]


def app_seeded_with(
    monkeypatch: pytest.MonkeyPatch, seed: Callable[[Journal], object]
) -> ReflectApp:
    use_utc(monkeypatch)
    app = ReflectApp(load_settings(), today=TODAY)
    seed(app.journal)
    return app


@pytest.fixture
def seeded_app(monkeypatch: pytest.MonkeyPatch) -> ReflectApp:
    return app_seeded_with(monkeypatch, seed_journal)


@pytest.fixture
def themed_app(monkeypatch: pytest.MonkeyPatch) -> ReflectApp:
    return app_seeded_with(monkeypatch, seed_themed_journal)


def showing(*keys: str) -> Callable[[Pilot], object]:
    """A ``run_before`` that presses ``keys`` from home and waits for the screen's workers."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press(*keys)
        await steady(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_journal_sessions(snap_compare, seeded_app: ReflectApp, size: tuple[int, int]):
    assert snap_compare(seeded_app, terminal_size=size, run_before=showing("j"))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_journal_action_items(snap_compare, seeded_app: ReflectApp, size: tuple[int, int]):
    assert snap_compare(seeded_app, terminal_size=size, run_before=showing("j", "a", "h"))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_insights(snap_compare, themed_app: ReflectApp, size: tuple[int, int]):
    assert snap_compare(themed_app, terminal_size=size, run_before=showing("i"))
