"""The model client: streamed chat completions and JSON drafts from an OpenAI-compatible endpoint.

Every failure becomes a :class:`ModelError` whose ``str()`` is one sentence for the user. Requests
are retried within ``settings.max_retries`` with exponential backoff and jitter, honouring
``Retry-After`` on 429, but only before the first word of a reply has arrived: once text has
been shown, the caller decides what to do with the partial reply.

The retry loop is Reflect's own, not the ``openai`` client's (which is built with
``max_retries=0``): the client's would retry a 429 whose quota is exhausted (waiting does not
cure it), and would ignore a ``Retry-After`` of more than a minute and retry after its own
short backoff, hammering a server that asked for an hour's rest. Here both fail at once with a
sentence that says why, and every wait counts against the reply's time limits.

Every reply is bounded (:mod:`assistant.conversation.model.limits`): ``max_tokens`` for its
purpose, stop sequences, a time-to-first-token limit, a whole-reply time limit and a byte cap.
A reply stopped by one of them keeps what arrived; :attr:`ModelClient.replies` records how
each reply went (tokens, time to first text, whether and why it was cut).

``openai`` is imported when a client is made, never when this module is imported, so that the
TUI's first frame does not wait for it. Use one client per event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import json
import logging
import random
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from assistant.config import Settings
from assistant.conversation.model.limits import STOP_SEQUENCES, ReplyLimits, ReplyPurpose
from assistant.endpoint_errors import describe_api_error, redact

if TYPE_CHECKING:
    import openai
    from openai.types.chat import ChatCompletion

log = logging.getLogger(__name__)

#: The longest ``Retry-After`` Reflect waits for; a server asking for more gets no retry.
RETRY_AFTER_CAP_SECONDS = 30.0
INITIAL_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 8.0
#: The error code of a 429 that waiting does not cure: the account is out of credit.
QUOTA_EXHAUSTED = "insufficient_quota"

ERROR_KINDS = frozenset(
    {
        "auth",
        "forbidden",
        "model_not_found",
        "bad_request",
        "unreachable",
        "timeout",
        "rate_limited",
        "server",
        "bad_reply",
        "empty",
    }
)

T = TypeVar("T")


class ModelError(Exception):
    """A model request that failed; ``str(exc)`` is one clear sentence for the user.

    ``kind`` is one of :data:`ERROR_KINDS`: ``auth`` (401), ``forbidden`` (403),
    ``model_not_found`` (404), ``bad_request`` (400: the endpoint refused the request itself),
    ``unreachable`` (connection refused, unknown host), ``timeout``, ``rate_limited`` (429),
    ``server`` (5xx), ``bad_reply`` (cut or unreadable reply) and ``empty`` (no text).
    ``retryable`` says whether the same request may succeed if tried again later.
    """

    def __init__(self, message: str, *, kind: str, retryable: bool = False) -> None:
        if kind not in ERROR_KINDS:
            raise ValueError(f"unknown ModelError kind {kind!r}")
        super().__init__(message)
        self.kind = kind
        self.retryable = retryable


@dataclass
class Usage:
    """Token counts the API reported for one completion."""

    prompt_tokens: int
    completion_tokens: int


class Cut(StrEnum):
    """Why a reply ended before the model finished it."""

    LENGTH = "length"  # it reached ``max_tokens``
    TIME = "time"  # the whole-reply time limit passed
    BYTES = "bytes"  # it reached the byte cap


@dataclass
class ReplyStats:
    """How one reply went, for the engine's notices, ``reflect doctor`` and benchmarks."""

    purpose: ReplyPurpose
    max_tokens: int
    first_text_seconds: float | None = None
    seconds: float = 0.0
    characters: int = 0
    #: Streamed pieces with text: one per token on llama.cpp, which sends no usage.
    pieces: int = 0
    usage: Usage | None = None
    cut: Cut | None = None

    @property
    def tokens(self) -> int | None:
        """Tokens the reply took: as the API reported them, else one per streamed piece."""
        if self.usage is not None:
            return self.usage.completion_tokens
        return self.pieces or None

    @property
    def tokens_per_second(self) -> float | None:
        """Generation speed after the first text arrived."""
        if self.tokens is None or self.first_text_seconds is None:
            return None
        generating = self.seconds - self.first_text_seconds
        return self.tokens / generating if generating > 0 else None


