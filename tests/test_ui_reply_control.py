"""Control over a reply on its way, in model mode against the scripted server over real HTTP:
its elapsed time and rate while it streams, esc before the first word (the question can be
asked again), and an answer the journal refuses (a full disk) that stays in the answer box."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.journal import Journal
from tests.support.conversation import FLOW_ANSWERS
from tests.support.openai_server import Reply, ScriptedOpenAI
from tests.support.screen_text import flat, region_text, screen_text
from tests.support.tmpfs import mounted_tmpfs
from tests.support.tui import settle, wait_for
from tests.test_ui_conversation_model import COACH_REPLY, make_app, scripted, start, turns

RATE = re.compile(r"Writing… (\d+) s · (\d+) tok/s")


@pytest.fixture
def server(model_env: ScriptedOpenAI, knowledge_home: Path) -> ScriptedOpenAI:
    (knowledge_home / "config.toml").write_text("[model]\nmax_retries = 0\n")
    model_env.responder = scripted
    return model_env


async def send(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    box = pilot.app.screen.query_one("#message")
    box.insert(text)
    await pilot.press("enter")


async def test_a_streaming_reply_shows_elapsed_seconds_and_tokens_per_second(
    server: ScriptedOpenAI, knowledge_home: Path
) -> None:
    words = [f"word{n} " for n in range(60)]
    app = make_app(show_clock=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start(pilot)
        server.queue(Reply(chunks=words, chunk_delay=0.05))
        await send(pilot, FLOW_ANSWERS["prepare"][0])
        await wait_for(pilot, lambda: RATE.search(screen_text(app)) is not None, "a rate")
        match = RATE.search(screen_text(app))
        assert match is not None
        # About 20 chunks of two tokens a second; a loaded machine is slower, never faster.
        assert 1 <= int(match.group(2)) <= 100
        assert "esc stops" in screen_text(app)
        await settle(pilot, screen)
        assert "Writing…" not in screen_text(app), "the line goes once the reply is complete"
        assert "word59" in flat(region_text(app, "#chat"))


async def test_esc_before_the_first_word_lets_ctrl_r_ask_the_question_again(
    server: ScriptedOpenAI, knowledge_home: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start(pilot)
        server.queue(Reply(text="too late", delay=30))
        await send(pilot, FLOW_ANSWERS["prepare"][0])
        await wait_for(pilot, lambda: "Thinking…" in screen_text(app), "the request to go out")
        await pilot.press("escape")
        await settle(pilot, screen)
        assert app.screen is screen
        assert "Stopped before the reply began. ctrl+r asks again." in flat(screen_text(app))
        assert "Retry" in screen_text(app).splitlines()[-1], "the footer offers ctrl+r"

        await pilot.press("ctrl+r")
        await settle(pilot, screen)
        assert COACH_REPLY in flat(region_text(app, "#chat"))
    saved = turns(knowledge_home)
    assert saved[-1] == ("assistant", COACH_REPLY, "complete")
    assert [content for role, content, _ in saved if role == "user"] == [FLOW_ANSWERS["prepare"][0]]


async def test_an_answer_refused_by_a_full_disk_stays_in_the_box_and_can_be_sent_again(
    server: ScriptedOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = "We agreed to split the launch plan into two milestones."
    with mounted_tmpfs(tmp_path / "small", size="1m") as home:
        monkeypatch.setenv("REFLECT_HOME", str(home))
        (home / "config.toml").write_text("[model]\nmax_retries = 0\n")
        app = make_app()
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            screen = await start(pilot)
            filler = home / "filler"
            with filler.open("wb") as handle, pytest.raises(OSError):
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
            box = screen.query_one("#message")
            await send(pilot, answer * 40)  # larger than any page left free
            await settle(pilot, screen)
            text = flat(region_text(app, "#chat"))
            assert "Your answer is NOT saved." in text and "the disk is full" in text
            assert "Your answers are saved" not in text
            assert box.text == answer * 40, "the typed answer is still in the box"  # type: ignore[attr-defined]

            await pilot.press("ctrl+b")
            await pilot.pause()
            assert app.clipboard == answer * 40

            filler.unlink()
            box.focus()
            await pilot.press("enter")
            await settle(pilot, screen)
            app.clear_notifications()
            await pilot.pause()
            assert box.text == ""  # type: ignore[attr-defined]
            assert COACH_REPLY in flat(region_text(app, "#chat"))
        with Journal(home / "journal.db") as journal:
            (session,) = journal.list_sessions()
            users = [t.content for t in journal.turns(session.id) if t.role == "user"]
            state = session.state
    assert users == [answer * 40], "saved once, when there was room"
    assert state["answers"]["goal"] == [answer * 40], "the refused try left nothing behind"
