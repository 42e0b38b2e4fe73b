"""The scripted OpenAI server, driven by the real ``openai`` client over real HTTP."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import openai
import pytest

from tests.support.openai_server import RecordedRequest, Reply, ScriptedOpenAI

MESSAGES = [
    {"role": "system", "content": "You are a helpful mentor."},
    {"role": "user", "content": "How do I start?"},
]


@pytest.fixture
def scripted_openai() -> Iterator[ScriptedOpenAI]:
    with ScriptedOpenAI() as server:
        yield server


@pytest.fixture
def client(scripted_openai: ScriptedOpenAI) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(
        base_url=scripted_openai.base_url, api_key="sk-test", max_retries=0
    ) as client:
        yield client


def chat(client: openai.OpenAI, **kwargs: object) -> openai.types.chat.ChatCompletion:
    return client.chat.completions.create(model="test-model", messages=MESSAGES, **kwargs)


def stream_chunks(
    client: openai.OpenAI, **kwargs: object
) -> list[openai.types.chat.ChatCompletionChunk]:
    stream = client.chat.completions.create(
        model="test-model", messages=MESSAGES, stream=True, **kwargs
    )
    return list(stream)


def joined(chunks: list[openai.types.chat.ChatCompletionChunk]) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def finish_reasons(chunks: list[openai.types.chat.ChatCompletionChunk]) -> list[str]:
    return [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]


def test_base_url_and_port(scripted_openai: ScriptedOpenAI) -> None:
    assert scripted_openai.base_url == f"http://127.0.0.1:{scripted_openai.port}/v1"


def test_models_list(client: openai.OpenAI) -> None:
    assert [m.id for m in client.models.list()] == ["test-model"]


def test_custom_models() -> None:
    with ScriptedOpenAI(models=["a", "b"]) as server:
        with openai.OpenAI(base_url=server.base_url, api_key="sk-test", max_retries=0) as client:
            models = client.models.list().data
    assert [(m.id, m.owned_by) for m in models] == [("a", "test"), ("b", "test")]


def test_models_rejected_key(scripted_openai: ScriptedOpenAI, client: openai.OpenAI) -> None:
    scripted_openai.models_status = 401
    with pytest.raises(openai.AuthenticationError) as excinfo:
        client.models.list()
    assert excinfo.value.code == "invalid_api_key"


def test_models_reply(scripted_openai: ScriptedOpenAI, client: openai.OpenAI) -> None:
    scripted_openai.models_reply = Reply(status=503, error_message="down for maintenance")
    with pytest.raises(openai.InternalServerError, match="down for maintenance"):
        client.models.list()


def test_non_streaming_reply_and_usage(
    scripted_openai: ScriptedOpenAI, client: openai.OpenAI
) -> None:
    scripted_openai.queue(Reply(text="Start with one small goal."))

    completion = chat(client)

    assert completion.object == "chat.completion"
    assert completion.model == "test-model"
    choice = completion.choices[0]
    assert choice.message.role == "assistant"
    assert choice.message.content == "Start with one small goal."
    assert choice.finish_reason == "stop"
    assert completion.usage is not None
    assert completion.usage.prompt_tokens == 8  # words in MESSAGES
    assert completion.usage.completion_tokens == 5
    assert completion.usage.total_tokens == 13


def test_default_reply_when_queue_is_empty(client: openai.OpenAI) -> None:
    assert chat(client).choices[0].message.content == "OK"


def test_queue_is_consumed_in_order(scripted_openai: ScriptedOpenAI, client: openai.OpenAI) -> None:
    scripted_openai.queue(Reply(text="first"), Reply(text="second", finish_reason="length"))
    scripted_openai.default = Reply(text="fallback")

    answers = [chat(client).choices[0] for _ in range(3)]

    assert [(a.message.content, a.finish_reason) for a in answers] == [
        ("first", "stop"),
        ("second", "length"),
        ("fallback", "stop"),
    ]


def test_responder_sees_the_request(scripted_openai: ScriptedOpenAI, client: openai.OpenAI) -> None:
    def echo(request: RecordedRequest) -> Reply:
        assert request.body is not None
        return Reply(text="echo: " + request.body["messages"][-1]["content"])

    scripted_openai.responder = echo
    scripted_openai.queue(Reply(text="queued first"))

    assert chat(client).choices[0].message.content == "queued first"
    assert chat(client).choices[0].message.content == "echo: How do I start?"


def test_streaming_deltas_join_to_text(client: openai.OpenAI) -> None:
    chunks = stream_chunks(client)  # default reply
    assert joined(chunks) == "OK"

    text = "Ask one open question,\nthen  listen. "
    scripted_openai_reply = Reply(text=text)
    server_client_chunks = _stream_with(client, scripted_openai_reply)
    contents = [c.choices[0].delta.content for c in server_client_chunks if c.choices]
    assert server_client_chunks[0].choices[0].delta.role == "assistant"
    assert len(contents) > 3  # word-sized pieces, not one block
    assert joined(server_client_chunks) == text
    assert finish_reasons(server_client_chunks) == ["stop"]
    assert all(c.usage is None for c in server_client_chunks)


def _stream_with(client: openai.OpenAI, reply: Reply) -> list[openai.types.chat.ChatCompletionChunk]:
    server = _server_of(client)
    server.queue(reply)
    return stream_chunks(client)


def _server_of(client: openai.OpenAI) -> ScriptedOpenAI:
    return SERVERS[str(client.base_url)]


SERVERS: dict[str, ScriptedOpenAI] = {}
