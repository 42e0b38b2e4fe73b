"""Streaming a long reply into the conversation screen: render latency and frame gaps.

Runs the real ReflectApp (headless, 100x30) in model mode against the scripted
OpenAI-compatible server on loopback, over real HTTP and SSE. The server runs in a process of
its own, as a real endpoint would, so that its pacing does not compete with the app for the
interpreter lock. The model's reply to the first
answer is a 3,000-token Markdown document (paragraphs, lists, headings, emphasis, code),
streamed one token per SSE event at 300 tokens a second. Prints:

- the time from the last token reaching the screen to the first frame showing the finished
  reply (target: at most 100 ms);
- the longest gap between two frames while the reply streams (target: none over 100 ms);
- how long the tokens took to arrive, against the 10 s they took to send.

    python benchmarks/stream_render.py [--tokens 3000] [--rate 300]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TOKENS_DEFAULT = 3000
RATE_DEFAULT = 300.0
SIZE = (100, 30)

WORDS = """
feedback moment behaviour impact team question advice decision meeting mentor deadline
demo estimate review release plan goal step week report listen notice name describe ask
agree try change effect open specific clear calm honest short first next later together
because when before after while during since until which that what where how why who
""".split()  # noqa: SIM905


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    words[rng.randrange(len(words))] = f"**{rng.choice(WORDS)}**"
    return " ".join(words).capitalize() + "."


def markdown_reply(tokens: int) -> list[str]:
    """A realistic Markdown reply (headings, paragraphs, lists, code) cut into exactly
    ``tokens`` model tokens (cl100k). Its words are drawn at random (seeded) so that the
    stream guard does not take the reply for a model repeating itself and cut it short."""
    from assistant.tokens import encoding

    enc = encoding()
    rng = random.Random(7)
    parts: list[str] = []
    section = 0
    while sum(len(enc.encode(part)) for part in parts) < tokens + 50:
        section += 1
        parts.append(f"\n\n## Part {section}: {rng.choice(WORDS)} {rng.choice(WORDS)}\n\n")
        for _ in range(3):
            parts.append(" ".join(sentence(rng) for _ in range(3)) + "\n\n")
        if section % 2:
            parts += [f"- {sentence(rng)}\n" for _ in range(4)]
        else:
            parts.append(f"```\n{' -> '.join(rng.sample(WORDS, 5))}\n```\n")
    ids = enc.encode("".join(parts))[:tokens]
    return [enc.decode([token]) for token in ids]


SERVER_SCRIPT = """
import json, sys
from tests.support.openai_server import Reply, ScriptedOpenAI

script = json.loads(sys.stdin.readline())
with ScriptedOpenAI(models=["bench-model"]) as server:
    server.queue(Reply(text=script["question"]))
    server.queue(Reply(chunks=script["chunks"], chunk_delay=script["delay"]))
    print(server.base_url, flush=True)
    sys.stdin.read()  # serve until the benchmark closes our stdin
