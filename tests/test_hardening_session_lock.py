"""A session is open in one window at a time.

Two windows that both resumed a session used to both answer it; the second finished the
already finished session and its artifact replaced the first window's.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.conversation.core.engine import Engine
from assistant.journal import Journal
from assistant.session_lock import SessionBusy, SessionLock
from assistant.ui.app import ReflectApp
from assistant.ui.conversation_screen import ConversationScreen
from assistant.ui.home import HomeScreen
from tests.support.conversation import FLOW_ANSWERS
from tests.support.screen_text import flat, screen_text
from tests.support.tui import answer, settle, wait_for


async def unfinished_session() -> str:
    settings = load_settings()
    with Journal(settings.journal_path) as journal:
        engine = Engine(settings, journal, None)
        async for _ in engine.start("debrief"):
            pass
        async for _ in engine.send(FLOW_ANSWERS["debrief"][0]):
            pass
        assert engine.session is not None
        return engine.session.id


def test_a_second_lock_on_one_session_is_refused_until_the_first_is_released(
    reflect_home: Path,
) -> None:
    first = SessionLock.take(reflect_home, "abc123")
    with pytest.raises(SessionBusy) as busy:
        SessionLock.take(reflect_home, "abc123")
    assert str(busy.value).startswith("Session abc123 is open in another Reflect window (process ")
    SessionLock.take(reflect_home, "other").release()  # other sessions are free
    first.release()
    SessionLock.take(reflect_home, "abc123").release()


async def test_a_session_open_in_one_window_is_not_opened_in_a_second(
    knowledge_home: Path,
) -> None:
    session_id = await unfinished_session()
    first = ReflectApp(load_settings(), today=date(2026, 3, 12), show_clock=False)
    second = ReflectApp(load_settings(), today=date(2026, 3, 12), show_clock=False)
    async with (
        first.run_test(size=(100, 30)) as one,
        second.run_test(size=(100, 30), notifications=True) as two,
    ):
        first.resume_session(session_id)
        await settle(one)
        second.resume_session(session_id)

        def told() -> bool:
            shown = flat(screen_text(second))
            return f"Session {session_id} is open in another Reflect window" in shown

        await wait_for(two, told, "the second window to say the session is busy")
        await wait_for(two, lambda: isinstance(second.screen, HomeScreen), "it to go back")
        # The first window goes on answering; leaving it frees the session for the second.
        await answer(one, FLOW_ANSWERS["debrief"][1])
        await one.press("escape", "enter")  # esc asks first; enter leaves
        await one.pause()
        second.resume_session(session_id)
        await settle(two)
        assert isinstance(second.screen, ConversationScreen)
    with Journal(load_settings().journal_path) as journal:
        users = [t.content for t in journal.turns(session_id) if t.role == "user"]
    assert users == FLOW_ANSWERS["debrief"][:2]
