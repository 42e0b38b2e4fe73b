"""One clear sentence for every way talking to a model endpoint can fail."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.sanitize import clean_text

#: How much of a server's own error message a sentence quotes at most.
SERVER_MESSAGE_LIMIT = 200


def describe_api_error(
    exc: BaseException,
    *,
    endpoint: str,
    model: str,
    timeout: float | None = None,
    served_models: Sequence[str] | None = None,
    secret: str | None = None,
) -> str:
    """Turn an exception from the ``openai`` client into a sentence for the user.

    ``served_models`` names what the endpoint serves when it does not serve ``model``.
    The key itself never appears in the sentence, whatever the server echoed back: pass it as
    ``secret`` and any quoted server text has it blanked out.
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
        return describe_missing_model(endpoint=endpoint, model=model, served_models=served_models)
    if (
        isinstance(exc, openai.RateLimitError)
        and getattr(exc, "code", None) == "insufficient_quota"
    ):
        return (
            f"The endpoint at {endpoint} says the account has run out of quota (429); "
            "check its plan and billing."
        )
    if isinstance(exc, openai.RateLimitError):
        return f"The endpoint at {endpoint} is rate limiting requests (429); try again shortly."
    if isinstance(exc, openai.BadRequestError):
        detail = server_message(exc, secret=secret)
        return f"The endpoint at {endpoint} refused the request (400)" + (
            f": {detail}" if detail else "."
        )
    if isinstance(exc, openai.APIStatusError):
        return f"The endpoint at {endpoint} answered with an error ({exc.status_code})."
    if isinstance(exc, openai.APIError):
        return f"The endpoint at {endpoint} sent a reply Reflect could not read."
    return f"Talking to the endpoint at {endpoint} failed: {exc.__class__.__name__}."


def describe_missing_model(
    *, endpoint: str, model: str, served_models: Sequence[str] | None = None
) -> str:
    """The sentence for a model the endpoint does not serve, naming the ones it does."""
    sentence = f"The endpoint at {endpoint} does not serve the model {model!r}"
    if served_models is None:
        return sentence + "; set REFLECT_MODEL or [model] name."
    # The names come from the server: shown, never acted on by the terminal.
    listing = clean_text(", ".join(served_models)) if served_models else "none"
    return sentence + f"; it serves: {listing}. Set REFLECT_MODEL or [model] name."


def server_message(exc: BaseException, *, secret: str | None = None) -> str:
    """The server's own error message, shortened, on one line, with ``secret`` blanked out."""
    body = getattr(exc, "body", None)
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str):
        return ""
    return redact(" ".join(clean_text(message).split())[:SERVER_MESSAGE_LIMIT], secret)


def redact(text: str, secret: str | None) -> str:
    """``text`` with every occurrence of ``secret`` replaced by an ellipsis."""
    return text.replace(secret, "…") if secret else text
