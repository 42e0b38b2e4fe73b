"""Issue 6's endpoint faults, each held to the same promise.

Whatever the endpoint does, the user gets one clear sentence (with the endpoint's URL and
never the key), requests are retried only within ``max_retries``, nothing crashes, and the
same client answers the next request once the endpoint behaves again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.conversation.model.client import ModelClient, ModelError
from tests.conftest import FAKE_API_KEY
from tests.support.cli import reflect
from tests.support.model_client import (
    MESSAGES,
    client_settings,
    closed_port_url,
    collect,
    partial_and_error,
)
from tests.support.openai_server import Reply, ScriptedOpenAI

MAX_RETRIES = 2
TIMEOUT = 0.5
SCHEMA = {"type": "object", "properties": {"title": {"type": "string"}}}


@dataclass
class Fault:
    """A scripted misbehaviour and what the user must see."""

    replies: list[Reply]
    kind: str
    says: str
    requests: int
    partial: str = ""
    model: str = "test-model"
    models_status: int = 200


FAULTS = {
    "rejected key (401)": Fault(
        [Reply(status=401, error_message=f"Incorrect API key provided: {FAKE_API_KEY}")],
        "auth",
        "rejected the API key (401); check OPENAI_API_KEY.",
        requests=1,
    ),
    "forbidden (403)": Fault(
        [Reply(status=403, error_message="You are not allowed to use this model.")],
        "forbidden",
        "refused access (403)",
        requests=1,
    ),
    "model not served (404)": Fault(
        [], "model_not_found", "it serves: test-model.", requests=1, model="gpt-nope"
    ),
    "no API at the base URL (404)": Fault(
        [],
        "model_not_found",
        "has no OpenAI-compatible API at that address",
        requests=1,
        model="gpt-nope",
        models_status=404,
    ),
    "three 500s in a row": Fault(
        [Reply(status=500)] * 3,
        "server",
        "answered with an error (500).",
        requests=1 + MAX_RETRIES,
    ),
    "rate limited past the retries": Fault(
        [Reply(status=429, headers={"Retry-After": "0.1"})] * 3,
        "rate_limited",
        "is rate limiting requests (429)",
        requests=1 + MAX_RETRIES,
    ),
    "first byte slower than the timeout": Fault(
        [Reply(delay=2)] * 3,
        "timeout",
        f"did not answer within {TIMEOUT:g} s.",
        requests=1 + MAX_RETRIES,
    ),
    "stream cut mid-reply": Fault(
        [Reply(text="Let us start with your goal for", cut_after=4)],
        "bad_reply",
        "stopped before the reply was complete",
        requests=1,
        partial="Let us start with",
    ),
    "malformed SSE": Fault(
        [Reply(text="one two three four five six", malformed=True)],
        "bad_reply",
        "stopped before the reply was complete",
        requests=1,
        partial="one two three",
    ),
    "empty completion": Fault([Reply(empty=True)], "empty", "sent an empty reply.", requests=1),
    "unreadable JSON body": Fault(
        [Reply(ignore_stream=True, malformed=True)],
        "bad_reply",
        "sent a reply Reflect could not read.",
        requests=1,
    ),
}


@dataclass
class Outcome:
    error: ModelError
    partial: str
    log: str
    requests: int
    recovered: str = field(default="")


def assert_one_clear_sentence(error: ModelError, endpoint: str) -> None:
    sentence = str(error)
    assert "\n" not in sentence
    assert sentence[-1] in ".?"
    assert sentence.count(". ") <= 1  # a sentence, perhaps with a short second hint
    assert endpoint in sentence
    for leak in (FAKE_API_KEY, "Traceback", "Error code:", "httpx", "openai."):
        assert leak not in sentence


@pytest.mark.parametrize("name", list(FAULTS))
async def test_stream_fault(
    name: str,
    scripted_openai: ScriptedOpenAI,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fault = FAULTS[name]
    scripted_openai.queue(*fault.replies)
    scripted_openai.models_status = fault.models_status
    settings = client_settings(
        tmp_path,
        scripted_openai.base_url,
        model=fault.model,
        timeout=TIMEOUT,
        max_retries=MAX_RETRIES,
    )
    client = ModelClient(settings)

    with caplog.at_level(logging.DEBUG):
        partial, error = await partial_and_error(client)

    assert error.kind == fault.kind
    assert fault.says in str(error)
    assert_one_clear_sentence(error, scripted_openai.base_url)
    assert partial == fault.partial
    assert len(scripted_openai.chat_requests()) == fault.requests
    assert FAKE_API_KEY not in caplog.text

    # The endpoint behaves again: the same client answers the next request.
    scripted_openai.models_status = 200
    scripted_openai.models.append(fault.model)
    scripted_openai.queue(Reply(text="Back on track."))
    assert "".join(await collect(client)) == "Back on track."
    await client.aclose()


@pytest.mark.parametrize(
    "url", [closed_port_url(), "http://nonexistent.invalid/v1"], ids=["refused", "unknown host"]
)
async def test_unreachable_endpoint(url: str, tmp_path: Path) -> None:
    client = ModelClient(client_settings(tmp_path, url, max_retries=1, timeout=TIMEOUT))

    with pytest.raises(ModelError) as excinfo:
        await collect(client)
    await client.aclose()

    assert excinfo.value.kind == "unreachable"
    assert_one_clear_sentence(excinfo.value, url)
    assert str(excinfo.value).startswith(f"Cannot reach the model endpoint at {url}")


async def test_rate_limit_then_success(scripted_openai: ScriptedOpenAI, tmp_path: Path) -> None:
    scripted_openai.queue(Reply(status=429, headers={"Retry-After": "0.3"}), Reply(text="Hello."))
    client = ModelClient(client_settings(tmp_path, scripted_openai.base_url))

    assert "".join(await collect(client)) == "Hello."
    await client.aclose()

    assert len(scripted_openai.chat_requests()) == 2


async def test_server_ignoring_stream_true(scripted_openai: ScriptedOpenAI, tmp_path: Path) -> None:
    scripted_openai.queue(Reply(text="A whole answer at once.", ignore_stream=True))
    client = ModelClient(client_settings(tmp_path, scripted_openai.base_url))

    assert "".join(await collect(client)) == "A whole answer at once."
    await client.aclose()


async def test_artifact_reply_that_is_not_json_reaches_the_caller_unchanged(
    scripted_openai: ScriptedOpenAI, tmp_path: Path
) -> None:
    """The engine validates drafts; the client hands over prose as it came, without retrying."""
    prose = "Here is your agenda: first the goal, then the updates."
    scripted_openai.queue(Reply(text=prose))
    client = ModelClient(client_settings(tmp_path, scripted_openai.base_url))

    assert await client.complete_json(MESSAGES, schema=SCHEMA, name="agenda") == prose
    await client.aclose()

    assert len(scripted_openai.chat_requests()) == 1


async def test_artifact_request_with_an_unreadable_body(
    scripted_openai: ScriptedOpenAI, tmp_path: Path
) -> None:
    scripted_openai.queue(Reply(malformed=True))
    client = ModelClient(client_settings(tmp_path, scripted_openai.base_url))

    with pytest.raises(ModelError) as excinfo:
        await client.complete_json(MESSAGES, schema=SCHEMA, name="agenda")
    await client.aclose()

    assert excinfo.value.kind == "bad_reply"
    assert_one_clear_sentence(excinfo.value, scripted_openai.base_url)
    assert len(scripted_openai.chat_requests()) == 1


async def test_artifact_request_with_three_500s(
    scripted_openai: ScriptedOpenAI, tmp_path: Path
) -> None:
    scripted_openai.queue(*[Reply(status=500)] * 3)
    client = ModelClient(client_settings(tmp_path, scripted_openai.base_url, max_retries=2))

    with pytest.raises(ModelError) as excinfo:
        await client.complete_json(MESSAGES, schema=SCHEMA, name="agenda")
    await client.aclose()

    assert excinfo.value.kind == "server"
    assert len(scripted_openai.chat_requests()) == 3


# --- the CLI ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("models_reply", "says"),
    [
        (Reply(status=403), "refused access (403)"),
        (Reply(status=500), "answered with an error (500)."),
        (Reply(malformed=True), "sent a reply Reflect could not read."),
        (Reply(delay=3), "did not answer within 1 s."),
    ],
    ids=["403", "500", "malformed", "slow"],
)
def test_doctor_reports_a_faulty_endpoint_in_one_line(
    models_reply: Reply, says: str, model_env: ScriptedOpenAI, reflect_home: Path
) -> None:
    reflect_home.mkdir(parents=True)
    (reflect_home / "config.toml").write_text("[model]\ntimeout = 1\n", encoding="utf-8")
    model_env.models_reply = models_reply

    result = reflect("doctor")

    assert result.returncode == 1
    failures = [line for line in result.stdout.splitlines() if line.startswith("[FAIL]")]
    assert len(failures) == 1
    assert failures[0].startswith("[FAIL] endpoint: The ")
    assert model_env.base_url in failures[0]
    assert says in failures[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert FAKE_API_KEY not in result.stdout + result.stderr
    assert len(model_env.requests) == 1  # the doctor never retries
