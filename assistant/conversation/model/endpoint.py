"""Checks that the configured endpoint answers and serves the configured model."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace

from assistant.config import Settings
from assistant.endpoint_errors import describe_missing_model

#: A check should answer quickly: a short timeout and no retries.
CHECK_TIMEOUT_SECONDS = 5.0


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
