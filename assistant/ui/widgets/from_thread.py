"""Handing a thread worker's result back to the screen that asked for it, safely."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any

from textual.message_pump import MessagePump
from textual.worker import get_current_worker


def deliver(node: MessagePump, callback: Callable[..., Any], *args: Any) -> Any:
    """From a thread worker, run ``callback(*args)`` on the app's loop and return its result.

    Nothing runs (and None is returned) when the worker was cancelled or ``node`` has left the
    app: a user who goes back while a search, an index build or the doctor checks are still
    running never has a late result land on removed widgets.
    """
    if get_current_worker().is_cancelled:
        return None

    def on_loop() -> Any:
        return callback(*args) if node.is_attached else None

    with suppress(RuntimeError):  # the app closed while the work ran
        return node.app.call_from_thread(on_loop)
    return None