"""


@contextmanager
def scripted_server(chunks: list[str], rate: float) -> Iterator[str]:
    """The scripted server in a child process; yields its base URL."""
    root = Path(__file__).resolve().parent.parent
    child = subprocess.Popen(
        [sys.executable, "-c", SERVER_SCRIPT],
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    script = {"question": "What do you want to leave this meeting with?", "chunks": chunks}
    child.stdin.write(json.dumps({**script, "delay": 1 / rate}) + "\n")
    child.stdin.flush()
    try:
        yield child.stdout.readline().strip()
    finally:
        child.stdin.close()
        child.wait(timeout=10)


def prepare_home(home: Path) -> None:
    """A home with the knowledge index built, so the stream is all that is measured."""
    from assistant.config import load_settings
    from assistant.knowledge import KnowledgeBase

    knowledge = KnowledgeBase.open(load_settings())
    knowledge.ensure_index()
    knowledge.close()


def _clock() -> tuple[float, float]:
    """Wall time, and the CPU time of this thread (the app's event loop runs on it)."""
    return time.perf_counter(), time.thread_time()


async def measure(chunks: list[str], rate: float) -> dict[str, float]:
    from assistant.config import load_settings
    from assistant.ui.app import ReflectApp
    from assistant.ui.conversation_screen import ConversationScreen
    from assistant.ui.widgets.chat import AssistantMessage

    frames: list[tuple[float, float]] = []
    arrivals: list[tuple[float, float]] = []
    completed: list[tuple[float, float]] = []

    class MeasuredApp(ReflectApp):
        def _display(self, screen, renderable) -> None:
            super()._display(screen, renderable)
            if renderable is not None:
                frames.append(_clock())

    class MeasuredMessage(AssistantMessage):
        async def append(self, delta: str) -> None:
            arrivals.append(_clock())
            await super().append(delta)

        async def complete(self, *args, **kwargs) -> None:
            await super().complete(*args, **kwargs)
            completed.append(_clock())

    import assistant.ui.conversation_screen as conversation_module

    conversation_module.AssistantMessage = MeasuredMessage  # type: ignore[misc]  # the screen makes replies with it

    with scripted_server(chunks, rate) as base_url:
        os.environ.update(
            OPENAI_BASE_URL=base_url, OPENAI_API_KEY="bench", REFLECT_MODEL="bench-model"
        )
        app = MeasuredApp(load_settings(), show_clock=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("1")
            screen = app.screen
            assert isinstance(screen, ConversationScreen)
            while screen.busy:
                await pilot.pause(0.05)
            arrivals.clear()
            completed.clear()
            box = screen.query_one("#message")
            box.insert("I want a decision on the team lead role.")  # type: ignore[attr-defined]
            await pilot.press("enter")
            await pilot.pause(0.1)
            while screen.busy:
                await pilot.pause(0.05)
            await pilot.pause(0.3)
    first, last = arrivals[0], arrivals[-1]
    finished = next(frame for frame in frames if frame[0] >= completed[-1][0])
    streaming = [frame for frame in frames if first[0] <= frame[0] <= last[0]]
    pairs = list(itertools.pairwise(streaming))
    return {
        "deltas": len(arrivals),
        "arrival_seconds": last[0] - first[0],
        "frames": len(streaming),
        "finish_ms": (finished[0] - last[0]) * 1000,
        "finish_cpu_ms": (finished[1] - last[1]) * 1000,
        "longest_gap_ms": max(b[0] - a[0] for a, b in pairs) * 1000,
        "longest_gap_cpu_ms": max(b[1] - a[1] for a, b in pairs) * 1000,
        "cpu_share": (last[1] - first[1]) / (last[0] - first[0]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=TOKENS_DEFAULT)
    parser.add_argument("--rate", type=float, default=RATE_DEFAULT, help="tokens per second")
    args = parser.parse_args()
    chunks = markdown_reply(args.tokens)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["REFLECT_HOME"] = str(Path(tmp) / "home")
        os.environ["ANONYMIZED_TELEMETRY"] = "False"
        prepare_home(Path(tmp) / "home")
        result = asyncio.run(measure(chunks, args.rate))
    sent = len(chunks) / args.rate
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"reply: {len(chunks)} tokens at {args.rate:g} tokens/s ({sent:.1f} s to send)")
    print(f"machine: {os.cpu_count()} cores, load average {load}")
    print(
        f"deltas shown: {result['deltas']:.0f} over {result['arrival_seconds']:.1f} s, "
        f"{result['frames']:.0f} frames; the event loop was busy "
        f"{result['cpu_share']:.0%} of that time"
    )
    print(
        f"last token to finished render: {result['finish_ms']:.0f} ms "
        f"({result['finish_cpu_ms']:.0f} ms of it computing) (target <= 100)"
    )
    print(
        f"longest gap between frames: {result['longest_gap_ms']:.0f} ms "
        f"(longest computing between two frames: {result['longest_gap_cpu_ms']:.0f} ms) "
        f"(target <= 100)"
    )
    print(
        "Wall-clock figures include any time the process waited for a core on a busy "
        "machine; the computing figures are the app's own work."
    )


if __name__ == "__main__":
    main()
