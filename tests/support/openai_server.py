"""A scripted OpenAI-compatible HTTP server on loopback, for tests.

The real ``openai`` client talks real HTTP to it, so tests exercise the client's own status
mapping, retries, timeouts and SSE parsing. Tests script the answers of
``POST /v1/chat/completions`` with :class:`Reply` objects and inspect what was sent through
:attr:`ScriptedOpenAI.requests`.

Every response carries ``Connection: close``: no keep-alive connection can hold a handler
thread, so :meth:`ScriptedOpenAI.stop` never waits on an idle client.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import urlsplit

from tests.support.lifecycle import StartStop

CHAT_PATH = "/v1/chat/completions"
MODELS_PATH = "/v1/models"
EMBEDDINGS_PATH = "/v1/embeddings"
#: Size of the vectors ``POST /v1/embeddings`` returns.
EMBEDDING_DIMENSIONS = 64

#: What OpenAI sends per status: default message, error type and code.
_ERRORS: dict[int, tuple[str, str, str | None]] = {
    400: ("Bad request.", "invalid_request_error", None),
    401: ("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
    404: ("Not found.", "invalid_request_error", None),
    429: ("Rate limit reached. Please try again later.", "requests", "rate_limit_exceeded"),
    500: (
        "The server had an error while processing your request. Sorry about that!",
        "server_error",
        None,
    ),
    503: ("The engine is currently overloaded, please try again later.", "server_error", None),
}

_MALFORMED_SSE = b"data: {not json\n\n"
_MALFORMED_JSON = b'{"id": "chatcmpl-'


@dataclass
class Reply:
    """How the server answers one chat completion request (or ``GET /v1/models``)."""

    text: str = "OK"
    status: int = 200
    error_message: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunk_delay: float = 0.0
    chunks: list[str] | None = None
    cut_after: int | None = None
    malformed: bool = False
    ignore_stream: bool = False
    empty: bool = False
    raw_body: str | None = None
    finish_reason: str = "stop"


@dataclass
class RecordedRequest:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None


class ScriptedOpenAI(StartStop):
    """An OpenAI-compatible server running in a background thread on ``127.0.0.1``.

    Chat replies come from :meth:`queue` in order, then from :attr:`responder` if set, then
    :attr:`default`. A request for a model not in :attr:`models` gets OpenAI's 404
    ``model_not_found`` unless a queued reply or the responder answers it.
    """

    def __init__(self, models: list[str] | None = None) -> None:
        self.models: list[str] = list(models) if models is not None else ["test-model"]
        self.requests: list[RecordedRequest] = []
        self.default = Reply()
        self.responder: Callable[[RecordedRequest], Reply] | None = None
        self.models_status = 200
        self.models_reply: Reply | None = None
        #: Answers ``POST /v1/embeddings`` instead of the word-hashing vectors when set
        #: (an error status, a delay, a raw body).
        self.embeddings_reply: Reply | None = None
        self._replies: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("ScriptedOpenAI is not started")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def queue(self, *replies: Reply) -> None:
        """Append replies for the next chat completion requests, consumed in order."""
        with self._lock:
            self._replies.extend(replies)

    def chat_requests(self) -> list[RecordedRequest]:
        """The recorded ``POST /v1/chat/completions`` requests, in order."""
        with self._lock:
            return [
                r
                for r in self.requests
                if r.method == "POST" and urlsplit(r.path).path == CHAT_PATH
            ]

    def embedding_requests(self) -> list[RecordedRequest]:
        """The recorded ``POST /v1/embeddings`` requests, in order."""
        with self._lock:
            return [r for r in self.requests if r.method == "POST" and r.path == EMBEDDINGS_PATH]

    def start(self) -> Self:
        if self._server is not None:
            raise RuntimeError("ScriptedOpenAI is already started")
        self._stopping.clear()
        self._server = _Server(self)
        # A short poll interval keeps stop() (which waits for the next poll) fast.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="scripted-openai",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket; pending delays are cut short."""
        if self._server is None or self._thread is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = None
        self._thread = None

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _scripted_reply(self, request: RecordedRequest) -> Reply | None:
        with self._lock:
            if self._replies:
                return self._replies.popleft()
        if self.responder is not None:
            return self.responder(request)
        return None

    def _pause(self, seconds: float) -> None:
        """Sleep, but wake up when the server stops so that stop() does not wait on delays."""
        if seconds > 0:
            self._stopping.wait(seconds)


