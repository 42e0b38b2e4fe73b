"""`reflect chat FLOW [--input FILE] [--json] [--offline]`: run a flow headless."""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from assistant.commands.common import (
    Subcommands,
    fail,
    open_journal,
    print_json,
    settings_from,
    warn,
)
from assistant.config import Settings
from assistant.conversation.core.catalogue import flow_ids
from assistant.conversation.core.events import ErrorOccurred, Event, Notice, TextDelta, TurnComplete
from assistant.sanitize import StreamCleaner, clean_text

if TYPE_CHECKING:
    from assistant.conversation.core.headless import ChatResult
    from assistant.journal import Journal
    from assistant.knowledge import KnowledgeBase


def register(subparsers: Subcommands) -> None:
    parser = subparsers.add_parser(
        "chat",
        help="run a flow headless: turns from a file or stdin, separated by lines holding ---",
        description=(
            "Run a conversation without the app. User turns come from FILE (or stdin), "
            "separated by lines holding only ---; each block answers one step, in order. "
            "The coach asks no follow-up questions in scripted input (in the app it may ask "
            "one when an answer is thin, vague or sweeping), so a follow-up never shifts "
            "later blocks into the wrong steps. The end of the input finishes the flow and "
            "produces its artifact."
        ),
    )
    parser.add_argument("flow", metavar="FLOW", help=f"one of: {', '.join(flow_ids())}")
    parser.add_argument("--input", type=Path, metavar="FILE", help="read the turns from FILE")
    parser.add_argument("--json", action="store_true", help="print one JSON object at the end")
    parser.add_argument(
        "--offline",
        action="store_true",
        default=argparse.SUPPRESS,
        help="guide mode: never call a model endpoint",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.flow not in flow_ids():
        return fail(f"unknown flow {args.flow!r}; choose one of: {', '.join(flow_ids())}", 2)
    try:
        stream = _input_stream(args.input)
    except OSError as exc:
        return fail(f"cannot read {args.input}: {exc.strerror or exc}", 2)
    settings = settings_from(args)
    printer = None if args.json else _ConversationPrinter()
    with open_journal(settings) as journal, stream:
        knowledge = _knowledge(settings, quiet=args.json)
        try:
            result = asyncio.run(_chat(settings, journal, knowledge, args.flow, stream, printer))
        finally:
            if knowledge is not None:
                knowledge.close()
    if args.json:
        print_json(result.as_json())
    else:
        print()
        sys.stdout.write(clean_text(result.markdown))
        print(f"\nSaved as session {result.session_id}; `reflect export {result.session_id}`.")
    return 0


async def _chat(
    settings: Settings,
    journal: Journal,
    knowledge: KnowledgeBase | None,
    flow_id: str,
    stream: TextIO,
    printer: _ConversationPrinter | None,
) -> ChatResult:
    from assistant.commands.input_limits import bounded_lines
    from assistant.conversation.core.engine import Engine
    from assistant.conversation.core.headless import read_turns, run_headless
    from assistant.session_lock import SessionLock

    model = None
    if settings.model_mode:
        from assistant.conversation.model.client import ModelClient

        model = ModelClient(settings)
    lock: SessionLock | None = None

    def on_event(event: Event) -> None:
        # The new session is this run's alone: a window cannot resume it meanwhile.
        nonlocal lock
        if lock is None and engine.session is not None:
            lock = SessionLock.take(settings.home, engine.session.id)
        if printer is not None:
            printer(event)

    try:
        engine = Engine(settings, journal, knowledge, model=model)
        turns = read_turns(bounded_lines(stream, warn))
        return await run_headless(engine, flow_id, turns, on_event)
    finally:
        if lock is not None:
            lock.release()
        if model is not None:
            await model.aclose()


def _input_stream(path: Path | None) -> TextIO:
    if path is not None:
        return path.open(encoding="utf-8", errors="replace")
    if sys.stdin.isatty():
        print(
            "Type each answer, then a line with --- to send it; end with Ctrl-D.",
            file=sys.stderr,
        )
    return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")


def _knowledge(settings: Settings, *, quiet: bool) -> KnowledgeBase | None:
    """The knowledge base, indexed; None (the flow runs without guidance) if it cannot be."""
    from assistant.knowledge import KnowledgeBase

    knowledge = KnowledgeBase.open(settings)
    try:
        if not knowledge.is_current():
            for notice in knowledge.notices:
                warn(notice)
            if not quiet:
                print("Building the guidance index (first run only)…", file=sys.stderr)
            knowledge.ensure_index()
    except Exception as exc:  # any failure only costs the guidance, never the conversation
        warn(f"guidance is not available this time: {exc}")
        knowledge.close()
        return None
    return knowledge


class _ConversationPrinter:
    """Prints the conversation as it happens: replies as they stream, then their sources.

    Everything printed is text from a model, a document or the user, so it goes through
    :func:`clean_text` (a streamed reply through a :class:`StreamCleaner`): no escape sequence
    reaches the terminal.
    """

    def __init__(self) -> None:
        self._streaming = False
        self._cleaner = StreamCleaner()

    def __call__(self, event: Event) -> None:
        if isinstance(event, TextDelta):
            if not self._streaming:
                sys.stdout.write("\nReflect: ")
                self._streaming = True
                self._cleaner = StreamCleaner()
            sys.stdout.write(self._cleaner.feed(event.text))
            sys.stdout.flush()
        elif isinstance(event, TurnComplete) and event.role == "assistant":
            if not self._streaming:
                sys.stdout.write(f"\nReflect: {clean_text(event.content)}")
            self._streaming = False
            if event.interrupted:
                sys.stdout.write(" [cut off]")
            sys.stdout.write("\n")
            for number, source in enumerate(event.sources, start=1):
                line = f"  [{number}] {source.title} ({source.source})"
                sys.stdout.write(clean_text(line) + "\n")
        elif isinstance(event, TurnComplete):
            sys.stdout.write(f"\nYou: {clean_text(event.content)}\n")
        elif isinstance(event, Notice):
            sys.stdout.write(f"\nNote: {clean_text(event.text)}\n")
        elif isinstance(event, ErrorOccurred):
            sys.stdout.write(f"\nNote: {clean_text(event.message)}\n")
        sys.stdout.flush()
