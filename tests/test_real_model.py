"""Model mode against a real model server: llama.cpp serving Gemma 3 270M, a base model.

The model rambles, ignores instructions and writes template text; these tests prove that every
flow still ends with its artifact, every reply stays within its bounds, nothing of the template
leaks into what the user sees, and a coach turn always asks a question. Replies are kept short
(:data:`TEST_REPLY_LIMITS`) so the whole set takes minutes on two cores.

The server and model come from the ``realmodel`` extra; without it these tests are skipped,
except in CI (``REFLECT_REQUIRE_REAL_MODEL``), where that is a failure.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.config import load_settings
from assistant.conversation.core.finishing import UNUSABLE_DRAFT_NOTICE
from assistant.conversation.core.flows import load_flow
from assistant.conversation.model.limits import TEMPLATE_TOKENS
from assistant.journal import Journal
from assistant.ui.app import ReflectApp
from assistant.ui.artifact_screen import ArtifactScreen
from assistant.ui.conversation_screen import ConversationScreen
from tests.support.conversation import FLOW_ANSWERS
from tests.support.llama_server import MODEL_ALIAS, TEST_REPLY_LIMITS, LlamaServer
from tests.support.screen_text import screen_text
from tests.support.tui import run_to_artifact, settle

pytestmark = [pytest.mark.realmodel, pytest.mark.slow]

#: Characters a turn may hold at most: the capped reply, the step's question and its listing.
TURN_CHARACTER_BOUND = 2500


@pytest.fixture
def real_model(
    llama_server: LlamaServer, knowledge_home: Path, monkeypatch: pytest.MonkeyPatch
) -> LlamaServer:
    """Model mode against the real server, with short replies."""
    monkeypatch.setenv("OPENAI_BASE_URL", llama_server.base_url)
    monkeypatch.setenv("REFLECT_MODEL", MODEL_ALIAS)
    for name, value in TEST_REPLY_LIMITS.items():
        monkeypatch.setenv(name, value)
    return llama_server


def chat(capsys: pytest.CaptureFixture[str], tmp_path: Path, flow: str) -> dict:
    answers = tmp_path / f"{flow}.txt"
    answers.write_text("\n---\n".join(FLOW_ANSWERS[flow]) + "\n", encoding="utf-8")
    assert main(["chat", flow, "--input", str(answers), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def assert_bounded_and_clean(result: dict) -> None:
    replies = [turn["content"] for turn in result["turns"] if turn["role"] == "assistant"]
    assert replies, "the model was asked"
    for reply in replies:
        assert reply.strip()
        assert len(reply) <= TURN_CHARACTER_BOUND, reply
        assert not any(token in reply for token in TEMPLATE_TOKENS), reply


def asks_something(turn: str, flow: str) -> bool:
    """A question, or the step's own scripted prompt (some are requests: "Write your ...")."""
    return "?" in turn or any(step.question in turn for step in load_flow(flow).steps)


@pytest.mark.parametrize("flow", ["prepare", "ask", "debrief"])
def test_a_coaching_flow_runs_headless_against_the_real_model(
    real_model: LlamaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], flow: str
) -> None:
    result = chat(capsys, tmp_path, flow)

    assert result["mode"] == "model", result["notices"]
    assert_bounded_and_clean(result)
    coach_turns = [turn["content"] for turn in result["turns"] if turn["role"] == "assistant"]
    # Whatever the model said, every coach turn asks the user something.
    assert all(asks_something(turn, flow) for turn in coach_turns), coach_turns
    user_turns = [turn["content"] for turn in result["turns"] if turn["role"] == "user"]
    assert user_turns == [answer for answer in FLOW_ANSWERS[flow] if not answer.startswith("/")]
    # The artifact is there, from the model's draft or, failing that, from the answers.
    assert any(section["items"] for section in result["artifact"]["sections"])
    assert result["markdown"].startswith(f"# {result['artifact']['title']}")
    with Journal(load_settings().journal_path) as journal:
        assert journal.artifact(result["session_id"]) is not None


def test_practice_runs_headless_against_the_real_model(
    real_model: LlamaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = chat(capsys, tmp_path, "practice")

    assert result["mode"] == "model", result["notices"]
    assert_bounded_and_clean(result)
    # The role-play had the simulated mentee's lines, and the debrief scored the mentor.
    assert len([t for t in result["turns"] if t["role"] == "assistant"]) >= 5
    headings = [section["heading"] for section in result["artifact"]["sections"]]
    assert any(section["items"] for section in result["artifact"]["sections"]), headings


def test_an_unusable_draft_falls_back_to_guide_mode_with_a_notice(
    real_model: LlamaServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Asked for JSON in the prompt only, with room for a few words, the base model cannot
    write a valid draft: the artifact is compiled from the answers, and a notice says so."""
    monkeypatch.setenv("REFLECT_JSON_FORMAT", "prompt")
    monkeypatch.setenv("REFLECT_REPLY_TOKENS_DRAFT", "64")

    result = chat(capsys, tmp_path, "debrief")

    assert result["mode"] == "model"
    assert UNUSABLE_DRAFT_NOTICE in result["notices"]
    items = "\n".join(item for s in result["artifact"]["sections"] for item in s["items"])
    # Compiled from the mentee's own answers: their commitments are the action items.
    assert "Send the revised doc to Maria by Friday" in items
    assert [item["text"] for item in result["action_items"]]


async def test_a_flow_runs_in_the_tui_against_the_real_model(
    real_model: LlamaServer, knowledge_home: Path
) -> None:
    app = ReflectApp(load_settings(), today=date(2025, 3, 5))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("2")  # ask
        await settle(pilot)
        assert isinstance(app.screen, ConversationScreen)
        assert f"● {MODEL_ALIAS}" in screen_text(app).splitlines()[0]
        await run_to_artifact(pilot, FLOW_ANSWERS["ask"])
        assert isinstance(app.screen, ArtifactScreen)
    with Journal(knowledge_home / "journal.db") as journal:
        (session,) = journal.list_sessions()
        assert session.status == "done"
        turns = journal.turns(session.id)
        assert journal.artifact(session.id) is not None
    replies = [turn.content for turn in turns if turn.role == "assistant"]
    assert len(replies) >= 3
    assert all(asks_something(reply, "ask") for reply in replies), replies
    assert not any(token in reply for reply in replies for token in TEMPLATE_TOKENS)
