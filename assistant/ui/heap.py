"""Keeping Python's garbage collector from pausing the UI in the middle of a streamed reply.

Once chromadb, onnxruntime and openai are loaded the heap holds hundreds of thousands of
long-lived objects, and every full collection walks them all, stopping the event loop for a
few hundred milliseconds. Objects alive at that point live as long as the app, so they are
moved out of the collector's sight (``gc.freeze``); collections then walk only what the UI has
made since, and run less often (measured with ``benchmarks/stream_render.py``: the longest
stall while streaming fell from about 300 ms to under 200 ms on a 2-core machine).
"""

from __future__ import annotations

import gc

#: Allocations between young collections, and young collections between older ones. Python's
#: defaults (700, 10, 10) make a full collection every few seconds of streaming.
GC_THRESHOLDS = (10_000, 20, 100)


def settle_heap() -> None:
    """Move every object alive now out of the collector's sight; collect less often."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
