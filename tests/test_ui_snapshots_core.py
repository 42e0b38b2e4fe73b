"""How the key screens look, at 100x30, 80x24 and 60x15: home, a conversation mid-flow with its
guidance, an agenda, and a practice debrief (its scored artifact). Dates are fixed and the
thinking clock is off, so every frame is repeatable."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot

from assistant.config import load_settings
from assistant.conversation.core.engine import Engine
from assistant.journal import Journal
from assistant.ui.app import ReflectApp
from tests.support.conversation import FLOW_ANSWERS, run_flow
from tests.support.tui import answer, settle, steady

TODAY = date(2025, 3, 5)
SIZES = [
    pytest.param((100, 30), id="100x30"),
    pytest.param((80, 24), id="80x24"),
    pytest.param((60, 15), id="60x15"),
]


def make_app() -> ReflectApp:
    return ReflectApp(load_settings(), today=TODAY, show_clock=False)


@pytest.fixture
def home(knowledge_home: Path) -> Path:
    """A journal with a profile, open action items (one overdue) and saved questions."""
    with Journal(knowledge_home / "journal.db") as journal:
        journal.set_profile(name="Ana", mentor="Maria")
        session = journal.create_session("debrief", "guide", title="Reflection")
        journal.add_action_item(session.id, "Send the revised design doc to Maria", "2025-02-28")
        journal.add_action_item(session.id, "Practise the demo twice", "2025-03-12")
        journal.add_action_item(session.id, "Ask the platform lead for an introduction")
        journal.save_question(session.id, "What evidence would make my promotion case clear?")
        journal.save_question(session.id, "How did you decide when to go for a lead role?")
    return knowledge_home


def finished_session(flow_id: str) -> str:
    """Run ``flow_id`` to its artifact in guide mode, the way ``reflect chat`` would."""

    async def run() -> str:
        settings = load_settings()
        with Journal(settings.journal_path) as journal:
            engine = Engine(settings, journal, None, today=TODAY)
            await run_flow(engine, flow_id, FLOW_ANSWERS[flow_id])
            assert engine.session is not None
            return engine.session.id

    return asyncio.run(run())


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, home: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=steady)


@pytest.mark.parametrize("size", SIZES)
def test_conversation_mid_flow_with_guidance(snap_compare, home: Path, size) -> None:
    async def second_step(pilot: Pilot) -> None:
        await pilot.press("3")
        await settle(pilot)
        await answer(pilot, FLOW_ANSWERS["debrief"][0])
        # Wide enough, the guidance is shown; at 60 columns it stays hidden by itself.
        if pilot.app.size.width >= 80 and not pilot.app.screen.query_one("#guidance").display:
            await pilot.press("ctrl+g")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=second_step)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("flow_id", ["prepare", "practice"], ids=["agenda", "practice_debrief"])
def test_artifact(snap_compare, home: Path, flow_id: str, size: tuple[int, int]) -> None:
    session_id = finished_session(flow_id)

    async def open_it(pilot: Pilot) -> None:
        pilot.app.open_artifact(session_id)  # type: ignore[attr-defined]
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=open_it)
