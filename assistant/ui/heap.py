"""Keeping Python's garbage collector from pausing the UI in the middle of a streamed reply.

Once chromadb, onnxruntime and openai are loaded the heap holds hundreds of thousands of
long-lived objects, and every full collection walks them all, stopping the event loop for a
few hundred milliseconds. Objects alive at that point live as long as the app, so they are
moved out of the collector's sight (``gc.freeze``).

What the UI makes after that is collected in small steps while a reply streams: young
collections of a few thousand objects (a few milliseconds each) and middle ones every five of
those. A full collection still walks everything the UI holds (up to a tenth of a second), so
it is left for the moment a reply has been drawn (:func:`collect_if_due`), not for Python to
start in the middle of a stream. Measured with ``benchmarks/stream_render.py``.
"""

from __future__ import annotations

import gc

#: Allocations between young collections, young collections between middle ones, and middle
#: ones between full ones (which :func:`collect_if_due` runs sooner, at a quiet moment).
GC_THRESHOLDS = (3_000, 5, 1_000)
#: Middle collections since the last full one after which a finished reply triggers one.
#: Every reply leaves behind the live Markdown it was drawn with (cycles that only a full
#: collection frees); left for twenty middle collections they raised the memory of a
#: 100-message conversation by some 10 MB (benchmarks/journal_bench.py). Two cost a full
#: collection (about 70 ms, after the reply is drawn) every other reply or so.
FULL_COLLECTION_DUE = 2


def defer_collection() -> None:
    """No collections while the app starts, until :func:`start_collecting` after its first frame.

    Start-up (imports, styles, the home screen) makes hundreds of thousands of objects that
    live as long as the app, and the full collections Python ran among them took about 30 ms
    of the 290 ms of CPU to the first frame (``benchmarks/startup.py``).
    """
    gc.disable()


def start_collecting() -> None:
    """Collect again, once the first frame is drawn (a no-op if collection was never deferred)."""
    gc.enable()


def settle_heap() -> None:
    """Move every object alive now out of the collector's sight; collect in small steps."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def collect_if_due() -> None:
    """A full collection, if the UI has made enough since the last one to be worth it."""
    if gc.get_count()[2] >= FULL_COLLECTION_DUE:
        gc.collect()
