"""The scripted OpenAI server, driven by the real ``openai`` client over real HTTP."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from typing import Any

import openai
import pytest
import pytest_asyncio
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from tests.support.openai_server import RecordedRequest, Reply, ScriptedOpenAI

MESSAGES = [
    {"role": "system", "content": "You are a helpful mentor."},
    {"role": "user", "content": "How do I start?"},
]


@pytest.fixture
def scripted_openai() -> Iterator[ScriptedOpenAI]:
    with ScriptedOpenAI() as server:
        yield server


def make_client(server: ScriptedOpenAI, **options: Any) -> openai.OpenAI:
    options.setdefault("max_retries", 0)
    return openai.OpenAI(base_url=server.base_url, api_key="sk-test", **options)


@pytest.fixture
def client(scripted_openai: ScriptedOpenAI) -> Iterator[openai.OpenAI]:
    with make_client(scripted_openai) as client:
        yield client


@pytest_asyncio.fixture
async def async_client(scripted_openai: ScriptedOpenAI) -> AsyncIterator[openai.AsyncOpenAI]:
    async with openai.AsyncOpenAI(
        base_url=scripted_openai.base_url, api_key="sk-test", max_retries=0
    ) as client:
        yield client


def chat(client: openai.OpenAI) -> ChatCompletion:
    return client.chat.completions.create(model="test-model", messages=MESSAGES)


def open_stream(client: openai.OpenAI, **kwargs: Any) -> openai.Stream[ChatCompletionChunk]:
    return client.chat.completions.create(
        model="test-model", messages=MESSAGES, stream=True, **kwargs
    )


def stream_chunks(client: openai.OpenAI, **kwargs: Any) -> list[ChatCompletionChunk]:
    return list(open_stream(client, **kwargs))


def joined(chunks: list[ChatCompletionChunk]) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def finish_reasons(chunks: list[ChatCompletionChunk]) -> list[str]:
    return [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]


def http_get(url: str) -> tuple[int, dict[str, Any]]:
    """GET ``url`` outside the openai client, for paths the client has no method for."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.load(error)


def test_base_url_and_port(scripted_openai: ScriptedOpenAI) -> None:
    assert scripted_openai.base_url == f"http://127.0.0.1:{scripted_openai.port}/v1"


def test_models_list(client: openai.OpenAI) -> None:
    assert [m.id for m in client.models.list()] == ["test-model"]


def test_custom_models() -> None:
    with ScriptedOpenAI(models=["a", "b"]) as server, make_client(server) as client:
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
    assert completion.usage.prompt_tokens == 9  # words in MESSAGES
    assert completion.usage.completion_tokens == 5
    assert completion.usage.total_tokens == 14


def test_queue_then_default(scripted_openai: ScriptedOpenAI, client: openai.OpenAI) -> None:
    scripted_openai.queue(Reply(text="first"), Reply(text="second", finish_reason="length"))

    answers = [chat(client).choices[0] for _ in range(3)]

    assert [(a.message.content, a.finish_reason) for a in answers] == [
        ("first", "stop"),
        ("second", "length"),
        ("OK", "stop"),
    ]


def test_responder_after_queue(scripted_openai: ScriptedOpenAI, client: openai.OpenAI) -> None:
    def echo(request: RecordedRequest) -> Reply:
        assert request.body is not None
        return Reply(text="echo: " + request.body["messages"][-1]["content"])

    scripted_openai.responder = echo
    scripted_openai.queue(Reply(text="queued"))

    assert chat(client).choices[0].message.content == "queued"
    assert chat(client).choices[0].message.content == "echo: How do I start?"


def test_failing_responder_gives_500(
    scripted_openai: ScriptedOpenAI, client: openai.OpenAI
) -> None:
    def broken(request: RecordedRequest) -> Reply:
        raise LookupError("no answer scripted")

    scripted_openai.responder = broken
    with pytest.raises(openai.InternalServerError, match="no answer scripted"):
        chat(client)


def test_streaming_deltas_join_to_text(
    scripted_openai: ScriptedOpenAI, client: openai.OpenAI
) -> None:
    text = "Ask one open question,\nthen  listen. "
    scripted_openai.queue(Reply(text=text))

    chunks = stream_chunks(client)

    assert chunks[0].choices[0].delta.role == "assistant"
    assert len(chunks) > 5  # role, word-sized pieces, finish
    assert joined(chunks) == text
    assert finish_reasons(chunks) == ["stop"]
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.usage is None for c in chunks)


