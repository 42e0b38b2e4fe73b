"""Every reply is bounded: max_tokens per purpose, stop sequences, time limits, a byte cap.

Against the scripted server, over real HTTP with the real openai client, so each fault is exact.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.conversation.model.client import Cut, ModelClient, ModelError
from assistant.conversation.model.limits import STOP_SEQUENCES, ReplyPurpose
from tests.support.conversation import FLOW_ANSWERS
from tests.support.model_client import MESSAGES, client_settings
from tests.support.openai_server import RecordedRequest, Reply, ScriptedOpenAI

SCHEMA = {"type": "object", "properties": {"title": {"type": "string"}}}
MEGABYTE = 1024 * 1024


async def reply_text(client: ModelClient, purpose: ReplyPurpose = ReplyPurpose.COACH) -> str:
    return "".join([delta async for delta in client.stream_reply(MESSAGES, purpose=purpose)])


async def test_each_purpose_sends_its_own_max_tokens_and_the_stop_sequences(
    scripted_openai: ScriptedOpenAI, tmp_path: Path
) -> None:
    settings = client_settings(
        tmp_path,
        scripted_openai.base_url,
        reply_tokens_coach=111,
        reply_tokens_persona=77,
        reply_tokens_draft=555,
        reply_tokens_rubric=333,
    )
    client = ModelClient(settings)
    scripted_openai.default = Reply(text='{"title": "x"}')
    await reply_text(client, ReplyPurpose.COACH)
    await reply_text(client, ReplyPurpose.PERSONA)
    await client.complete_json(MESSAGES, schema=SCHEMA, name="artifact")
    await client.complete_json(MESSAGES, schema=SCHEMA, name="rubric", purpose=ReplyPurpose.RUBRIC)
    await client.aclose()

    bodies = [request.body or {} for request in scripted_openai.chat_requests()]
    assert [body["max_tokens"] for body in bodies] == [111, 77, 555, 333]
    assert all(body["stop"] == STOP_SEQUENCES for body in bodies)
    assert {"<start_of_turn>", "<end_of_turn>", "[INST]", "<|im_end|>"} <= set(STOP_SEQUENCES)


def test_reply_limits_come_from_config_and_environment(reflect_home: Path) -> None:
    reflect_home.mkdir(parents=True, exist_ok=True)
    (reflect_home / "config.toml").write_text(
        "[model]\nreply_tokens_coach = 64\nreply_time_limit = 30\nreply_byte_cap = 4096\n"
        'json_format = "json_object_schema"\n',
        encoding="utf-8",
    )
    settings = load_settings(
        {"REFLECT_HOME": str(reflect_home), "REFLECT_REPLY_TOKENS_DRAFT": "200"}
    )

    assert settings.reply_tokens_coach == 64 and settings.reply_tokens_draft == 200
    assert settings.reply_time_limit == 30 and settings.reply_byte_cap == 4096
    assert settings.json_format == "json_object_schema"


async def test_a_reply_that_drips_one_byte_a_second_ends_within_the_time_limit(
    scripted_openai: ScriptedOpenAI, tmp_path: Path
) -> None:
    scripted_openai.queue(Reply(chunks=["a"] * 600, chunk_delay=1.0))
    client = ModelClient(
        client_settings(tmp_path, scripted_openai.base_url, timeout=30, reply_time_limit=3)
    )

    started = time.monotonic()
    text = await reply_text(client)
    took = time.monotonic() - started
    await client.aclose()

    assert took < 6  # the limit, plus what a loaded machine adds
    assert 1 <= len(text) <= 4  # what arrived is kept
    assert client.last_reply is not None and client.last_reply.cut is Cut.TIME


async def test_no_first_text_within_its_limit_is_a_timeout(
    scripted_openai: ScriptedOpenAI, tmp_path: Path
) -> None:
    scripted_openai.queue(Reply(text="Too late.", delay=20))
    client = ModelClient(
        client_settings(tmp_path, scripted_openai.base_url, timeout=30, first_token_timeout=1)
    )

    started = time.monotonic()
    with pytest.raises(ModelError) as excinfo:
        await reply_text(client)
    await client.aclose()

    assert time.monotonic() - started < 5
    assert excinfo.value.kind == "timeout" and excinfo.value.retryable
    assert str(excinfo.value) == (
        f"The model endpoint at {scripted_openai.base_url} sent no reply within 1 s."
    )


async def test_a_50_megabyte_stream_keeps_only_the_byte_cap(
    scripted_openai: ScriptedOpenAI, tmp_path: Path
) -> None:
    scripted_openai.queue(Reply(chunks=["word " * (MEGABYTE // 5)] * 50))
    client = ModelClient(client_settings(tmp_path, scripted_openai.base_url, reply_byte_cap=8192))

    text = await reply_text(client)
    await client.aclose()

    assert len(text.encode()) == 8192
    assert client.last_reply is not None and client.last_reply.cut is Cut.BYTES
    # The server was cut off: it did not get to send the other 49 megabytes.
    assert len(scripted_openai.chat_requests()) == 1


async def test_a_50_megabyte_body_instead_of_a_stream_is_refused_unread(
    scripted_openai: ScriptedOpenAI, tmp_path: Path
) -> None:
    scripted_openai.queue(Reply(text="x" * (50 * MEGABYTE), ignore_stream=True))
    client = ModelClient(client_settings(tmp_path, scripted_openai.base_url, reply_byte_cap=8192))

    with pytest.raises(ModelError) as excinfo:
        await reply_text(client)
    await client.aclose()

    assert excinfo.value.kind == "bad_reply"
    assert "larger than" in str(excinfo.value)


async def test_a_json_draft_larger_than_its_bound_is_refused(
    scripted_openai: ScriptedOpenAI, tmp_path: Path
) -> None:
    scripted_openai.queue(Reply(text='{"title": "' + "x" * (50 * MEGABYTE) + '"}'))
    client = ModelClient(client_settings(tmp_path, scripted_openai.base_url, reply_byte_cap=8192))

    with pytest.raises(ModelError) as excinfo:
        await client.complete_json(MESSAGES, schema=SCHEMA, name="artifact")
    await client.aclose()

    assert excinfo.value.kind == "bad_reply"


async def test_a_reply_cut_at_max_tokens_is_marked_as_cut(
    scripted_openai: ScriptedOpenAI, tmp_path: Path
) -> None:
    scripted_openai.queue(Reply(text="A reply that ran to its", finish_reason="length"))
    client = ModelClient(client_settings(tmp_path, scripted_openai.base_url))

    assert await reply_text(client) == "A reply that ran to its"
    await client.aclose()

    assert client.last_reply is not None and client.last_reply.cut is Cut.LENGTH
    assert client.last_reply.tokens is not None


async def test_llama_cpp_refusing_json_schema_with_a_500_is_asked_its_own_way(
    scripted_openai: ScriptedOpenAI, tmp_path: Path
) -> None:
    """llama-cpp-python answers ``json_schema`` with a 500 naming ``response_format``."""

    def llama_like(request: RecordedRequest) -> Reply:
        response_format = (request.body or {}).get("response_format") or {}
        if response_format.get("type") == "json_schema":
            return Reply(
                status=500,
                error_message="1 validation error: body.response_format.type: Input should "
                "be 'text' or 'json_object'",
            )
        assert response_format == {"type": "json_object", "schema": SCHEMA}
        return Reply(text='{"title": "Agenda"}')

    scripted_openai.responder = llama_like
    client = ModelClient(client_settings(tmp_path, scripted_openai.base_url))

    assert await client.complete_json(MESSAGES, schema=SCHEMA, name="artifact") == (
        '{"title": "Agenda"}'
    )
    await client.aclose()
    # Not retried as a server error: refused once, then asked with the schema in json_object.
    assert len(scripted_openai.chat_requests()) == 2


def test_headless_chat_with_a_dripping_model_ends_within_the_limits(
    model_env: ScriptedOpenAI, knowledge_home: Path, tmp_path: Path
) -> None:
    def drip(request: RecordedRequest) -> Reply:
        if (request.body or {}).get("stream"):
            return Reply(chunks=["What "] + ["a"] * 100, chunk_delay=1.0)
        return Reply(text="{}", delay=100)

    model_env.responder = drip
    answers = tmp_path / "turns.txt"
    answers.write_text("\n---\n".join(FLOW_ANSWERS["ask"][:1]) + "\n", encoding="utf-8")
    limit = 3
    env_limits = {"REFLECT_REPLY_TIME_LIMIT": str(limit), "REFLECT_FIRST_TOKEN_TIMEOUT": "2"}

    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "chat", "ask", "--json", "--input", str(answers)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env_limits},
    )
    took = time.monotonic() - started

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    replies = [turn for turn in result["turns"] if turn["role"] == "assistant"]
    # Two streamed turns and one draft, each stopped by its limit, plus start-up.
    assert took < 3 * limit + 30
    assert replies and all(turn["content"] for turn in replies)
    assert any("ran on past its length limit" in notice for notice in result["notices"])
    assert result["artifact"]["sections"]  # compiled by guide mode when the draft timed out


def test_a_looping_reply_is_stopped_kept_in_part_given_its_question_and_told_once(
    model_env: ScriptedOpenAI, knowledge_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    loop = "Thanks for sharing. " + "I am your mentor and I am here. " * 200

    def looping(request: RecordedRequest) -> Reply:
        if (request.body or {}).get("stream"):
            return Reply(text=loop)
        return Reply(text="{}")

    model_env.responder = looping
    answers = tmp_path / "turns.txt"
    answers.write_text(FLOW_ANSWERS["prepare"][0] + "\n", encoding="utf-8")

    from assistant.cli import main
    from assistant.conversation.core.flows import load_flow

    assert main(["chat", "prepare", "--json", "--input", str(answers)]) == 0
    result = json.loads(capsys.readouterr().out)

    second_step = load_flow("prepare").steps[1]
    replies = [turn["content"] for turn in result["turns"] if turn["role"] == "assistant"]
    model_reply = replies[1]  # the reply to the first answer, asking the second step
    assert model_reply == (
        f"Thanks for sharing. I am your mentor and I am here.\n\n{second_step.question}"
    )
    # One notice per looping reply, saying both what was stopped and what was added.
    about_the_loop = [notice for notice in result["notices"] if "repeating itself" in notice]
    assert about_the_loop == [
        "The model's reply was stopped because it began repeating itself; "
        "it asked no question, so this step's question was added."
    ] * len(replies)
