"""Checks that the configured endpoint answers and serves the configured model."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.config import Settings
from assistant.conversation.errors import describe_api_error

CHECK_TIMEOUT_SECONDS = 5.0


@dataclass
class EndpointCheck:
    ok: bool
    detail: str
    served_models: list[str] = field(default_factory=list)


def check_endpoint(settings: Settings) -> EndpointCheck:
    """Ask the endpoint for its models; report whether the configured one is among them."""
    import openai

    client = openai.OpenAI(
        api_key=settings.api_key or "not-needed",
        base_url=settings.base_url,
        timeout=CHECK_TIMEOUT_SECONDS,
        max_retries=0,
    )
    endpoint = settings.endpoint_label
    try:
        served = sorted(model.id for model in client.models.list())
    except openai.APIError as exc:
        sentence = describe_api_error(
            exc, endpoint=endpoint, model=settings.model, timeout=CHECK_TIMEOUT_SECONDS
        )
        return EndpointCheck(False, sentence)
    finally:
        client.close()
    if settings.model not in served:
        listing = ", ".join(served) if served else "none"
        return EndpointCheck(
            False,
            f"The endpoint at {endpoint} does not serve the model {settings.model!r}; "
            f"it serves: {listing}. Set REFLECT_MODEL or [model] name.",
            served,
        )
    return EndpointCheck(True, f"{endpoint} answers and serves {settings.model}", served)
