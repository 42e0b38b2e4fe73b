"""Every flow headless against a real model server: llama.cpp serving Gemma 3 270M.

    python benchmarks/real_model.py [--flows prepare,ask,debrief,practice] [--json]
    python benchmarks/real_model.py --base-url http://127.0.0.1:8080/v1 --model NAME

Without ``--base-url`` it assembles the model from the ``realmodel`` extra into a temporary
folder and starts ``llama_cpp.server`` on a free loopback port (as the tests do). Each flow
runs through the engine as ``reflect chat FLOW`` does, with the default reply limits from
config (or the environment), and the answers of the test suite. For each reply it prints the
purpose, its ``max_tokens``, the tokens it took (the API's usage, else one per streamed piece),
the time to its first text, tokens per second, and whether it was cut (``length``: max_tokens,
``time``: the reply's time limit, ``bytes``: the byte cap) or stopped by the stream guard (in
the flow's notices); then each flow's total. Target on 2 cores: a whole debrief <= 300 s with
every request capped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.config import Settings, load_settings, prepare_home
from assistant.conversation.core.engine import Engine
from assistant.conversation.core.events import ArtifactReady, Event, TurnComplete
from assistant.conversation.core.headless import run_headless
from assistant.conversation.model.client import ModelClient, ReplyStats
from assistant.journal import Journal
from assistant.knowledge import KnowledgeBase
from tests.support.conversation import FLOW_ANSWERS
from tests.support.llama_server import MODEL_ALIAS, start_llama_server

DEBRIEF_TARGET_SECONDS = 300


def reply_row(stats: ReplyStats) -> dict[str, Any]:
    return {
        "purpose": str(stats.purpose),
        "max_tokens": stats.max_tokens,
        "tokens": stats.tokens,
        "first_text_s": None
        if stats.first_text_seconds is None
        else round(stats.first_text_seconds, 2),
        "tokens_per_s": None
        if stats.tokens_per_second is None
        else round(stats.tokens_per_second, 1),
        "seconds": round(stats.seconds, 2),
        "cut": str(stats.cut) if stats.cut else "",
    }


async def run_flow(settings: Settings, flow: str) -> dict[str, Any]:
    model = ModelClient(settings)
    knowledge = KnowledgeBase(settings)
    started = time.monotonic()
    try:
        with Journal(settings.journal_path) as journal:
            engine = Engine(settings, journal, knowledge, model=model)
            result = await run_headless(engine, flow, FLOW_ANSWERS[flow], progress(model))
    finally:
        await model.aclose()
        knowledge.close()
    return {
        "flow": flow,
        "mode": result.mode,
        "seconds": round(time.monotonic() - started, 1),
        "replies": [reply_row(stats) for stats in model.replies],
        "notices": result.notices,
    }


def progress(model: ModelClient) -> Callable[[Event], None]:
    """Prints each reply's figures to stderr as soon as its turn is complete."""

    def on_event(event: Event) -> None:
        finished = isinstance(event, ArtifactReady) or (
            isinstance(event, TurnComplete) and event.role == "assistant"
        )
        if finished and model.replies:
            print(f"  ... {reply_row(model.replies[-1])}", file=sys.stderr, flush=True)

    return on_event


def print_flow(report: dict[str, Any]) -> None:
    print(f"\n{report['flow']} ({report['mode']} mode)")
    print(f"  {'purpose':<8} {'max':>5} {'tokens':>6} {'ttft s':>7} {'tok/s':>6} {'secs':>6}  cut")
    for row in report["replies"]:
        print(
            f"  {row['purpose']:<8} {row['max_tokens']:>5} {_cell(row['tokens']):>6} "
            f"{_cell(row['first_text_s']):>7} {_cell(row['tokens_per_s']):>6} "
            f"{row['seconds']:>6}  {row['cut'] or '-'}"
        )
    for notice in report["notices"]:
        print(f"  notice: {notice}")
    print(f"  total: {report['seconds']} s for {len(report['replies'])} requests")


def _cell(value: object) -> str:
    return "-" if value is None else str(value)


async def measure(settings: Settings, flows: list[str]) -> list[dict[str, Any]]:
    KnowledgeBase(settings).ensure_index()
    return [await run_flow(settings, flow) for flow in flows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flows", default="prepare,ask,debrief,practice")
    parser.add_argument("--base-url", help="an already running server instead of starting one")
    parser.add_argument("--model", default=MODEL_ALIAS)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    flows = [flow.strip() for flow in args.flows.split(",") if flow.strip()]

    with tempfile.TemporaryDirectory(prefix="reflect-real-model-") as folder:
        server = None if args.base_url else start_llama_server(Path(folder) / "llama")
        try:
            base_url = args.base_url or server.base_url  # type: ignore[union-attr]
            env = {"REFLECT_HOME": str(Path(folder) / "home"), "OPENAI_BASE_URL": base_url}
            settings = load_settings({**_limit_env(), **env, "REFLECT_MODEL": args.model})
            prepare_home(settings)
            reports = asyncio.run(measure(settings, flows))
        finally:
            if server is not None:
                server.stop()

    every_capped = all(row["max_tokens"] for r in reports for row in r["replies"])
    debrief = [r["seconds"] for r in reports if r["flow"] == "debrief"]
    if args.json:
        print(json.dumps({"flows": reports, "every_request_capped": every_capped}, indent=2))
    else:
        for report in reports:
            print_flow(report)
        print(f"\nevery request capped: {'yes' if every_capped else 'NO'}")
        if debrief:
            verdict = "within" if debrief[0] <= DEBRIEF_TARGET_SECONDS else "OVER"
            print(f"debrief: {debrief[0]} s, {verdict} the {DEBRIEF_TARGET_SECONDS} s target")
    return 0


def _limit_env() -> dict[str, str]:
    """Reply limits given in the environment (REFLECT_REPLY_TOKENS_COACH, ...)."""
    import os

    return {name: value for name, value in os.environ.items() if name.startswith("REFLECT_")}


if __name__ == "__main__":
    raise SystemExit(main())
