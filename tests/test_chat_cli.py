"""`reflect chat FLOW [--input FILE] [--json] [--offline]`, as a script would use it."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import tokens
from assistant.cli import main
from assistant.config import load_settings
from assistant.conversation.core.engine import Engine
from assistant.conversation.core.events import ArtifactReady, StepChanged
from assistant.conversation.model.budget import REFERENCE_HEADER, prompt_budget
from assistant.journal import Journal
from tests.support.conversation import FLOW_ANSWERS, collect, of_type, open_parts
from tests.support.openai_server import RecordedRequest, Reply, ScriptedOpenAI

MODEL_REPLY = "You said “the lead role” [1]. What would make this meeting a win for you?"


def write_input(path: Path, answers: list[str]) -> Path:
    path.write_text("\n---\n".join(answers) + "\n", encoding="utf-8")
    return path


def chat_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["chat", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def assert_design_shape(result: dict, flow: str, mode: str) -> None:
    assert set(result) == {
        "session_id", "flow", "mode", "turns", "artifact", "markdown", "action_items", "notices"
    }  # fmt: skip
    assert result["flow"] == flow and result["mode"] == mode
    assert isinstance(result["session_id"], str) and result["session_id"]
    for turn in result["turns"]:
        assert set(turn) == {"role", "content", "sources"}
        assert turn["role"] in ("assistant", "user")
        assert all(set(source) == {"source", "title"} for source in turn["sources"])
    assert set(result["artifact"]) == {"title", "sections"}
    for section in result["artifact"]["sections"]:
        assert set(section) == {"heading", "items"}
        assert all(isinstance(item, str) for item in section["items"])
    assert result["markdown"].startswith(f"# {result['artifact']['title']}\n")
    for item in result["action_items"]:
        assert set(item) == {"id", "text", "due"}
    assert all(isinstance(notice, str) for notice in result["notices"])


@pytest.mark.parametrize("flow", list(FLOW_ANSWERS))
def test_each_flow_runs_headless_in_guide_mode(flow, knowledge_home, tmp_path, capsys) -> None:
    answers = write_input(tmp_path / "turns.txt", FLOW_ANSWERS[flow])
    result = chat_json(capsys, flow, "--input", str(answers), "--offline")
    assert_design_shape(result, flow, "guide")
    user_turns = [t["content"] for t in result["turns"] if t["role"] == "user"]
    assert user_turns == [a for a in FLOW_ANSWERS[flow] if not a.startswith("/")]
    assistant = [t for t in result["turns"] if t["role"] == "assistant"]
    # The coach cites its guidance; the simulated mentee (practice) speaks under its name
    # and cites nothing.
    persona = [t for t in assistant if t["content"].startswith("Priya: ")]
    assert len(persona) == (4 if flow == "practice" else 0)
    assert all(not turn["sources"] for turn in persona)
    assert all(turn["sources"] for turn in assistant if turn not in persona)
    assert any(section["items"] for section in result["artifact"]["sections"])
    with Journal(load_settings().journal_path) as journal:
        assert journal.artifact(result["session_id"]).markdown == result["markdown"]


@pytest.mark.parametrize("flow", list(FLOW_ANSWERS))
def test_each_flow_runs_headless_in_model_mode(
    flow, model_env: ScriptedOpenAI, knowledge_home, tmp_path, capsys
) -> None:
    def responder(request: RecordedRequest) -> Reply:
        if request.body.get("stream"):
            return Reply(text=MODEL_REPLY)
        return Reply(text="Not JSON at all, sorry.")

    model_env.responder = responder
    answers = write_input(tmp_path / "turns.txt", FLOW_ANSWERS[flow])
    result = chat_json(capsys, flow, "--input", str(answers))
    assert_design_shape(result, flow, "model")
    settings = load_settings()
    budget = prompt_budget(settings.context_window, settings.reply_reserve)
    streamed = [r for r in model_env.chat_requests() if r.body.get("stream")]
    assert streamed
    words = [a for a in FLOW_ANSWERS[flow] if not a.startswith("/")]
    sent_user_words = "\n".join(
        m["content"]
        for r in model_env.chat_requests()
        for m in r.body["messages"]
        if m["role"] == "user"
    )
    for request in streamed:
        messages = request.body["messages"]
        assert messages[0]["role"] == "system" and messages[0]["content"]
        assert tokens.count_message_tokens(messages) <= budget
    # Every answer of the mentee (or mentor, in practice) reached the model.
    for answer in words[1:] if flow == "practice" else words:
        assert answer in sent_user_words, answer
    if flow != "practice":
        # Every reply was the model's, grounded in the passages numbered in its request.
        model_turns = [t for t in result["turns"] if t["role"] == "assistant"]
        assert len(model_turns) == len(streamed)
        for request, turn in zip(streamed, model_turns, strict=True):
            assert turn["content"].startswith(MODEL_REPLY) and turn["sources"]
            references = request.body["messages"][0]["content"].split(REFERENCE_HEADER)[1]
            for number, source in enumerate(turn["sources"], start=1):
                assert f"[{number}] {source['title']} (source: {source['source']}" in references
        # The JSON draft was prose: the artifact is complete anyway, and the user is told.
        assert result["notices"][-1] == (
            "The model's draft was not usable; the artifact was compiled from your answers."
        )


def test_plain_output_shows_the_conversation_and_the_artifact(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = write_input(tmp_path / "turns.txt", FLOW_ANSWERS["debrief"])
    assert main(["chat", "debrief", "--input", str(answers)]) == 0
    out = capsys.readouterr().out
    assert "\nReflect: From the guide [1] " in out
    assert "\nWhat did you and your mentor discuss?" in out
    assert f"\nYou: {FLOW_ANSWERS['debrief'][0]}\n" in out
    assert "  [1] " in out
    assert "# Reflection on the meeting with my mentor" in out
    assert "- [ ] Send the revised doc to Maria by Friday (due " in out


def test_unknown_flow_is_one_line_listing_the_flows(capsys) -> None:
    assert main(["chat", "plan"]) == 2
    err = capsys.readouterr().err
    assert err == ("reflect: unknown flow 'plan'; choose one of: prepare, ask, debrief, practice\n")


def test_an_unreadable_input_file_is_one_line(tmp_path, capsys) -> None:
    assert main(["chat", "ask", "--input", str(tmp_path / "missing.txt")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("reflect: cannot read ") and err.count("\n") == 1


def test_a_model_error_falls_back_to_guide_mode_and_still_exits_0(
    model_env: ScriptedOpenAI, knowledge_home, tmp_path, capsys
) -> None:
    model_env.default = Reply(status=401)
    answers = write_input(tmp_path / "turns.txt", FLOW_ANSWERS["prepare"])
    result = chat_json(capsys, "prepare", "--input", str(answers))
    assert result["mode"] == "guide"
    assert "rejected the API key (401)" in result["notices"][0]
    assert "Continuing in guide mode; your answers are kept." in result["notices"]
    sections = {s["heading"]: s["items"] for s in result["artifact"]["sections"]}
    assert sections["Goal of the meeting"] == [FLOW_ANSWERS["prepare"][0]]


def recorded_roles(journal_path: Path) -> list[str]:
    """The roles of the turns recorded so far, read without writing (no migration race)."""
    if not journal_path.exists():
        return []
    try:
        with sqlite3.connect(f"file:{journal_path}?mode=ro", uri=True) as db:
            return [row[0] for row in db.execute("SELECT role FROM turns ORDER BY id")]
    except sqlite3.Error:
        return []  # not created yet


def test_a_session_killed_mid_flow_resumes_at_its_step_with_every_answer(
    knowledge_home, tmp_path
) -> None:
    answers = FLOW_ANSWERS["prepare"]
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "chat", "prepare", "--offline"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ.copy(),
    )
    assert process.stdin is not None
    process.stdin.write(f"{answers[0]}\n---\n{answers[1]}\n---\n".encode())
    process.stdin.flush()
    journal_path = load_settings().journal_path
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        roles = recorded_roles(journal_path)
        if roles.count("user") == 2 and roles[-1] == "assistant":
            break
        time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("the chat never recorded the second answer")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    settings, journal, knowledge = open_parts()
    try:
        engine = Engine(settings, journal, knowledge)
        (session,) = journal.list_sessions()
        events = asyncio.run(collect(engine.resume(session.id)))
        assert of_type(events, StepChanged)[-1].index == 2
        assert engine.state.answers == {"goal": [answers[0]], "updates": [answers[1]]}
        events = asyncio.run(collect(engine.send(answers[2])))
        events += asyncio.run(collect(engine.send(answers[3])))
        (artifact,) = of_type(events, ArtifactReady)
        sections = {s["heading"]: s["items"] for s in artifact.data["sections"]}
        assert sections["Goal of the meeting"] == [answers[0]]
        assert sections["Wins and updates since last time"] == [answers[1]]
        assert sections["Help to ask for"][0] == "Feedback on my promotion packet draft"
        assert journal.integrity_check() == "ok"
    finally:
        knowledge.close()
        journal.close()
