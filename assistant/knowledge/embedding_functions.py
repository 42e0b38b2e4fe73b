"""The embedding functions the store uses, registered with chromadb.

``local`` runs the model of :mod:`assistant.knowledge.embedding` on this machine; ``openai``
and ``ollama`` are the configurable alternatives.

This module imports chromadb and numpy at import time: import it lazily.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from assistant.config import Settings
from assistant.endpoint_errors import describe_api_error
from assistant.knowledge.embedding import (
    BATCH_TOKENS,
    DEFAULT_OLLAMA_MODEL,
    DEFAULT_OPENAI_MODEL,
    LOCAL_MODEL,
    embed_texts,
)
from assistant.knowledge.errors import KnowledgeError
from assistant.url_display import masked_url, url_without_credentials

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


@register_embedding_function
class LocalMiniLMEmbedding(ReflectEmbedding):
    """all-MiniLM-L6-v2, int8 ONNX, mean-pooled and L2-normalised; runs on this machine."""

    provider = "local"
    model = LOCAL_MODEL

    def __init__(self, batch_tokens: int = BATCH_TOKENS) -> None:
        self.batch_tokens = batch_tokens

    def __call__(self, input: Documents) -> Embeddings:
        return list(embed_texts(input, self.batch_tokens))

    @staticmethod
    def name() -> str:
        return "reflect-minilm-int8"

    def get_config(self) -> dict[str, Any]:
        return {"model": LOCAL_MODEL, "batch_tokens": self.batch_tokens}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> LocalMiniLMEmbedding:
        return LocalMiniLMEmbedding(batch_tokens=int(config.get("batch_tokens", BATCH_TOKENS)))


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

        endpoint = masked_url(self.base_url or "https://api.openai.com/v1")
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
        # Kept in the index on disk: no key, and the address without any secret it carries.
        # Reflect embeds with the configured function, never with one rebuilt from this.
        base_url = url_without_credentials(self.base_url) if self.base_url else None
        return {"model": self.model, "base_url": base_url}

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
                f"embedding with Ollama model {self.model!r} at {masked_url(self.url)} failed "
                f"(HTTP {exc.code}); is the model pulled (`ollama pull {self.model}`)?"
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            raise KnowledgeError(
                f"cannot reach Ollama at {masked_url(self.url)} for embeddings ({exc}); "
                "is it running?"
            ) from None
        except (ValueError, KeyError):
            raise KnowledgeError(
                f"Ollama at {masked_url(self.url)} sent embeddings Reflect cannot read"
            ) from None
        return [np.asarray(vector, dtype=np.float32) for vector in vectors]

    @staticmethod
    def name() -> str:
        return "reflect-ollama"

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model, "url": url_without_credentials(self.url)}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OllamaEmbedding:
        return OllamaEmbedding(model=config["model"], url=config["url"])
