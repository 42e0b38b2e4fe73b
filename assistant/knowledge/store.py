"""The chromadb side: the client, the collection, and the guard against mixed embeddings.

The collection's metadata records which embedding function built it (``embedding``), the
chunk format (``schema``) and a fingerprint of the sources it was last synced with. Opening
it with another embedding function raises :class:`KnowledgeError`: vectors from two models
cannot be compared, so the index has to be rebuilt.

This module imports chromadb at import time: import it lazily.
"""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings

from assistant.config import Settings
from assistant.knowledge.chunking import SCHEMA_VERSION
from assistant.knowledge.embedding_functions import ReflectEmbedding
from assistant.knowledge.errors import REBUILD_HINT, IndexUnreadable, KnowledgeError
from assistant.knowledge.namespace import COLLECTION_NAME
from assistant.private_files import ensure_private_dir
from assistant.url_display import masked_url


@dataclass
class Store:
    """An open connection to the collection that holds the chunks."""

    client: Any
    embedding: ReflectEmbedding
    location: str
    name: str = COLLECTION_NAME

    def collection(self) -> Any | None:
        """The collection, or None when there is none yet; raises on mixed embeddings."""
        try:
            collection = self.client.get_collection(self.name, embedding_function=None)
        except chromadb.errors.NotFoundError:
            return None
        except ValueError as exc:
            if "does not exist" in str(exc):
                return None
            raise
        built_with = (collection.metadata or {}).get("embedding")
        if built_with != self.embedding.identity:
            raise KnowledgeError(
                f"the knowledge index at {self.location} was built with {built_with} "
                f"embeddings, but the settings ask for {self.embedding.identity}; "
                f"{REBUILD_HINT} to rebuild it with {self.embedding.identity}"
            )
        return collection

    def create(self) -> Any:
        return self.client.create_collection(
            self.name,
            metadata=self.metadata(fingerprint=""),
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=self.embedding,
        )

    def drop(self) -> None:
        with contextlib.suppress(chromadb.errors.NotFoundError, ValueError):
            self.client.delete_collection(self.name)

    @staticmethod
    def in_current_format(collection: Any) -> bool:
        """Whether ``collection`` was built with this version's chunk format."""
        return (collection.metadata or {}).get("schema") == SCHEMA_VERSION

    def metadata(self, fingerprint: str) -> dict[str, Any]:
        return {
            "embedding": self.embedding.identity,
            "schema": SCHEMA_VERSION,
            "fingerprint": fingerprint,
        }


def connect(settings: Settings) -> Any:
    """A chromadb client: the Chroma server at ``chroma_url``, else the embedded store."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        parsed = urlparse(settings.chroma_url)
        https = parsed.scheme == "https"
        try:
            return chromadb.HttpClient(
                host=parsed.hostname or "localhost",
                port=parsed.port or (443 if https else 8000),
                ssl=https,
                settings=chroma_settings,
            )
        except Exception as exc:
            raise KnowledgeError(
                f"cannot reach the Chroma server at {location(settings)} ({_first_line(exc)}); "
                f"unset REFLECT_CHROMA_URL to use the local index instead"
            ) from None
    ensure_private_dir(settings.index_dir)
    try:
        return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
    except Exception as exc:  # chromadb raises several types for damaged files
        raise IndexUnreadable(
            f"the index at {settings.index_dir} cannot be read ({_first_line(exc)}); {REBUILD_HINT}"
        ) from None


def remove_local_index(settings: Settings) -> None:
    """Delete a damaged embedded index, so that it can be built again from the sources.

    The index holds nothing that is not in the sources (the user's list of sources lives
    outside it), so this loses nothing. chromadb keeps one client system per path in the
    process, and a failed open leaves a broken one behind: its cache is cleared first.
    """
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    shutil.rmtree(settings.index_dir, ignore_errors=True)


def location(settings: Settings) -> str:
    """Where the index is, as it may be shown: a secret in the server's address is masked."""
    return masked_url(settings.chroma_url) if settings.chroma_url else str(settings.index_dir)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__
