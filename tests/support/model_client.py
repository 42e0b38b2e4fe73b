"""Helpers for tests that drive :class:`assistant.conversation.model.client.ModelClient`."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

from assistant.config import Settings
from assistant.conversation.model.client import ModelClient, ModelError

MESSAGES = [
    {"role": "system", "content": "You are Reflect, a mentoring assistant."},
    {"role": "user", "content": "I want to prepare for Friday's meeting."},
]


def client_settings(home: Path, base_url: str, **overrides: object) -> Settings:
    """Settings for a client with short timeouts, so fault tests take seconds."""
    values: dict[str, object] = {
        "api_key": "sk-test-FAKE-KEY-0123456789abcdef",
        "base_url": base_url,
        "model": "test-model",
        "timeout": 1.0,
        "max_retries": 2,
    }
    values.update(overrides)
    return Settings(home=home, **values)  # type: ignore[arg-type]


async def collect(client: ModelClient, messages: list[dict[str, str]] = MESSAGES) -> list[str]:
    """Every delta of one streamed reply."""
    return [delta async for delta in client.stream_reply(messages)]


async def partial_and_error(
    client: ModelClient, messages: list[dict[str, str]] = MESSAGES
) -> tuple[str, ModelError]:
    """The text a failing reply streamed before its error, and the error."""
    received: list[str] = []
    try:
        async for delta in client.stream_reply(messages):
            received.append(delta)
    except ModelError as error:
        return "".join(received), error
    raise AssertionError(f"the reply did not fail: {''.join(received)!r}")


def closed_port_url() -> str:
    """A loopback URL on a port nothing listens on: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def request_handlers_alive() -> int:
    """Handler threads of the scripted server still serving a request."""
    return sum("process_request" in thread.name for thread in threading.enumerate())


def wait_until_handlers_done(deadline_seconds: float) -> bool:
    """True once no scripted-server handler is still serving, within the deadline."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if request_handlers_alive() == 0:
            return True
        time.sleep(0.02)
    return False
