"""The conversation screen in guide mode: every flow to its artifact, the answer box, guidance,
leaving and resuming. Real engine, real journal, real knowledge index (prebuilt copy)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.conversation.core.flows import load_flow
from assistant.journal import Journal
from assistant.ui.app import ReflectApp
from assistant.ui.conversation_screen import ConversationScreen
from assistant.ui.home import HomeScreen
from tests.support.conversation import FLOW_ANSWERS
from tests.support.screen_text import flat, region_text, screen_text
from tests.support.tui import answer, run_to_artifact, settle

TODAY = date(2025, 3, 5)
FLOW_KEYS = {"prepare": "1", "ask": "2", "debrief": "3", "practice": "4"}


@pytest.fixture(autouse=True)
def home(knowledge_home: Path) -> Path:
    with Journal(knowledge_home / "journal.db") as journal:
        journal.set_profile(name="Ana", mentor="Maria")
    return knowledge_home


def make_app() -> ReflectApp:
    return ReflectApp(load_settings(), today=TODAY, show_clock=False)


def journal_of(home: Path) -> Journal:
    return Journal(home / "journal.db")


@pytest.mark.parametrize("flow_id", list(FLOW_KEYS))
async def test_each_flow_runs_through_the_ui_to_its_artifact(home: Path, flow_id: str) -> None:
    flow = load_flow(flow_id)
    app = make_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press(FLOW_KEYS[flow_id])
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        await settle(pilot)
        text = screen_text(app)
        assert f"Step 1 of {len(flow.steps)}: {flow.steps[0].title}" in text
        assert "[1] " in text  # the guidance panel lists the passages behind the question
        await run_to_artifact(pilot, FLOW_ANSWERS[flow_id])
        await pilot.pause()
        with journal_of(home) as journal:
            (session,) = journal.list_sessions()
            artifact = journal.artifact(session.id)
            assert session.status == "done"
            assert artifact is not None
            user_turns = [t.content for t in journal.turns(session.id) if t.role == "user"]
        assert artifact.title in screen_text(app)
        # Back on the conversation, the transcript shows what the user typed.
        await pilot.press("escape")
        assert app.screen is screen
        transcript = flat(region_text(app, "#chat"))  # the chat log alone, lines unwrapped
        assert "ctrl+o opens it" in transcript
        assert user_turns


async def test_enter_sends_and_ctrl_j_makes_a_new_line(home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await settle(pilot)
        await pilot.press(*"Decide", "ctrl+j", *"the role")
        box = app.screen.query_one("#message")
        assert box.text == "Decide\nthe role"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert box.text == ""  # type: ignore[attr-defined]
        with journal_of(home) as journal:
            (session,) = journal.list_sessions()
            users = [t.content for t in journal.turns(session.id) if t.role == "user"]
        assert users == ["Decide\nthe role"]


async def test_guidance_panel_toggles_and_starts_hidden_on_a_narrow_terminal() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        panel = app.screen.query_one("#guidance")
        assert panel.display
        await pilot.press("ctrl+g")
        assert not panel.display
        assert "Guidance" not in screen_text(app).split("\n", 3)[2]
        await pilot.press("ctrl+g")
        assert panel.display
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert not app.screen.query_one("#guidance").display


async def test_leaving_keeps_the_session_and_resuming_shows_the_transcript(home: Path) -> None:
    first_answer = FLOW_ANSWERS["debrief"][0]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await answer(pilot, first_answer)
        await pilot.press("escape")
        assert "Nothing is lost" in screen_text(app), "esc asks first, and reassures"
        await pilot.press("enter")  # Leave has the focus
        assert isinstance(app.screen, HomeScreen)
        with journal_of(home) as journal:
            (session,) = journal.list_sessions()
        assert session.status == "active"
        app.resume_session(session.id)
        await settle(pilot)
        text = " ".join(screen_text(app).split())
        assert "Step 2 of 5: Feedback received" in text
        assert "We discussed my promotion case" in text
        await answer(pilot, FLOW_ANSWERS["debrief"][1])
        with journal_of(home) as journal:
            users = [t.content for t in journal.turns(session.id) if t.role == "user"]
        assert users == FLOW_ANSWERS["debrief"][:2]
