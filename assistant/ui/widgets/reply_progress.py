"""The status of a reply on its way: "Thinking… 3 s", then "Writing… 5 s · 38 tok/s".

A slow model (a small local one writes a few tokens a second) must not look stuck: the line
counts the seconds since the request went out, and once words arrive, how fast they come. Esc
stops the reply; what arrived is kept.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

from assistant.tokens import count_tokens

#: How often the line is redrawn while a reply is on its way.
TICK_SECONDS = 0.5
#: A rate is shown only once tokens have come in over at least this long: the first few
#: arrive together and would give a meaningless figure.
MIN_RATE_SECONDS = 0.5


@dataclass
class StreamRate:
    """Tokens of one reply and when they came: the rate is counted from the first token."""

    started: float
    first_token_at: float | None = None
    tokens: int = 0
    _last_token_at: float = field(default=0.0, repr=False)

    def add(self, text: str, now: float) -> None:
        if self.first_token_at is None:
            self.first_token_at = now
        self.tokens += count_tokens(text)
        self._last_token_at = now

    def elapsed(self, now: float) -> float:
        return now - self.started

    def per_second(self) -> float | None:
        """Tokens a second after the first one; None until there is enough to tell."""
        if self.first_token_at is None:
            return None
        span = self._last_token_at - self.first_token_at
        if span < MIN_RATE_SECONDS or self.tokens < 2:
            return None
        return (self.tokens - 1) / span


class ReplyProgress(Static):
    """Shown while a reply is on its way, hidden otherwise.

    ``show_clock=False`` (tests and snapshots) leaves the figures out, so frames are stable.
    Only a reply that streams (model mode) shows a rate: guide mode says its reply at once.
    """

    rate: reactive[StreamRate | None] = reactive(None, always_update=True)

    def __init__(self, *, show_clock: bool = True) -> None:
        super().__init__(markup=False)
        self._show_clock = show_clock
        self._timer: Timer | None = None

    @property
    def started(self) -> float | None:
        return self.rate.started if self.rate is not None else None

    def watch_rate(self, rate: StreamRate | None) -> None:
        self.display = rate is not None
        if rate is None and self._timer is not None:
            self._timer.stop()
            self._timer = None
        elif rate is not None and self._timer is None and self._show_clock:
            self._timer = self.set_interval(TICK_SECONDS, self._tick)
        self._tick()

    def start(self) -> None:
        """A request went out: count seconds from now."""
        self.rate = StreamRate(started=time.monotonic())

    def stop(self) -> None:
        self.rate = None

    def streamed(self, text: str) -> None:
        """Words of the reply arrived (the count starts if it was not running)."""
        if self.rate is None:
            self.start()
        assert self.rate is not None
        self.rate.add(text, time.monotonic())

    def _tick(self) -> None:
        rate = self.rate
        if rate is None:
            return
        self.update(progress_line(rate, time.monotonic(), show_clock=self._show_clock))


def progress_line(rate: StreamRate, now: float, *, show_clock: bool) -> str:
    """ "Thinking… 3 s  esc stops" before the first token; "Writing… 5 s · 38 tok/s" after."""
    verb = "Thinking…" if rate.first_token_at is None else "Writing…"
    if not show_clock:
        return f"{verb}  esc stops"
    figures = f"{int(rate.elapsed(now))} s"
    per_second = rate.per_second()
    if per_second is not None:
        figures += f" · {per_second:.0f} tok/s"
    return f"{verb} {figures}  esc stops"
