"""Sentence vectors for themes: the knowledge base's local model, with a cache on disk.

Vectors come from :func:`assistant.knowledge.embedding.embed_texts` (the one local MiniLM
model, loaded once per process; nothing leaves the machine). Each is kept in a SQLite file in
``REFLECT_HOME`` under the SHA-256 of the model's name and the text, so reopening insights
embeds only what was said since. The file holds vectors and hashes, no text, and is private
to the user like the journal.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import numpy as np

from assistant.knowledge.embedding import LOCAL_MODEL, VECTOR_SIZE, embed_texts
from assistant.knowledge.errors import KnowledgeError
from assistant.private_files import ensure_private_dir, make_private

#: Texts per call to the model: each batch is stored before the next, so an interrupted
#: computation keeps what it did, and the model's working memory stays that of one batch.
EMBED_BATCH = 128
#: Hashes per ``IN (...)`` lookup, well under SQLite's limit on bound parameters.
LOOKUP_BATCH = 500
SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)"


class ModelUnavailable(Exception):
    """The local embedding model cannot run here; the message says why, in one line."""


def text_key(text: str) -> str:
    return hashlib.sha256(f"{LOCAL_MODEL}\n{text}".encode()).hexdigest()


class VectorCache:
    """Vectors by :func:`text_key`, in one SQLite file (opened per use, from any thread).

    It remembers the keys asked for since it was made, so that :meth:`keep_only_used` can drop
    the rest: the vectors of a deleted session leave the file the next time themes are found.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.used: set[str] = set()

    def _connect(self) -> sqlite3.Connection:
        ensure_private_dir(self.path.parent)
        db = sqlite3.connect(self.path)
        make_private(self.path)
        db.execute(SCHEMA)
        return db

    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        self.used.update(keys)
        found: dict[str, np.ndarray] = {}
        if not self.path.exists():
            return found
        with closing(self._connect()) as db:
            for start in range(0, len(keys), LOOKUP_BATCH):
                batch = keys[start : start + LOOKUP_BATCH]
                marks = ", ".join("?" * len(batch))
                rows = db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch)
                for key, blob in rows:
                    if len(blob) == VECTOR_SIZE * 4:  # a damaged row is embedded again
                        found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put(self, vectors: dict[str, np.ndarray]) -> None:
        with closing(self._connect()) as db, db:
            db.executemany(
                "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                [(key, np.asarray(v, dtype=np.float32).tobytes()) for key, v in vectors.items()],
            )

    def keep_only_used(self) -> None:
        """Delete every vector not asked for since this cache was made."""
        if not self.path.exists():
            return
        with closing(self._connect()) as db, db:
            db.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
            db.executemany("INSERT INTO used (key) VALUES (?)", ((key,) for key in self.used))
            db.execute("DELETE FROM vectors WHERE key NOT IN (SELECT key FROM used)")


def _embed(texts: list[str]) -> np.ndarray:
    try:
        return embed_texts(texts)
    except (KnowledgeError, ImportError, OSError, RuntimeError) as exc:
        raise ModelUnavailable(
            str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        ) from exc


def sentence_vectors(texts: Sequence[str], cache: VectorCache | None) -> np.ndarray:
    """One unit vector per text, in order: from the cache where it has them, else embedded
    :data:`EMBED_BATCH` at a time and stored.

    Raises :class:`ModelUnavailable` when texts must be embedded and the model cannot run.
    """
    keys = [text_key(text) for text in texts]
    known = cache.get(list(dict.fromkeys(keys))) if cache is not None else {}
    missing = list(
        {key: text for key, text in zip(keys, texts, strict=True) if key not in known}.items()
    )
    for start in range(0, len(missing), EMBED_BATCH):
        batch = missing[start : start + EMBED_BATCH]
        fresh = dict(
            zip((key for key, _ in batch), _embed([text for _, text in batch]), strict=True)
        )
        if cache is not None:
            cache.put(fresh)
        known.update(fresh)
    if not keys:
        return np.zeros((0, VECTOR_SIZE), dtype=np.float32)
    return np.vstack([known[key] for key in keys]).astype(np.float32, copy=False)
