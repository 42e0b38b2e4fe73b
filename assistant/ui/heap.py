"""Keeping Python's garbage collector from pausing the UI in the middle of a streamed reply.

Once chromadb, onnxruntime and openai are loaded the heap holds hundreds of thousands of
long-lived objects, and every full collection walks them all, stopping the event loop for a
few hundred milliseconds. Objects alive at that point live as long as the app, so they are
moved out of the collector's sight (``gc.freeze``); collections then walk only what the UI has
made since.
"""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Move every object alive now out of the collector's sight."""
    gc.freeze()