class _Server(ThreadingHTTPServer):
    def __init__(self, app: ScriptedOpenAI) -> None:
        self.app = app
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Bounds socket reads and writes, so a stuck client cannot block stop() for long.
    timeout = 10
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        app = self.server.app
        request = self._read_request()
        app._record(request)
        route = (request.method, urlsplit(request.path).path)
        try:
            if route == ("GET", MODELS_PATH):
                self._models(app)
            elif route == ("POST", CHAT_PATH):
                self._chat(app, request)
            elif route == ("POST", EMBEDDINGS_PATH):
                self._embeddings(app, request)
            else:
                self._send_error(404, f"Invalid URL ({request.method} {request.path})")
        except (ConnectionError, TimeoutError):
            # The client went away (timeout, closed stream): nothing left to answer.
            self.close_connection = True

    def _read_request(self) -> RecordedRequest:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return RecordedRequest(
            method=self.command,
            path=self.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=parsed if isinstance(parsed, dict) else None,
        )

    def _models(self, app: ScriptedOpenAI) -> None:
        reply = app.models_reply or Reply(status=app.models_status)
        data = [{"id": m, "object": "model", "created": 0, "owned_by": "test"} for m in app.models]
        self._send_reply(reply, {"object": "list", "data": data})

    def _chat(self, app: ScriptedOpenAI, request: RecordedRequest) -> None:
        body = request.body
        if body is None:
            self._send_error(400, "We could not parse the JSON body of your request.")
            return
        try:
            reply = app._scripted_reply(request)
        except Exception as error:
            # A failing responder (say, an assertion in it) becomes a visible 500.
            self._send_error(500, f"responder raised {error!r}")
            return
        if reply is None:
            model = body.get("model")
            if model not in app.models:
                self._send_error(404, f"The model `{model}` does not exist", "model_not_found")
                return
            reply = app.default
        self._send_reply(reply, _completion(reply, body), stream_for=body)

    def _embeddings(self, app: ScriptedOpenAI, request: RecordedRequest) -> None:
        """Deterministic vectors: texts that share words get similar vectors."""
        body = request.body or {}
        texts = body.get("input")
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(texts, list):
            self._send_error(400, "'input' must be a string or a list of strings.")
            return
        if body.get("model") not in app.models and app.embeddings_reply is None:
            self._send_error(
                404, f"The model `{body.get('model')}` does not exist", "model_not_found"
            )
            return
        payload = {
            "object": "list",
            "data": [
                {"object": "embedding", "index": i, "embedding": word_hash_vector(str(text))}
                for i, text in enumerate(texts)
            ],
            "model": body.get("model"),
            "usage": {"prompt_tokens": 0, "total_tokens": 0},
        }
        self._send_reply(app.embeddings_reply or Reply(), payload)

    def _send_reply(
        self, reply: Reply, payload: dict[str, Any], stream_for: dict[str, Any] | None = None
    ) -> None:
        """Send ``payload`` as ``reply`` shapes it; ``stream_for`` is a chat request body."""
        self.server.app._pause(reply.delay)
        if reply.raw_body is not None:
            self._send_body(reply.status, reply.raw_body.encode(), reply.headers)
        elif not 200 <= reply.status < 300:
            self._send_error(reply.status, reply.error_message, headers=reply.headers)
        elif stream_for is not None and stream_for.get("stream") and not reply.ignore_stream:
            self._stream(reply, stream_for)
        elif reply.malformed:
            self._send_body(reply.status, _MALFORMED_JSON, reply.headers)
        else:
            self._send_body(reply.status, json.dumps(payload).encode(), reply.headers)

    def _send_error(
        self,
        status: int,
        message: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        default_message, error_type, default_code = _ERRORS.get(
            status,
            (
                _phrase(status),
                "server_error" if status >= 500 else "invalid_request_error",
                None,
            ),
        )
        error = {
            "message": message or default_message,
            "type": error_type,
            "param": None,
            "code": code or default_code,
        }
        self._send_body(status, json.dumps({"error": error}).encode(), headers or {})

    def _send_body(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, reply: Reply, body: dict[str, Any]) -> None:
        """Send the reply as SSE over chunked transfer encoding, one HTTP chunk per event.

        With ``cut_after`` the connection closes without the terminating chunk, so the client
        sees a truncated body, as when a real server drops the connection.
        """
        text = "" if reply.empty else reply.text
        pieces = reply.chunks if reply.chunks is not None else _split_words(text)
        if reply.cut_after is not None:
            pieces = pieces[: reply.cut_after]
        completion_id = _completion_id()
        created = int(time.time())

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            return {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": body.get("model"),
                "choices": [choice],
            }

        events = [_sse(chunk({"role": "assistant", "content": ""}))]
        events += [_sse(chunk({"content": piece})) for piece in pieces]
        if reply.malformed:
            events.insert(1 + len(pieces) // 2, _MALFORMED_SSE)
        if reply.cut_after is None:
            events.append(_sse(chunk({}, reply.finish_reason)))
            if (body.get("stream_options") or {}).get("include_usage"):
                events.append(_sse({**chunk({}), "choices": [], "usage": _usage(body, text)}))
            events.append(b"data: [DONE]\n\n")

        self.send_response(reply.status)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        for index, event in enumerate(events):
            if index:
                self.server.app._pause(reply.chunk_delay)
            self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
            self.wfile.flush()
        if reply.cut_after is None:
            self.wfile.write(b"0\r\n\r\n")


def word_hash_vector(text: str, dimensions: int = EMBEDDING_DIMENSIONS) -> list[float]:
    """A unit vector with one component per hashed word: shared words mean similar vectors."""
    vector = [0.0] * dimensions
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        vector[zlib.crc32(word.encode()) % dimensions] += 1.0
    norm = sum(v * v for v in vector) ** 0.5 or 1.0
    return [v / norm for v in vector]


def _completion(reply: Reply, body: dict[str, Any]) -> dict[str, Any]:
    text = "" if reply.empty else reply.text
    return {
        "id": _completion_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None},
                "logprobs": None,
                "finish_reason": reply.finish_reason,
            }
        ],
        "usage": _usage(body, text),
    }


def _usage(body: dict[str, Any], text: str) -> dict[str, int]:
    """Rough token counts: words in the request's messages and in the answer."""
    messages = body.get("messages") or []
    prompt = sum(len(str(m.get("content") or "").split()) for m in messages if isinstance(m, dict))
    completion = len(text.split())
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _split_words(text: str) -> list[str]:
    """Split into word-sized pieces that join back to ``text`` exactly."""
    return re.findall(r"\s*\S+|\s+\Z", text)


def _sse(payload: dict[str, Any]) -> bytes:
    return b"data: %s\n\n" % json.dumps(payload).encode()


def _completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