#: JSON-encoded bytes of a whole completion may exceed its text's (escapes, envelope).
JSON_BODY_OVERHEAD = 4
JSON_BODY_SLACK_BYTES = 16_384
#: The response formats a JSON request can ask for, richest first (see ``json_format``).
JSON_FORMAT_ORDER = ("json_schema", "json_object_schema", "json_object", "prompt")
#: A server error that names this field refused the request's response format.
REFUSED_FIELD = "response_format"


class ModelClient:
    """Talks to ``settings.base_url`` (or OpenAI) with ``settings.model``."""

    def __init__(self, settings: Settings) -> None:
        import openai

        self.settings = settings
        self.last_usage: Usage | None = None
        #: One record per reply asked for, in order.
        self.replies: list[ReplyStats] = []
        self._client = openai.AsyncOpenAI(
            api_key=settings.api_key or "not-needed",
            base_url=settings.base_url,
            timeout=settings.timeout,
            max_retries=0,
        )
        # Learned from the endpoint: whether it takes stream_options, and which JSON
        # response format it accepts, so that later requests do not repeat a refused one.
        self._stream_options_accepted = True
        chosen = settings.json_format
        self._json_format_index = 0 if chosen == "auto" else JSON_FORMAT_ORDER.index(chosen)

    @property
    def endpoint(self) -> str:
        return self.settings.endpoint_label

    @property
    def last_reply(self) -> ReplyStats | None:
        return self.replies[-1] if self.replies else None

    async def stream_reply(
        self,
        messages: list[dict[str, str]],
        *,
        purpose: ReplyPurpose = ReplyPurpose.COACH,
        temperature: float | None = None,
    ) -> AsyncGenerator[str, None]:
        """Yield the reply's text as it streams in, delta by delta, within its limits.

        Raises :class:`ModelError`: before any text for a failed request (after retries) or
        when no text came within the time-to-first-token limit (``timeout``); ``bad_reply``
        when the stream breaks or ends before the model finished (the deltas already yielded
        are the partial reply); ``empty`` when the model sent no text. A reply that reaches
        ``max_tokens``, the whole-reply time limit or the byte cap simply ends, and
        :attr:`last_reply` says which cut it. A server that ignores ``stream=true`` and
        answers with one JSON body yields its whole text at once. Closing the generator
        (``aclose()``, or cancelling the task consuming it) closes the HTTP response at once;
        use ``contextlib.aclosing`` when you may stop iterating early. After a complete
        reply, :attr:`last_usage` holds the API's usage when the endpoint sent it.
        """
        self.last_usage = None
        limits = ReplyLimits.for_purpose(self.settings, purpose)
        stats = ReplyStats(purpose, limits.max_tokens)
        self.replies.append(stats)
        clock = _ReplyClock(limits)
        try:
            stream = await clock.before_text(
                self._open_stream(messages, temperature, limits), self._no_text_error
            )
            try:
                if "json" in stream.response.headers.get("content-type", ""):
                    body = await clock.before_text(
                        self._read_body(stream.response, _json_body_cap(limits)),
                        self._no_text_error,
                    )
                    text = self._text_of_completion(body)
                    stats.first_text_seconds = clock.elapsed()
                    kept, stats.cut = _capped(text, limits.byte_cap)
                    stats.characters = len(kept)
                    yield kept
                    return
                async for delta in self._bounded(stream, clock, stats):
                    yield delta
            finally:
                await stream.close()
        finally:
            stats.seconds = clock.elapsed()
            stats.usage = self.last_usage

    async def _bounded(
        self, stream: openai.AsyncStream[Any], clock: _ReplyClock, stats: ReplyStats
    ) -> AsyncGenerator[str, None]:
        """The stream's deltas until it ends, its time is up or the byte cap is reached."""
        room = clock.limits.byte_cap
        async with contextlib.aclosing(self._deltas(stream, stats)) as deltas:
            while True:
                try:
                    if stats.first_text_seconds is None:
                        delta = await clock.before_text(anext(deltas), self._no_text_error)
                        stats.first_text_seconds = clock.elapsed()
                    else:
                        delta = await clock.before_end(anext(deltas))
                except StopAsyncIteration:
                    return
                except TimeoutError:
                    stats.cut = Cut.TIME
                    return
                kept, cut = _capped(delta, room)
                room -= len(kept.encode("utf-8", "surrogatepass"))
                stats.characters += len(kept)
                stats.pieces += 1
                if kept:
                    yield kept
                if cut is not None:
                    stats.cut = cut
                    return

    def _no_text_error(self, seconds: float) -> ModelError:
        return ModelError(
            f"The model endpoint at {self.endpoint} sent no reply within {seconds:g} s.",
            kind="timeout",
            retryable=True,
        )

    async def complete_json(
        self,
        messages: list[dict[str, str]],
        *,
        schema: dict[str, Any],
        name: str,
        purpose: ReplyPurpose = ReplyPurpose.DRAFT,
    ) -> str:
        """The raw text of a non-streamed completion that asks for JSON matching ``schema``.

        Asks with a ``json_schema`` response format first (OpenAI, vLLM, Ollama, LM Studio);
        an endpoint that refuses it (400 or 422) is asked again with a ``json_object`` that
        carries the schema (llama-cpp-python's server), then a plain ``json_object``, then no
        response format (the prompt itself asks for JSON). What the endpoint took is
        remembered; ``[model] json_format`` starts further down the list. The body is read
        up to a bound made from the byte cap and within the whole-reply time limit.
        Validation is the caller's job. Raises :class:`ModelError`.
        """
        formats: list[dict[str, Any] | None] = [
            {
                "type": "json_schema",
                "json_schema": {"name": name, "schema": schema, "strict": False},
            },
            # llama-cpp-python's own way: a JSON object constrained by a schema grammar.
            {"type": "json_object", "schema": schema},
            {"type": "json_object"},
            None,
        ]
        limits = ReplyLimits.for_purpose(self.settings, purpose)
        stats = ReplyStats(purpose, limits.max_tokens)
        self.replies.append(stats)
        self.last_usage = None
        requests = [
            partial(self._json_completion, messages, response_format, limits)
            for response_format in formats[self._json_format_index :]
        ]
        clock = _ReplyClock(limits)
        try:
            accepted, completion = await clock.before_end(self._first_accepted(requests))
        except TimeoutError:
            stats.cut = Cut.TIME
            raise ModelError(
                f"The model endpoint at {self.endpoint} did not finish its reply within "
                f"{limits.reply_seconds:g} s.",
                kind="timeout",
                retryable=True,
            ) from None
        finally:
            stats.seconds = clock.elapsed()
        self._json_format_index += accepted
        text = self._text_of_completion(completion)
        stats.usage, stats.first_text_seconds = self.last_usage, stats.seconds
        stats.characters = len(text)
        if completion.choices and completion.choices[0].finish_reason == "length":
            stats.cut = Cut.LENGTH
        return text

    async def list_models(self) -> list[str]:
        """The ids of the models the endpoint serves, sorted. Raises :class:`ModelError`."""
        _, served = await self._first_accepted([self._served_models])
        return served

    async def aclose(self) -> None:
        """Close the HTTP client and its connections."""
        await self._client.close()

    # --- requests and retries -----------------------------------------------------------

    async def _open_stream(
        self, messages: list[dict[str, str]], temperature: float | None, limits: ReplyLimits
    ) -> openai.AsyncStream[Any]:
        """Start a streamed completion; without stream_options if the endpoint refuses them."""
        options: dict[str, Any] = {
            "model": self.settings.model,
            "messages": messages,
            "temperature": self.settings.temperature if temperature is None else temperature,
            "max_tokens": limits.max_tokens,
            "stop": STOP_SEQUENCES,
            "stream": True,
        }
        # The options are built as a dict, so the call's overloads cannot pick the streamed one.
        create = cast(
            "Callable[..., Awaitable[openai.AsyncStream[Any]]]",
            self._client.chat.completions.create,
        )
        without_usage = partial(create, **options)
        if not self._stream_options_accepted:
            _, stream = await self._first_accepted([without_usage])
            return stream
        with_usage = partial(create, **options, stream_options={"include_usage": True})
        accepted, stream = await self._first_accepted([with_usage, without_usage])
        self._stream_options_accepted = accepted == 0
        return stream

    async def _json_completion(
        self,
        messages: list[dict[str, str]],
        response_format: dict[str, Any] | None,
        limits: ReplyLimits,
    ) -> ChatCompletion:
        options: dict[str, Any] = {
            "model": self.settings.model,
            "messages": messages,
            "temperature": self.settings.temperature,
            "max_tokens": limits.max_tokens,
            "stop": STOP_SEQUENCES,
        }
        if response_format:
            options["response_format"] = response_format
        # Read as a stream of bytes, so that the body's size can be bounded.
        create = self._client.chat.completions.with_streaming_response.create
        async with create(**options) as response:
            return await self._read_body(response.http_response, _json_body_cap(limits))

    async def _first_accepted(
        self, requests: Sequence[Callable[[], Awaitable[T]]]
    ) -> tuple[int, T]:
        """Try ``requests``, simplest last, moving on when the endpoint refuses one (400).

        Returns the index of the accepted request and its result. Only the last refusal
        becomes a :class:`ModelError`: the endpoint refused even the simplest request.
        """
        for index, request in enumerate(requests[:-1]):
            try:
                return index, await self._with_retries(request)
            except _Refused as refused:
                log.info("endpoint refused a request (%s); trying a simpler one", refused)
        try:
            return len(requests) - 1, await self._with_retries(requests[-1])
        except _Refused as refused:
            raise refused.error from None

    async def _with_retries(self, request: Callable[[], Awaitable[T]]) -> T:
        """Run ``request``, retrying what may pass later within ``settings.max_retries``.

        Raises :class:`_Refused` when the endpoint refuses the request itself (the caller may
        change it) and :class:`ModelError` for everything else.
        """
        import openai

        attempt = 0
        while True:
            try:
                return await request()
            except openai.APIError as exc:
                if _refuses_request(exc):
                    raise _Refused(await self._model_error(exc)) from None
                delay = self._retry_delay(exc, attempt)
                if delay is None:
                    # A status error's body may echo what was sent, the key included: it is
                    # not chained, so that no logged traceback can carry it.
                    cause = None if isinstance(exc, openai.APIStatusError) else exc
                    raise await self._model_error(exc) from cause
                log.info(
                    "model request failed (%s); retry %d in %.1f s", _label(exc), attempt + 1, delay
                )
                await asyncio.sleep(delay)
                attempt += 1
            except ValueError as exc:
                # A 200 answer whose body is not JSON: the client's parser gives up.
                raise ModelError(self._unreadable_sentence(), kind="bad_reply") from exc

    def _retry_delay(self, exc: Exception, attempt: int) -> float | None:
        """Seconds to wait before retrying after ``exc``, or None when it is not retried."""
        import openai

        if attempt >= self.settings.max_retries:
            return None
        if isinstance(exc, openai.RateLimitError):
            if exc.code == QUOTA_EXHAUSTED:
                return None
            asked = retry_after_seconds(exc.response.headers)
            if asked is not None:
                return asked if asked <= RETRY_AFTER_CAP_SECONDS else None
        elif not isinstance(exc, openai.APIConnectionError | openai.InternalServerError):
            return None
        backoff = min(INITIAL_BACKOFF_SECONDS * 2**attempt, MAX_BACKOFF_SECONDS)
        return backoff * random.uniform(0.75, 1.0)

    async def _model_error(self, exc: Exception) -> ModelError:
        """The :class:`ModelError` for a failed request, with its sentence."""
        import openai

        served: list[str] | None = None
        if isinstance(exc, openai.NotFoundError):
            served = await self._served_models_or_none()
            if served is None:
                return ModelError(
                    f"The endpoint at {self.endpoint} has no OpenAI-compatible API at that "
                    "address (404); check OPENAI_BASE_URL or [model] base_url.",
                    kind="model_not_found",
                )
        sentence = describe_api_error(
            exc,
            endpoint=self.endpoint,
            model=self.settings.model,
            timeout=self.settings.timeout,
            served_models=served,
            secret=self.settings.api_key,
        )
        kind, retryable = _classify(exc)
        return ModelError(redact(sentence, self.settings.api_key), kind=kind, retryable=retryable)

    async def _served_models(self) -> list[str]:
        return sorted([model.id async for model in self._client.models.list()])

    async def _served_models_or_none(self) -> list[str] | None:
        """The served models, or None when the endpoint cannot list them."""
        import openai

        try:
            return await self._served_models()
        except (openai.APIError, ValueError):
            return None

    # --- reading replies ----------------------------------------------------------------

    async def _deltas(
        self, stream: openai.AsyncStream[Any], stats: ReplyStats
    ) -> AsyncGenerator[str, None]:
        """The content deltas of an SSE stream, checked for a proper end."""
        import openai

        finished = False
        got_text = False
        try:
            async for chunk in stream:
                if chunk.usage is not None:
                    self.last_usage = Usage(
                        chunk.usage.prompt_tokens or 0, chunk.usage.completion_tokens or 0
                    )
                for choice in chunk.choices or []:
                    content = choice.delta.content if choice.delta else None
                    if content:
                        got_text = True
                        yield content
                    if choice.finish_reason:
                        finished = True
                        if choice.finish_reason == "length":
                            stats.cut = Cut.LENGTH
        except openai.APITimeoutError as exc:
            raise ModelError(
                f"The model endpoint at {self.endpoint} stopped sending the reply for "
                f"{self.settings.timeout:g} s.",
                kind="timeout",
                retryable=True,
            ) from exc
        except (openai.APIError, ValueError) as exc:
            raise self._broken_reply(got_text) from exc
        if not finished:
            raise self._broken_reply(got_text)
        if not got_text:
            raise ModelError(self._empty_sentence(), kind="empty", retryable=True)

    async def _read_body(self, response: _ByteStream, cap: int) -> ChatCompletion:
        """A whole JSON completion, read up to ``cap`` bytes: a larger one is refused."""
        from openai.types.chat import ChatCompletion

        body = bytearray()
        async for piece in response.aiter_bytes():
            body += piece
            if len(body) > cap:
                raise ModelError(
                    f"The model endpoint at {self.endpoint} sent a reply larger than "
                    f"{cap:,} bytes; Reflect did not keep it.",
                    kind="bad_reply",
                )
        try:
            data = json.loads(bytes(body))
            return ChatCompletion.model_validate(data)
        except ValueError as exc:
            raise ModelError(self._unreadable_sentence(), kind="bad_reply") from exc

    def _text_of_completion(self, completion: ChatCompletion) -> str:
        """The text of a whole completion; records its usage."""
        if completion.usage is not None:
            self.last_usage = Usage(
                completion.usage.prompt_tokens or 0, completion.usage.completion_tokens or 0
            )
        choices = completion.choices or []
        text = choices[0].message.content if choices and choices[0].message else None
        if not text or not text.strip():
            raise ModelError(self._empty_sentence(), kind="empty", retryable=True)
        return text

    def _broken_reply(self, got_text: bool) -> ModelError:
        where = "stopped before the reply was complete" if got_text else "sent no reply"
        return ModelError(
            f"The model endpoint at {self.endpoint} {where}; the stream broke off.",
            kind="bad_reply",
            retryable=True,
        )

    def _unreadable_sentence(self) -> str:
        return f"The model endpoint at {self.endpoint} sent a reply Reflect could not read."

    def _empty_sentence(self) -> str:
        return f"The model {self.settings.model!r} at {self.endpoint} sent an empty reply."


