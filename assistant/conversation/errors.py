"""One clear sentence for every way talking to a model endpoint can fail."""

from __future__ import annotations


def describe_api_error(
    exc: BaseException, *, endpoint: str, model: str, timeout: float | None = None
) -> str:
    """Turn an exception from the ``openai`` client into a sentence for the user.

    The key itself never appears in the sentence, whatever the server echoed back.
    """
    import openai

    if isinstance(exc, openai.APITimeoutError):
        limit = f" within {timeout:g} s" if timeout else " in time"
        return f"The model endpoint at {endpoint} did not answer{limit}."
    if isinstance(exc, openai.APIConnectionError):
        return f"Cannot reach the model endpoint at {endpoint}; is the server running?"
    if isinstance(exc, openai.AuthenticationError):
        return f"The endpoint at {endpoint} rejected the API key (401); check OPENAI_API_KEY."
    if isinstance(exc, openai.PermissionDeniedError):
        return f"The endpoint at {endpoint} refused access (403); check the key's permissions."
    if isinstance(exc, openai.NotFoundError):
        return f"The endpoint at {endpoint} does not serve the model {model!r}."
    if isinstance(exc, openai.RateLimitError):
        return f"The endpoint at {endpoint} is rate limiting requests (429); try again shortly."
    if isinstance(exc, openai.APIStatusError):
        return f"The endpoint at {endpoint} answered with an error ({exc.status_code})."
    if isinstance(exc, openai.APIError):
        return f"The endpoint at {endpoint} sent a reply Reflect could not read."
    return f"Talking to the endpoint at {endpoint} failed: {exc.__class__.__name__}."
