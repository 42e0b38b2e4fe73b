"""The model client against the scripted server, over real HTTP with the real openai client."""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import json
import time
import traceback
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from assistant.conversation.model.client import ModelClient, ModelError, Usage
from tests.support.model_client import (
    MESSAGES,
    client_settings,
    closed_port_url,
    collect,
    partial_and_error,
    wait_until_handlers_done,
)
from tests.support.openai_server import RecordedRequest, Reply, ScriptedOpenAI

FAKE_KEY = "sk-test-FAKE-KEY-0123456789abcdef"
SCHEMA = {
    "type": "object",
    "properties": {"title": {"type": "string"}},
    "required": ["title"],
}


@pytest_asyncio.fixture
async def client(scripted_openai: ScriptedOpenAI, tmp_path: Path) -> AsyncIterator[ModelClient]:
    model_client = ModelClient(client_settings(tmp_path, scripted_openai.base_url))
    yield model_client
    await model_client.aclose()


async def failure(client: ModelClient) -> ModelError:
    with pytest.raises(ModelError) as excinfo:
        await collect(client)
    return excinfo.value


# --- streaming ------------------------------------------------------------------------------


async def test_streamed_deltas_join_to_the_reply(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    text = "What would make Friday's meeting worth your time?\nTell me in your own words."
    scripted_openai.queue(Reply(text=text))

    deltas = await collect(client)

    assert len(deltas) > 5
    assert "".join(deltas) == text
    (request,) = scripted_openai.chat_requests()
    assert request.body is not None
    assert request.body["stream"] is True
    assert request.body["stream_options"] == {"include_usage": True}
    assert request.body["model"] == "test-model"
    assert request.body["messages"] == MESSAGES
    assert request.headers["authorization"] == f"Bearer {FAKE_KEY}"


async def test_usage_from_the_api_is_kept(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    scripted_openai.queue(Reply(text="three little words"))

    await collect(client)

    # The scripted server counts words: 13 in MESSAGES, 3 in the reply.
    assert client.last_usage == Usage(prompt_tokens=13, completion_tokens=3)


async def test_temperature_comes_from_settings_unless_given(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    await collect(client)
    [delta async for delta in client.stream_reply(MESSAGES, temperature=0.9)]

    first, second = scripted_openai.chat_requests()
    assert first.body is not None and second.body is not None
    assert first.body["temperature"] == client.settings.temperature
    assert second.body["temperature"] == 0.9


async def test_endpoint_refusing_stream_options_is_asked_again_without_them(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    def no_stream_options(request: RecordedRequest) -> Reply:
        assert request.body is not None
        if "stream_options" in request.body:
            return Reply(status=400, error_message="Unrecognized request argument: stream_options")
        return Reply(text="Streaming without usage.")

    scripted_openai.responder = no_stream_options

    assert "".join(await collect(client)) == "Streaming without usage."
    assert "".join(await collect(client)) == "Streaming without usage."

    bodies = [r.body or {} for r in scripted_openai.chat_requests()]
    assert ["stream_options" in body for body in bodies] == [True, False, False]
    assert client.last_usage is None


async def test_server_ignoring_stream_true_still_gives_the_whole_text(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    scripted_openai.queue(Reply(text="One JSON body instead of a stream.", ignore_stream=True))

    deltas = await collect(client)

    assert deltas == ["One JSON body instead of a stream."]
    assert client.last_usage == Usage(prompt_tokens=13, completion_tokens=7)


# --- retries --------------------------------------------------------------------------------


async def test_rate_limit_waits_for_retry_after_then_succeeds(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    scripted_openai.queue(Reply(status=429, headers={"Retry-After": "1"}), Reply(text="Ready."))

    started = time.monotonic()
    deltas = await collect(client)
    waited = time.monotonic() - started

    assert "".join(deltas) == "Ready."
    assert len(scripted_openai.chat_requests()) == 2
    assert waited >= 0.95


async def test_retry_after_as_an_http_date_is_honoured(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    when = email.utils.formatdate(time.time() + 2, usegmt=True)
    scripted_openai.queue(Reply(status=429, headers={"Retry-After": when}), Reply(text="Ready."))

    started = time.monotonic()
    assert "".join(await collect(client)) == "Ready."

    # An HTTP date has one-second resolution: the wait is between one and two seconds.
    assert time.monotonic() - started >= 0.9
    assert len(scripted_openai.chat_requests()) == 2


async def test_retry_after_beyond_the_cap_is_not_waited_for(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    scripted_openai.queue(Reply(status=429, headers={"Retry-After": "3600"}))

    started = time.monotonic()
    error = await failure(client)

    assert time.monotonic() - started < 5
    assert error.kind == "rate_limited"
    assert error.retryable
    assert "rate limiting" in str(error)
    assert len(scripted_openai.chat_requests()) == 1


async def test_server_errors_are_retried_max_retries_times(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    scripted_openai.queue(Reply(status=500), Reply(status=500), Reply(status=500))

    error = await failure(client)

    assert len(scripted_openai.chat_requests()) == 1 + client.settings.max_retries
    assert error.kind == "server"
    assert error.retryable
    assert str(error) == f"The endpoint at {scripted_openai.base_url} answered with an error (500)."


async def test_a_503_then_success(scripted_openai: ScriptedOpenAI, client: ModelClient) -> None:
    scripted_openai.queue(Reply(status=503), Reply(text="Back again."))

    assert "".join(await collect(client)) == "Back again."
    assert len(scripted_openai.chat_requests()) == 2


async def test_no_retries_when_max_retries_is_zero(
    scripted_openai: ScriptedOpenAI, tmp_path: Path
) -> None:
    scripted_openai.queue(Reply(status=500))
    client = ModelClient(client_settings(tmp_path, scripted_openai.base_url, max_retries=0))

    with pytest.raises(ModelError):
        await collect(client)
    await client.aclose()

    assert len(scripted_openai.chat_requests()) == 1


# --- errors that are never retried ----------------------------------------------------------


async def test_rejected_key(scripted_openai: ScriptedOpenAI, client: ModelClient) -> None:
    scripted_openai.queue(
        Reply(status=401, error_message=f"Incorrect API key provided: {FAKE_KEY}")
    )

    error = await failure(client)

    assert error.kind == "auth"
    assert not error.retryable
    assert str(error) == (
        f"The endpoint at {scripted_openai.base_url} rejected the API key (401); "
        "check OPENAI_API_KEY."
    )
    assert len(scripted_openai.chat_requests()) == 1


async def test_a_traceback_of_the_error_does_not_carry_an_echoed_key(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    scripted_openai.queue(
        Reply(status=401, error_message=f"Incorrect API key provided: {FAKE_KEY}")
    )

    error = await failure(client)

    assert FAKE_KEY not in "".join(traceback.format_exception(error))


async def test_exhausted_quota_is_not_retried(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    body = {
        "error": {
            "message": "You exceeded your current quota.",
            "type": "insufficient_quota",
            "param": None,
            "code": "insufficient_quota",
        }
    }
    scripted_openai.queue(Reply(status=429, raw_body=json.dumps(body)))

    error = await failure(client)

    assert error.kind == "rate_limited"
    assert not error.retryable
    assert "run out of quota (429)" in str(error)
    assert len(scripted_openai.chat_requests()) == 1


async def test_forbidden(scripted_openai: ScriptedOpenAI, client: ModelClient) -> None:
    scripted_openai.queue(Reply(status=403, error_message="Project does not have access."))

    error = await failure(client)

    assert error.kind == "forbidden"
    assert "refused access (403)" in str(error)
    assert len(scripted_openai.chat_requests()) == 1


async def test_model_not_served_names_the_served_models(
    scripted_openai: ScriptedOpenAI, tmp_path: Path
) -> None:
    scripted_openai.models = ["llama3.1:8b", "test-model"]
    client = ModelClient(client_settings(tmp_path, scripted_openai.base_url, model="gpt-nope"))

    with pytest.raises(ModelError) as excinfo:
        await collect(client)
    await client.aclose()

    assert excinfo.value.kind == "model_not_found"
    assert str(excinfo.value) == (
        f"The endpoint at {scripted_openai.base_url} does not serve the model 'gpt-nope'; "
        "it serves: llama3.1:8b, test-model. Set REFLECT_MODEL or [model] name."
    )
    assert len(scripted_openai.chat_requests()) == 1
    assert [r.path for r in scripted_openai.requests] == ["/v1/chat/completions", "/v1/models"]


async def test_wrong_base_url_is_told_apart_from_a_missing_model(
    scripted_openai: ScriptedOpenAI, tmp_path: Path
) -> None:
    scripted_openai.models_status = 404
    client = ModelClient(client_settings(tmp_path, scripted_openai.base_url, model="gpt-nope"))

    with pytest.raises(ModelError) as excinfo:
        await collect(client)
    await client.aclose()

    assert excinfo.value.kind == "model_not_found"
    assert "no OpenAI-compatible API at that address" in str(excinfo.value)
    assert "OPENAI_BASE_URL" in str(excinfo.value)


async def test_bad_request_quotes_the_server_without_the_key(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    message = f"This model's maximum context length is 8192 tokens (key {FAKE_KEY})."
    scripted_openai.responder = lambda request: Reply(status=400, error_message=message)

    error = await failure(client)

    assert error.kind == "bad_request"
    assert not error.retryable
    assert "refused the request (400): This model's maximum context length" in str(error)
    assert FAKE_KEY not in str(error)
    # Once with stream_options and once without: a 400 is never retried as such.
    assert len(scripted_openai.chat_requests()) == 2

    scripted_openai.responder = None
    assert "".join(await collect(client)) == "OK"
    # Both refused: stream_options were not the problem, so they are still sent.
    assert "stream_options" in (scripted_openai.chat_requests()[-1].body or {})


# --- endpoints that cannot be reached -------------------------------------------------------


async def test_connection_refused_names_the_url(tmp_path: Path) -> None:
    url = closed_port_url()
    client = ModelClient(client_settings(tmp_path, url, max_retries=1))

    with pytest.raises(ModelError) as excinfo:
        await collect(client)
    await client.aclose()

    assert excinfo.value.kind == "unreachable"
    assert excinfo.value.retryable
    assert str(excinfo.value) == f"Cannot reach the model endpoint at {url}; is the server running?"


async def test_unknown_host_names_the_url(tmp_path: Path) -> None:
    url = "http://nonexistent.invalid/v1"
    client = ModelClient(client_settings(tmp_path, url, max_retries=0))

    with pytest.raises(ModelError) as excinfo:
        await collect(client)
    await client.aclose()

    assert excinfo.value.kind == "unreachable"
    assert f"Cannot reach the model endpoint at {url}" in str(excinfo.value)


async def test_first_byte_slower_than_the_timeout(
    scripted_openai: ScriptedOpenAI, tmp_path: Path
) -> None:
    scripted_openai.queue(Reply(delay=3), Reply(delay=3))
    client = ModelClient(
        client_settings(tmp_path, scripted_openai.base_url, timeout=0.5, max_retries=1)
    )

    with pytest.raises(ModelError) as excinfo:
        await collect(client)
    await client.aclose()

    assert excinfo.value.kind == "timeout"
    assert str(excinfo.value) == (
        f"The model endpoint at {scripted_openai.base_url} did not answer within 0.5 s."
    )
    assert len(scripted_openai.chat_requests()) == 2


async def test_stall_in_the_middle_of_a_stream_is_a_timeout(
    scripted_openai: ScriptedOpenAI, tmp_path: Path
) -> None:
    scripted_openai.queue(Reply(chunks=["Half ", "a ", "reply"], chunk_delay=3))
    client = ModelClient(client_settings(tmp_path, scripted_openai.base_url, timeout=0.5))

    partial, error = await partial_and_error(client)
    await client.aclose()

    assert partial == ""  # the headers and the role chunk came, then nothing
    assert error.kind == "timeout"
    assert "stopped sending the reply for 0.5 s" in str(error)
    assert len(scripted_openai.chat_requests()) == 1


# --- broken replies -------------------------------------------------------------------------


async def test_cut_stream_keeps_the_partial_text(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    scripted_openai.queue(Reply(text="Start with the goal of the meeting", cut_after=3))

    partial, error = await partial_and_error(client)

    assert partial == "Start with the"
    assert error.kind == "bad_reply"
    assert "stopped before the reply was complete" in str(error)
    assert len(scripted_openai.chat_requests()) == 1


async def test_stream_ending_without_a_finish_reason_is_a_broken_reply(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    scripted_openai.queue(Reply(text="All of it, but unfinished?", finish_reason=""))

    partial, error = await partial_and_error(client)

    assert partial == "All of it, but unfinished?"
    assert error.kind == "bad_reply"


async def test_malformed_sse(scripted_openai: ScriptedOpenAI, client: ModelClient) -> None:
    scripted_openai.queue(Reply(text="one two three four", malformed=True))

    partial, error = await partial_and_error(client)

    assert partial == "one two"
    assert error.kind == "bad_reply"


async def test_empty_completion(scripted_openai: ScriptedOpenAI, client: ModelClient) -> None:
    scripted_openai.queue(Reply(empty=True))

    error = await failure(client)

    assert error.kind == "empty"
    assert (
        str(error) == f"The model 'test-model' at {scripted_openai.base_url} sent an empty reply."
    )


async def test_unreadable_json_body(scripted_openai: ScriptedOpenAI, client: ModelClient) -> None:
    scripted_openai.queue(Reply(ignore_stream=True, malformed=True))

    error = await failure(client)

    assert error.kind == "bad_reply"
    assert "could not read" in str(error)


# --- cancellation ---------------------------------------------------------------------------


async def test_cancelling_a_reply_closes_the_connection(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    words = [f"word{i} " for i in range(50)]
    scripted_openai.queue(Reply(chunks=words, chunk_delay=0.1))  # five seconds in all
    received: list[str] = []
    first_delta = asyncio.Event()

    async def consume() -> None:
        async for delta in client.stream_reply(MESSAGES):
            received.append(delta)
            first_delta.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first_delta.wait(), timeout=3)
    started = time.monotonic()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task

    assert time.monotonic() - started < 1.0  # the stream had five seconds to go
    assert task.cancelled()
    assert 0 < len(received) < len(words)
    # The server's handler stops as soon as it writes to the closed connection, long
    # before the remaining chunks would have been sent.
    assert await asyncio.to_thread(wait_until_handlers_done, 2.0)


async def test_closing_the_generator_early_closes_the_connection(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    scripted_openai.queue(Reply(chunks=[f"w{i} " for i in range(50)], chunk_delay=0.1))

    async with contextlib.aclosing(client.stream_reply(MESSAGES)) as deltas:
        async for delta in deltas:
            assert delta == "w0 "
            break

    assert await asyncio.to_thread(wait_until_handlers_done, 2.0)


# --- JSON completions -----------------------------------------------------------------------


async def test_complete_json_asks_for_the_schema(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    scripted_openai.queue(Reply(text='{"title": "Agenda for Friday"}'))

    text = await client.complete_json(MESSAGES, schema=SCHEMA, name="agenda")

    assert text == '{"title": "Agenda for Friday"}'
    (request,) = scripted_openai.chat_requests()
    assert request.body is not None
    assert "stream" not in request.body
    assert request.body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "agenda", "schema": SCHEMA, "strict": False},
    }
    assert client.last_usage is not None


async def test_complete_json_falls_back_when_response_format_is_refused(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    def plain_only(request: RecordedRequest) -> Reply:
        assert request.body is not None
        if "response_format" in request.body:
            return Reply(status=400, error_message="response_format is not supported")
        return Reply(text='{"title": "From the prompt alone"}')

    scripted_openai.responder = plain_only

    first = await client.complete_json(MESSAGES, schema=SCHEMA, name="agenda")
    second = await client.complete_json(MESSAGES, schema=SCHEMA, name="agenda")

    assert first == second == '{"title": "From the prompt alone"}'
    formats = [
        (r.body or {}).get("response_format", {}).get("type")
        for r in scripted_openai.chat_requests()
    ]
    # json_schema, then json_object with the schema (llama-cpp-python's way), then plain
    # json_object, then none. The endpoint's answer is remembered: the second draft goes
    # straight to plain JSON.
    assert formats == ["json_schema", "json_object", "json_object", None, None]


async def test_a_request_refused_for_another_reason_does_not_drop_the_schema_later(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    too_long = Reply(status=400, error_message="maximum context length is 8192 tokens")
    # Refused in each of the four response formats, then answered.
    scripted_openai.queue(too_long, too_long, too_long, too_long, Reply(text="{}"))

    with pytest.raises(ModelError) as excinfo:
        await client.complete_json(MESSAGES, schema=SCHEMA, name="agenda")
    assert await client.complete_json(MESSAGES, schema=SCHEMA, name="agenda") == "{}"

    assert excinfo.value.kind == "bad_request"
    assert "maximum context length" in str(excinfo.value)
    last = scripted_openai.chat_requests()[-1].body or {}
    assert last["response_format"]["type"] == "json_schema"


async def test_complete_json_uses_json_object_when_only_that_is_taken(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    def json_object_only(request: RecordedRequest) -> Reply:
        assert request.body is not None
        if request.body.get("response_format", {}).get("type") != "json_object":
            return Reply(status=400, error_message="unsupported response_format")
        return Reply(text='{"title": "json_object"}')

    scripted_openai.responder = json_object_only

    assert await client.complete_json(MESSAGES, schema=SCHEMA, name="agenda") == (
        '{"title": "json_object"}'
    )
    assert len(scripted_openai.chat_requests()) == 2


async def test_complete_json_retries_like_streaming(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    scripted_openai.queue(Reply(status=429, headers={"Retry-After": "0.2"}), Reply(text="{}"))

    assert await client.complete_json(MESSAGES, schema=SCHEMA, name="agenda") == "{}"
    assert len(scripted_openai.chat_requests()) == 2


async def test_list_models(scripted_openai: ScriptedOpenAI, client: ModelClient) -> None:
    scripted_openai.models = ["zeta", "alpha"]

    assert await client.list_models() == ["alpha", "zeta"]


async def test_list_models_with_a_rejected_key(
    scripted_openai: ScriptedOpenAI, client: ModelClient
) -> None:
    scripted_openai.models_status = 401

    with pytest.raises(ModelError) as excinfo:
        await client.list_models()

    assert excinfo.value.kind == "auth"
