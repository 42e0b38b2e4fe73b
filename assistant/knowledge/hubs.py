"""How much of a hub a chunk is: a passage that resembles every question, answering none.

Some chunks come back for almost anything (a file's general introduction, "If they react
badly", "small wins"): their vectors sit near the middle of all mentoring talk. A chunk's hub
score is its mean cosine similarity to a fixed set of probe questions spread over every
topic of the corpus; search takes a share of it off the chunk's score. The probes are fixed,
so a chunk's score does not depend on which other files are indexed and is computed once,
when the chunk is embedded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

#: Questions across the whole field, none about one passage in particular.
PROBES = (
    "what does a mentor do",
    "how do I find a mentor",
    "how should I prepare for our first meeting",
    "how often should we meet",
    "how do I set goals with my mentor",
    "what should go on the agenda",
    "how do I ask better questions",
    "how can I listen better",
    "how do I take feedback well",
    "how do I give feedback to someone",
    "how do I build trust",
    "how do I raise a problem",
    "I feel like I am not good enough",
    "how do I use my mentor's network",
    "what should I write down after a session",
    "how do I follow through on what I agreed",
    "how do I thank my mentor",
    "how do I get better at mentoring",
    "our relationship has changed",
    "how do I end a mentorship",
    "why do companies run mentoring programmes",
    "what are the myths about mentoring",
    "what does the mentor get out of it",
    "I do not want to waste their time",
    "we meet over video",
    "what is peer or reverse mentoring",
    "I have too much on",
    "what is a sponsor",
)


def probe_vectors(embed: Callable[[list[str]], Sequence[Any]]) -> Any:
    """The probes embedded by the index's embedding function, as one matrix."""
    import numpy as np

    return np.asarray(embed(list(PROBES)), dtype=np.float32)


def hub_scores(probes: Any, vectors: Sequence[Any]) -> list[float]:
    """Each vector's mean cosine similarity to the probes (all vectors are unit length)."""
    import numpy as np

    if not len(vectors):
        return []
    chunks = np.asarray(vectors, dtype=np.float32)
    return [float(value) for value in (chunks @ probes.T).mean(axis=1)]