def test_streaming_usage_chunk(scripted_openai: ScriptedOpenAI, client: openai.OpenAI) -> None:
    scripted_openai.queue(Reply(text="three little words"))

    chunks = stream_chunks(client, stream_options={"include_usage": True})

    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens == 3
    assert joined(chunks) == "three little words"


def test_explicit_chunks_arrive_incrementally(
    scripted_openai: ScriptedOpenAI, client: openai.OpenAI
) -> None:
    scripted_openai.queue(Reply(chunks=["Hel", "lo", "!"], chunk_delay=0.05))

    arrivals: list[tuple[float, str]] = []
    for chunk in open_stream(client):
        if chunk.choices and chunk.choices[0].delta.content:
            arrivals.append((time.monotonic(), chunk.choices[0].delta.content))

    assert [piece for _, piece in arrivals] == ["Hel", "lo", "!"]
    assert arrivals[-1][0] - arrivals[0][0] >= 0.09  # not buffered until the end


def test_requests_are_recorded(scripted_openai: ScriptedOpenAI, client: openai.OpenAI) -> None:
    client.models.list()
    chat(client)
    stream_chunks(client)

    assert [(r.method, r.path) for r in scripted_openai.requests] == [
        ("GET", "/v1/models"),
        ("POST", "/v1/chat/completions"),
        ("POST", "/v1/chat/completions"),
    ]
    plain, streamed = scripted_openai.chat_requests()
    assert plain.headers["authorization"] == "Bearer sk-test"
    assert plain.headers["content-type"] == "application/json"
    assert plain.body is not None and streamed.body is not None
    assert plain.body["messages"] == MESSAGES
    assert plain.body["model"] == "test-model"
    assert "stream" not in plain.body
    assert streamed.body["stream"] is True


def test_unauthorized(scripted_openai: ScriptedOpenAI, client: openai.OpenAI) -> None:
    scripted_openai.queue(Reply(status=401, error_message="Incorrect API key provided: sk-test"))
    with pytest.raises(openai.AuthenticationError) as excinfo:
        chat(client)
    assert excinfo.value.status_code == 401
    assert excinfo.value.message == "Error code: 401 - Incorrect API key provided: sk-test"
    assert excinfo.value.code == "invalid_api_key"
    assert excinfo.value.type == "invalid_request_error"


def test_rate_limit_then_success_with_retry(scripted_openai: ScriptedOpenAI) -> None:
    scripted_openai.queue(Reply(status=429, headers={"Retry-After": "0.2"}), Reply(text="done"))

    started = time.monotonic()
    with make_client(scripted_openai, max_retries=1) as client:
        completion = chat(client)

    assert completion.choices[0].message.content == "done"
    assert time.monotonic() - started >= 0.2  # the client honoured Retry-After
    assert len(scripted_openai.chat_requests()) == 2


def test_rate_limit_without_retries(scripted_openai: ScriptedOpenAI, client: openai.OpenAI) -> None:
    scripted_openai.queue(Reply(status=429, headers={"Retry-After": "1"}))
    with pytest.raises(openai.RateLimitError) as excinfo:
        chat(client)
    assert excinfo.value.response.headers["retry-after"] == "1"
    assert excinfo.value.code == "rate_limit_exceeded"


def test_server_error(scripted_openai: ScriptedOpenAI, client: openai.OpenAI) -> None:
    scripted_openai.queue(Reply(status=500))
    with pytest.raises(openai.InternalServerError) as excinfo:
        open_stream(client)
    assert excinfo.value.status_code == 500
    assert excinfo.value.type == "server_error"


def test_delay_beyond_client_timeout(scripted_openai: ScriptedOpenAI) -> None:
    scripted_openai.queue(Reply(delay=5))
    with make_client(scripted_openai, timeout=0.2) as client, pytest.raises(openai.APITimeoutError):
        chat(client)


def test_cut_stream_raises_connection_error(
    scripted_openai: ScriptedOpenAI, client: openai.OpenAI
) -> None:
    """The stream is chunked, so an abrupt close is a truncated body, not a clean end."""
    scripted_openai.queue(Reply(text="one two three four", cut_after=2))

    received: list[str] = []
    with pytest.raises(openai.APIConnectionError):
        for chunk in open_stream(client):
            received.append(chunk.choices[0].delta.content or "")

    assert "".join(received) == "one two"


