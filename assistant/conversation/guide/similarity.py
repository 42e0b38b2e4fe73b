"""Sentence vectors for guide mode, from the same local MiniLM model the knowledge base uses.

Guide mode compares an answer with labelled example sentences (its situation) and with the
sentences of a guidance passage (which ones to quote). Both sides repeat from turn to turn,
so vectors are kept in a bounded cache: a turn usually embeds only the new answer.

The model loads once per process (:mod:`assistant.knowledge.embedding` caches it); numpy and
onnxruntime are imported on first use, never at start-up.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from threading import Lock
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

#: Vectors kept between turns: the situation examples, the sentences of the passages seen in
#: a session, and recent answers (384 floats each, about 1.5 kB).
CACHE_SIZE = 4096

_cache: OrderedDict[str, np.ndarray] = OrderedDict()
_lock = Lock()


def vectors(texts: Sequence[str]) -> np.ndarray:
    """One L2-normalised row per text (so a dot product is the cosine similarity)."""
    import numpy as np

    from assistant.knowledge.embedding import embed_texts

    with _lock:
        known = {text: _cache[text] for text in texts if text in _cache}
    missing = [text for text in dict.fromkeys(texts) if text not in known]
    if missing:
        fresh = embed_texts(missing)
        for text, vector in zip(missing, fresh, strict=True):
            known[text] = np.asarray(vector, dtype=np.float32)
    with _lock:
        for text, vector in known.items():
            _cache[text] = vector
            _cache.move_to_end(text)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    rows = [known[text] for text in texts]
    if not rows:
        return np.zeros((0, 384), dtype=np.float32)
    return np.vstack(rows)


def similarities(query: Sequence[str], candidates: Sequence[str]) -> list[float]:
    """The cosine similarity of each candidate to ``query``, the mean of some texts' vectors.

    An answer is given as its sentences: their vectors are usually cached already (the
    situation was read from them), so a turn embeds nothing new here.
    """
    import numpy as np

    if not candidates or not query:
        return [0.0] * len(candidates)
    matrix = vectors([*query, *candidates])
    centre = matrix[: len(query)].mean(axis=0)
    centre = centre / max(float(np.linalg.norm(centre)), 1e-12)
    return [float(value) for value in matrix[len(query) :] @ centre]