class _Refused(Exception):
    """The endpoint refused a request (400); the caller may try a simpler one."""

    def __init__(self, error: ModelError) -> None:
        super().__init__(str(error))
        self.error = error


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """Seconds a ``Retry-After`` (or ``retry-after-ms``) header asks to wait, if it says."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


class _ByteStream(Protocol):
    """An HTTP response whose body can be read piece by piece."""

    def aiter_bytes(self) -> AsyncIterator[bytes]: ...


class _ReplyClock:
    """The deadlines of one reply: its first text, and the whole of it."""

    def __init__(self, limits: ReplyLimits) -> None:
        self.limits = limits
        self._loop = asyncio.get_running_loop()
        self._started = self._loop.time()

    def elapsed(self) -> float:
        return self._loop.time() - self._started

    async def before_text(self, step: Awaitable[T], error: Callable[[float], ModelError]) -> T:
        """Await ``step`` until the first-text deadline; past it, raise ``error(limit)``."""
        try:
            async with asyncio.timeout_at(self._started + self.limits.first_token_seconds):
                return await step
        except TimeoutError:
            raise error(self.limits.first_token_seconds) from None

    async def before_end(self, step: Awaitable[T]) -> T:
        """Await ``step`` until the whole-reply deadline; past it, ``TimeoutError``."""
        async with asyncio.timeout_at(self._started + self.limits.reply_seconds):
            return await step


def _capped(text: str, room: int) -> tuple[str, Cut | None]:
    """``text`` cut to ``room`` UTF-8 bytes (on a character boundary), and whether it was.

    A lone surrogate (which a model may send) is counted and kept as it is; the text is
    cleaned of it downstream, before it is shown or stored.
    """
    encoded = text.encode("utf-8", "surrogatepass")
    if len(encoded) <= room:
        return text, None
    return encoded[: max(room, 0)].decode("utf-8", "ignore"), Cut.BYTES


def _json_body_cap(limits: ReplyLimits) -> int:
    return limits.byte_cap * JSON_BODY_OVERHEAD + JSON_BODY_SLACK_BYTES


def _refuses_request(exc: Exception) -> bool:
    """Whether the endpoint refused the request as such (a simpler one may pass).

    A 400 or 422; or a 500 naming the response format, as llama-cpp-python answers a
    ``response_format`` type it does not know: a refusal, not a failure worth a retry.
    """
    import openai

    if isinstance(exc, openai.BadRequestError | openai.UnprocessableEntityError):
        return True
    return isinstance(exc, openai.InternalServerError) and REFUSED_FIELD in str(exc.message)


def _classify(exc: Exception) -> tuple[str, bool]:
    """The ModelError kind of an ``openai`` exception, and whether a later retry may help."""
    import openai

    table: list[tuple[type[Exception], str, bool]] = [
        (openai.APITimeoutError, "timeout", True),
        (openai.APIConnectionError, "unreachable", True),
        (openai.AuthenticationError, "auth", False),
        (openai.PermissionDeniedError, "forbidden", False),
        (openai.NotFoundError, "model_not_found", False),
        (openai.BadRequestError, "bad_request", False),
        (openai.RateLimitError, "rate_limited", getattr(exc, "code", None) != QUOTA_EXHAUSTED),
        (openai.InternalServerError, "server", True),
    ]
    for exc_type, kind, retryable in table:
        if isinstance(exc, exc_type):
            return kind, retryable
    if isinstance(exc, openai.APIStatusError):
        return "server", exc.status_code >= 500
    return "bad_reply", False


def _label(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    return str(status) if status else exc.__class__.__name__
