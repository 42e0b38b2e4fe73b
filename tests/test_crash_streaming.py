"""SIGKILL while a model reply is streaming: the journal is intact and the answer is there."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.conversation.core.engine import Engine
from assistant.conversation.core.events import StepChanged, TurnComplete
from assistant.conversation.model.client import ModelClient
from assistant.journal import Journal
from assistant.knowledge import KnowledgeBase
from tests.support.conversation import FLOW_ANSWERS, collect, of_type
from tests.support.openai_server import Reply, ScriptedOpenAI

SLOW_REPLY = Reply(chunks=[f"word{n} " for n in range(200)], chunk_delay=0.05)


def wait_for(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def test_sigkill_mid_stream_keeps_the_answer_and_the_session_resumes(
    knowledge_home: Path, model_env: ScriptedOpenAI
) -> None:
    model_env.default = Reply(text="What is the goal of this meeting?")
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "chat", "debrief"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ.copy(),
    )
    assert process.stdin is not None
    try:
        wait_for(lambda: len(model_env.chat_requests()) >= 1, "the opening question")
        model_env.default = SLOW_REPLY
        answer = FLOW_ANSWERS["debrief"][0]
        process.stdin.write(f"{answer}\n---\n".encode())
        process.stdin.flush()
        wait_for(lambda: len(model_env.chat_requests()) >= 2, "the streamed reply to start")
        time.sleep(0.5)  # a few chunks are on their way
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL

    settings = load_settings()
    with Journal(settings.journal_path) as journal:
        assert journal.integrity_check() == "ok"
        (session,) = journal.list_sessions()
        user_turns = [t.content for t in journal.turns(session.id) if t.role == "user"]
        assert user_turns == [answer]

        model_env.default = Reply(text="What feedback did you receive?")
        knowledge = KnowledgeBase.open(settings)
        model = ModelClient(settings)

        async def resume() -> list:
            try:
                return await collect(
                    Engine(settings, journal, knowledge, model=model).resume(session.id)
                )
            finally:
                await model.aclose()

        try:
            events = asyncio.run(resume())
        finally:
            knowledge.close()
        assert of_type(events, StepChanged)[-1].index == 1
        replies = [e for e in of_type(events, TurnComplete) if e.role == "assistant"]
        assert replies[-1].content == "What feedback did you receive?"