def test_malformed_stream_raises(scripted_openai: ScriptedOpenAI, client: openai.OpenAI) -> None:
    """The client does not wrap a bad SSE payload: it raises the JSON decoding error."""
    scripted_openai.queue(Reply(text="one two three four", malformed=True))

    received: list[str] = []
    with pytest.raises(json.JSONDecodeError):
        for chunk in open_stream(client):
            received.append(chunk.choices[0].delta.content or "")

    assert "".join(received) == "one two"


def test_malformed_body_raises(scripted_openai: ScriptedOpenAI, client: openai.OpenAI) -> None:
    scripted_openai.queue(Reply(malformed=True))
    with pytest.raises(json.JSONDecodeError):
        chat(client)


def test_ignore_stream(scripted_openai: ScriptedOpenAI, client: openai.OpenAI) -> None:
    """A JSON body where SSE was asked for: the client's stream yields nothing, silently."""
    scripted_openai.queue(Reply(text="not streamed", ignore_stream=True))

    with open_stream(client) as stream:
        assert stream.response.headers["content-type"] == "application/json"
        assert list(stream) == []


def test_empty_reply(scripted_openai: ScriptedOpenAI, client: openai.OpenAI) -> None:
    scripted_openai.queue(Reply(text="ignored", empty=True), Reply(text="ignored", empty=True))

    completion = chat(client)
    chunks = stream_chunks(client)

    assert completion.choices[0].message.content == ""
    assert completion.choices[0].finish_reason == "stop"
    assert joined(chunks) == ""
    assert finish_reasons(chunks) == ["stop"]


def test_raw_body(scripted_openai: ScriptedOpenAI, client: openai.OpenAI) -> None:
    scripted_openai.queue(Reply(raw_body='{"unexpected": true}', headers={"X-Test": "raw"}))

    response = client.chat.completions.with_raw_response.create(
        model="test-model", messages=MESSAGES
    )

    assert response.http_response.text == '{"unexpected": true}'
    assert response.headers["x-test"] == "raw"
    assert response.headers["content-type"] == "application/json"


def test_unknown_model(scripted_openai: ScriptedOpenAI, client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as excinfo:
        client.chat.completions.create(model="gpt-nope", messages=MESSAGES)
    assert excinfo.value.code == "model_not_found"
    assert excinfo.value.message == "Error code: 404 - The model `gpt-nope` does not exist"

    scripted_openai.queue(Reply(text="scripted wins"))
    completion = client.chat.completions.create(model="gpt-nope", messages=MESSAGES)
    assert completion.choices[0].message.content == "scripted wins"


def test_unknown_path(scripted_openai: ScriptedOpenAI) -> None:
    status, body = http_get(scripted_openai.base_url + "/nope")
    assert status == 404
    assert body["error"]["type"] == "invalid_request_error"
    assert scripted_openai.requests[-1].path == "/v1/nope"


def test_stop_does_not_wait_for_abandoned_stream(scripted_openai: ScriptedOpenAI) -> None:
    scripted_openai.queue(Reply(text="a b c d e f", chunk_delay=2))
    with make_client(scripted_openai) as client, open_stream(client) as stream:
        next(stream)  # role chunk; the server is now pausing between chunks

    started = time.monotonic()
    scripted_openai.stop()
    assert time.monotonic() - started < 1


@pytest.mark.asyncio
async def test_async_streaming(
    scripted_openai: ScriptedOpenAI, async_client: openai.AsyncOpenAI
) -> None:
    scripted_openai.queue(Reply(text="Keep a short note of each meeting."))

    stream = await async_client.chat.completions.create(
        model="test-model", messages=MESSAGES, stream=True
    )
    pieces = [c.choices[0].delta.content or "" async for c in stream if c.choices]

    assert "".join(pieces) == "Keep a short note of each meeting."


@pytest.mark.asyncio
async def test_async_cut_stream(
    scripted_openai: ScriptedOpenAI, async_client: openai.AsyncOpenAI
) -> None:
    scripted_openai.queue(Reply(text="one two three", cut_after=1))

    stream = await async_client.chat.completions.create(
        model="test-model", messages=MESSAGES, stream=True
    )
    with pytest.raises(openai.APIConnectionError):
        async for _ in stream:
            pass
