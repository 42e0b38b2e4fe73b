"""Checks that the configured endpoint answers, serves the configured model, and how fast."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace

from assistant.config import Settings
from assistant.endpoint_errors import describe_missing_model

#: A check should answer quickly: a short timeout and no retries.
CHECK_TIMEOUT_SECONDS = 5.0
#: The speed probe waits this long for its short reply at most.
PROBE_LIMIT_SECONDS = 60.0
PROBE_MESSAGES = [
    {"role": "user", "content": "In one short sentence: what does a good mentor do?"},
]


@dataclass
class EndpointCheck:
    ok: bool
    detail: str
    served_models: list[str] = field(default_factory=list)


def check_endpoint(settings: Settings) -> EndpointCheck:
    """:func:`check_endpoint_async` for callers outside an event loop (``reflect doctor``)."""
    return asyncio.run(check_endpoint_async(settings))


async def check_endpoint_async(settings: Settings) -> EndpointCheck:
    """Ask the endpoint for its models; report whether the configured one is among them."""
    from assistant.conversation.model.client import ModelClient, ModelError

    quick = replace(settings, timeout=min(settings.timeout, CHECK_TIMEOUT_SECONDS), max_retries=0)
    client = ModelClient(quick)
    try:
        served = await client.list_models()
    except ModelError as exc:
        return EndpointCheck(False, str(exc))
    finally:
        await client.aclose()
    endpoint = settings.endpoint_label
    if settings.model not in served:
        detail = describe_missing_model(
            endpoint=endpoint, model=settings.model, served_models=served
        )
        return EndpointCheck(False, detail, served)
    return EndpointCheck(True, f"{endpoint} answers and serves {settings.model}", served)


@dataclass(frozen=True)
class SpeedProbe:
    """How fast the endpoint answered a short request."""

    first_text_seconds: float
    tokens_per_second: float | None
    tokens: int | None


def probe_speed(settings: Settings) -> SpeedProbe:
    """Time a short streamed reply (:data:`PROBE_MESSAGES`). Raises ``ModelError``."""
    return asyncio.run(_probe_speed(settings))


async def _probe_speed(settings: Settings) -> SpeedProbe:
    from assistant.conversation.model.client import ModelClient
    from assistant.conversation.model.limits import ReplyPurpose

    limit = min(settings.reply_time_limit, PROBE_LIMIT_SECONDS)
    quick = replace(
        settings,
        max_retries=0,
        first_token_timeout=min(settings.first_token_timeout, limit),
        reply_time_limit=limit,
    )
    client = ModelClient(quick)
    try:
        async for _ in client.stream_reply(PROBE_MESSAGES, purpose=ReplyPurpose.PROBE):
            pass
    finally:
        await client.aclose()
    stats = client.last_reply
    assert stats is not None and stats.first_text_seconds is not None
    return SpeedProbe(stats.first_text_seconds, stats.tokens_per_second, stats.tokens)
