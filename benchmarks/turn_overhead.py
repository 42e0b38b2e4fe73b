"""The time Reflect itself adds to a conversation turn, against a model that answers at once.

    python benchmarks/turn_overhead.py [--turns N] [--json]

A scripted OpenAI-compatible server on loopback answers every request instantly. For each
turn the engine retrieves guidance (embedding the query, hybrid search), budgets and
assembles the prompt, writes the user's turn, the state and the reply to the journal, and
streams the reply through the real ``openai`` client. The figures:

- turn: wall time of ``engine.send(answer)`` in model mode, end to end;
- model call: time inside the client's stream, from the request to the last delta
  (HTTP on loopback, SSE parsing);
- overhead: turn minus model call, i.e. what the app adds (target p50 <= 30 ms);
- of which retrieval: the knowledge search of the turn (embedding the query, hybrid search),
  which runs while the answer is being saved, so the parts overlap;
- of which journal: the turn's commits (user turn with its state, reply with its state);
- guide turn: the same turn in guide mode, which has no model call at all.

The first turns (model load, first queries) are left out as warm-up.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.config import Settings, load_settings, prepare_home
from assistant.conversation.core.engine import Engine
from assistant.conversation.model.client import ModelClient
from assistant.conversation.model.limits import ReplyPurpose
from assistant.journal import Journal, Turn
from assistant.knowledge import KnowledgeBase, Passage
from tests.support.openai_server import Reply, ScriptedOpenAI

TARGET_P50_MS = 30.0
WARM_UP_TURNS = 3
ANSWER = (
    "Maria said my design doc was thorough but that I talk too fast in meetings, and that "
    "I should bring one clear ask to each review. Turn {n}."
)


class TimedKnowledgeBase(KnowledgeBase):
    """The real knowledge base, with the time of each search recorded."""

    seconds: list[float]

    def search(self, query: str, **options: Any) -> list[Passage]:
        started = time.perf_counter()
        try:
            return super().search(query, **options)
        finally:
            self.seconds.append(time.perf_counter() - started)


class TimedJournal(Journal):
    """The real journal, with the time of each turn or session write recorded."""

    seconds: list[float]

    def add_turn(self, *args: Any, **kwargs: Any) -> Turn:
        started = time.perf_counter()
        try:
            return super().add_turn(*args, **kwargs)
        finally:
            self.seconds.append(time.perf_counter() - started)

    def update_session(self, *args: Any, **kwargs: Any) -> None:
        started = time.perf_counter()
        try:
            super().update_session(*args, **kwargs)
        finally:
            self.seconds.append(time.perf_counter() - started)


class TimedModelClient(ModelClient):
    """The real client, with the time spent inside each streamed reply recorded."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.seconds: list[float] = []

    async def stream_reply(
        self,
        messages: list[dict[str, str]],
        *,
        purpose: ReplyPurpose = ReplyPurpose.COACH,
        temperature: float | None = None,
    ) -> AsyncIterator[str]:
        started = time.perf_counter()
        try:
            stream = super().stream_reply(messages, purpose=purpose, temperature=temperature)
            async for delta in stream:
                yield delta
        finally:
            self.seconds.append(time.perf_counter() - started)


async def timed_turns(
    engine: Engine, turns: int, timed: list[list[float]]
) -> dict[str, list[float]]:
    """Per answered turn: its seconds, and the seconds each of ``timed`` recorded during it.

    ``/back`` between answers keeps the flow on one step, so every turn is alike.
    """
    await drain(engine.start("debrief"))
    figures: dict[str, list[float]] = {"turn": [], **{str(i): [] for i in range(len(timed))}}
    for n in range(turns):
        marks = [len(record) for record in timed]
        started = time.perf_counter()
        await drain(engine.send(ANSWER.format(n=n)))
        figures["turn"].append(time.perf_counter() - started)
        for i, record in enumerate(timed):
            figures[str(i)].append(sum(record[marks[i] :]))
        await drain(engine.send("/back"))
    return figures


async def drain(events: AsyncIterator[object]) -> None:
    async for _ in events:
        pass


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(seconds: list[float]) -> dict[str, float]:
    kept = [s * 1000 for s in seconds[WARM_UP_TURNS:]]
    return {
        "p50_ms": round(statistics.median(kept), 2),
        "p95_ms": round(percentile(kept, 0.95), 2),
    }


async def measure(home: str, turns: int, server: ScriptedOpenAI) -> dict[str, dict[str, float]]:
    settings = load_settings(
        {
            "REFLECT_HOME": home,
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEY": "sk-benchmark",
            "REFLECT_MODEL": "test-model",
        }
    )
    prepare_home(settings)
    knowledge = TimedKnowledgeBase(settings)
    knowledge.ensure_index()
    model = TimedModelClient(settings)
    knowledge.seconds, model.seconds = [], []
    try:
        with TimedJournal(settings.journal_path) as journal:
            journal.seconds = []
            timed = [model.seconds, knowledge.seconds, journal.seconds]
            engine = Engine(settings, journal, knowledge, model=model)
            with_model = await timed_turns(engine, turns, timed)
            guide = await timed_turns(Engine(settings, journal, knowledge), turns, timed)
    finally:
        await model.aclose()
        knowledge.close()
    model_call, retrieval, writes = with_model["0"], with_model["1"], with_model["2"]
    overhead = [t - m for t, m in zip(with_model["turn"], model_call, strict=True)]
    return {
        "turn": summary(with_model["turn"]),
        "model_call": summary(model_call),
        "overhead": summary(overhead),
        "retrieval": summary(retrieval),
        "journal": summary(writes),
        "guide_turn": summary(guide["turn"]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=60, help="answered turns to time")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with ScriptedOpenAI() as server, tempfile.TemporaryDirectory() as home:
        server.default = Reply(text="You said “too fast” [1]. What will you try first?")
        figures = asyncio.run(measure(home, args.turns, server))
    met = figures["overhead"]["p50_ms"] <= TARGET_P50_MS
    if args.json:
        print(json.dumps({**figures, "target_p50_ms": TARGET_P50_MS, "met": met}, indent=2))
    else:
        print(f"{args.turns} turns, first {WARM_UP_TURNS} left out as warm-up")
        for name, values in figures.items():
            print(f"{name:<11} p50 {values['p50_ms']:7.2f} ms   p95 {values['p95_ms']:7.2f} ms")
        print("(retrieval and journal are parts of overhead; guide turn has no model call)")
        verdict = "met" if met else "NOT met"
        print(f"target: overhead p50 <= {TARGET_P50_MS:g} ms: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
