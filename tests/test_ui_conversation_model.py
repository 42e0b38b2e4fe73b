"""The conversation screen in model mode, against the scripted OpenAI-compatible server over
real HTTP: every flow to its artifact, streaming, the thinking indicator, cancelling with Esc,
and retrying after an error."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.journal import Journal
from assistant.ui.app import ReflectApp
from assistant.ui.conversation_screen import ConversationScreen
from tests.support.conversation import FLOW_ANSWERS
from tests.support.openai_server import RecordedRequest, Reply, ScriptedOpenAI
from tests.support.screen_text import flat, region_text, screen_text
from tests.support.tui import answer_into_error, run_to_artifact, settle, wait_for

TODAY = date(2025, 3, 5)
FLOW_KEYS = {"prepare": "1", "ask": "2", "debrief": "3", "practice": "4"}
COACH_REPLY = "Thank you, that is clear. What would make this meeting a success for you?"
MODEL_DRAFT = {
    "title": "Drafted by the model",
    "sections": [{"heading": "Goal of the meeting", "items": ["Agree on the next step"]}],
    "action_items": [],
}


def scripted(request: RecordedRequest) -> Reply:
    """Streamed turns get a coach reply; JSON drafts get a valid artifact draft."""
    if request.body and request.body.get("stream"):
        return Reply(text=COACH_REPLY)
    return Reply(text=json.dumps(MODEL_DRAFT))


@pytest.fixture
def server(model_env: ScriptedOpenAI, knowledge_home: Path) -> ScriptedOpenAI:
    (knowledge_home / "config.toml").write_text("[model]\nmax_retries = 0\n")
    with Journal(knowledge_home / "journal.db") as journal:
        journal.set_profile(name="Ana", mentor="Maria")
    model_env.responder = scripted
    return model_env


def make_app(*, show_clock: bool = False) -> ReflectApp:
    return ReflectApp(load_settings(), today=TODAY, show_clock=show_clock)


def turns(home: Path) -> list[tuple[str, str, str]]:
    with Journal(home / "journal.db") as journal:
        (session,) = journal.list_sessions()
        return [(t.role, t.content, t.status) for t in journal.turns(session.id)]


async def start(pilot, key: str = "1") -> ConversationScreen:
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ConversationScreen)
    return screen


@pytest.mark.parametrize("flow_id", list(FLOW_KEYS))
async def test_each_flow_runs_through_the_ui_to_its_artifact_in_model_mode(
    server: ScriptedOpenAI, knowledge_home: Path, flow_id: str
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(pilot, FLOW_KEYS[flow_id])
        assert "● test-model" in screen_text(app).splitlines()[0]
        await run_to_artifact(pilot, FLOW_ANSWERS[flow_id])
    assert server.chat_requests(), "the model was asked"
    roles = [role for role, _, _ in turns(knowledge_home)]
    assert roles.count("user") >= 3
    with Journal(knowledge_home / "journal.db") as journal:
        (session,) = journal.list_sessions()
        assert session.status == "done"
        assert journal.artifact(session.id) is not None


async def test_a_reply_streams_and_the_thinking_indicator_counts_seconds(
    server: ScriptedOpenAI, knowledge_home: Path
) -> None:
    app = make_app(show_clock=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        server.queue(Reply(text=COACH_REPLY, delay=1.6, chunk_delay=0.05))
        box = app.screen.query_one("#message")
        box.insert(FLOW_ANSWERS["prepare"][0])  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Thinking… 1 s" in screen_text(app), "a one second count")
        await wait_for(pilot, lambda: "Thank you, that is" in screen_text(app), "the first words")
        await settle(pilot)
        assert COACH_REPLY in flat(region_text(app, "#chat"))
        assert "Thinking…" not in screen_text(app)


async def test_esc_stops_a_reply_keeps_what_arrived_and_ctrl_r_asks_again(
    server: ScriptedOpenAI, knowledge_home: Path
) -> None:
    words = [f"word{n} " for n in range(200)]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start(pilot)
        server.queue(Reply(chunks=words, chunk_delay=0.05))
        box = app.screen.query_one("#message")
        box.insert(FLOW_ANSWERS["prepare"][0])  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: "word3" in screen_text(app), "the reply to stream")
        await pilot.press("escape")
        await settle(pilot, screen)
        assert app.screen is screen, "esc stopped the reply; it did not leave the screen"
        text = flat(region_text(app, "#chat"))
        assert "Stopped. What arrived is kept" in text
        role, partial, status = turns(knowledge_home)[-1]
        assert (role, status) == ("assistant", "interrupted")
        assert partial.startswith("word0 word1 word2 word3")
        assert "word199" not in partial

        await pilot.press("ctrl+r")
        await settle(pilot, screen)
        role, content, status = turns(knowledge_home)[-1]
        assert (role, content, status) == ("assistant", COACH_REPLY, "complete")
        assert COACH_REPLY in flat(region_text(app, "#chat"))
    users = [content for role, content, _ in turns(knowledge_home) if role == "user"]
    assert users == [FLOW_ANSWERS["prepare"][0]], "the answer was saved once"


async def test_a_server_error_offers_retry_and_retrying_gets_the_reply(
    server: ScriptedOpenAI, knowledge_home: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await start(pilot)
        server.queue(Reply(status=500))
        await answer_into_error(pilot, FLOW_ANSWERS["prepare"][0])
        text = screen_text(app)
        assert "answered with an error (500)" in flat(text)
        assert "Retry" in text
        await pilot.press("enter")  # Retry has the focus
        await settle(pilot, screen)
        assert app.screen is screen
        assert COACH_REPLY in flat(region_text(app, "#chat"))
    roles = [(role, status) for role, _, status in turns(knowledge_home)]
    assert roles[-2:] == [("user", "complete"), ("assistant", "complete")]


async def test_a_rejected_key_offers_guide_mode_and_the_session_carries_on(
    server: ScriptedOpenAI, knowledge_home: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await start(pilot)
        server.queue(Reply(status=401))
        await answer_into_error(pilot, FLOW_ANSWERS["prepare"][0])
        assert "rejected the API key" in flat(screen_text(app))
        assert "sk-test" not in screen_text(app)
        await pilot.press("enter")  # for a refused key, "Guide mode" has the focus
        await settle(pilot, screen)
        text = screen_text(app)
        assert "◌ Guide mode" in text.splitlines()[0]
        assert "Step 2 of 4: Wins and updates" in text
    requests_before = len(server.chat_requests())
    assert requests_before == 2  # the first question and the refused one; none after


async def test_the_view_follows_a_reply_only_while_it_is_at_the_bottom(
    server: ScriptedOpenAI, knowledge_home: Path
) -> None:
    lines = [f"Line {n} of a long reply.\n\n" for n in range(120)]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start(pilot)
        chat = screen.query_one("#chat")
        server.queue(Reply(chunks=lines, chunk_delay=0.03))
        box = screen.query_one("#message")
        box.insert(FLOW_ANSWERS["prepare"][0])  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: chat.max_scroll_y > 10, "the reply to overflow the view")
        assert chat.scroll_y == chat.max_scroll_y, "at the bottom, the view follows"
        chat.scroll_relative(y=-8, animate=False)  # what a mouse wheel does
        await pilot.pause()
        held = chat.scroll_y
        await wait_for(pilot, lambda: chat.max_scroll_y > held + 20, "more of the reply")
        assert chat.scroll_y == held, "scrolled up, the view stays where the user put it"
        chat.scroll_end(animate=False)
        await settle(pilot, screen)
        assert chat.scroll_y == chat.max_scroll_y, "back at the bottom, it follows again"
        assert "Line 119 of a long reply." in screen_text(app)
