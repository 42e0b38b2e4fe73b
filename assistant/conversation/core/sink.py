"""One sink for the engine's events, drained by the driver as a stream.

The engine's work is plain coroutine code that calls :meth:`EventSink.emit`; the driver
iterates :func:`event_stream`. ``emit`` returns only when the driver asks for the next event,
so the work runs exactly as far as a generator would: nothing happens ahead of the driver,
and cancelling (or closing) the stream cancels the work at the ``emit`` it is waiting in, so
a reply cut off there is saved as interrupted and nothing more is emitted.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import suppress
from typing import Any

from assistant.conversation.core.events import Event

Work = Callable[["EventSink"], Coroutine[Any, Any, None]]


class EventSink:
    """Where the engine's work puts its events, one at a time."""

    def __init__(self) -> None:
        self._events: asyncio.Queue[Event | None] = asyncio.Queue()
        self._pulled = asyncio.Event()

    async def emit(self, event: Event) -> None:
        """Hand ``event`` to the driver; return when the driver wants the next one."""
        self._pulled.clear()
        self._events.put_nowait(event)
        await self._pulled.wait()

    async def emit_all(self, events: list[Event]) -> None:
        for event in events:
            await self.emit(event)

    async def next_event(self) -> Event | None:
        """For the stream: the next event, once the previous one was handled; None at the end."""
        self._pulled.set()
        return await self._events.get()

    def end(self, _work: object = None) -> None:
        """For the stream: the work is over (done, failed or cancelled)."""
        self._events.put_nowait(None)


async def event_stream(work: Work) -> AsyncIterator[Event]:
    """Run ``work`` with a fresh sink and yield what it emits, in order.

    An exception in the work is raised here, after the events emitted before it.
    """
    sink = EventSink()
    task = asyncio.ensure_future(work(sink))
    task.add_done_callback(sink.end)
    try:
        while (event := await sink.next_event()) is not None:
            yield event
        task.result()
    finally:
        if not task.done():
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
