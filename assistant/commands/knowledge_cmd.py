"""`reflect knowledge index|add|search|sources`: the guidance index from the shell."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import TextIO

from assistant.commands.common import Subcommands, fail, print_json, settings_from
from assistant.knowledge import KnowledgeBase, KnowledgeError
from assistant.knowledge.documents import AUDIENCES, MOMENTS
from assistant.sanitize import clean_text

EXCERPT_CHARS = 220
BAR_WIDTH = 24


def register(subparsers: Subcommands) -> None:
    knowledge = subparsers.add_parser(
        "knowledge", help="the guidance index: build it, add your own files, search it"
    )
    commands = knowledge.add_subparsers(dest="knowledge_command", metavar="COMMAND")
    commands.required = True

    index = commands.add_parser("index", help="build or update the index (unchanged files skipped)")
    index.add_argument("--rebuild", action="store_true", help="start over from an empty index")
    index.add_argument("-v", "--verbose", action="store_true", help="one line per file indexed")
    index.set_defaults(handler=run_index)

    add = commands.add_parser("add", help="add your own .md/.txt files or folders as sources")
    add.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    add.set_defaults(handler=run_add)

    search = commands.add_parser("search", help="the passages that best answer QUERY")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("-k", type=int, default=5, metavar="N", help="how many (default 5)")
    search.add_argument("--json", action="store_true", help="print one JSON object")
    search.add_argument("--audience", choices=AUDIENCES, help="mentee or mentor (and both)")
    search.add_argument(
        "--moment", action="append", choices=MOMENTS, help="before, during, after (repeatable)"
    )
    search.set_defaults(handler=run_search)

    sources = commands.add_parser("sources", help="list the indexed files; remove one you added")
    sources.add_argument("--json", action="store_true", help="print one JSON object")
    sources.add_argument(
        "--remove",
        metavar="PATH",
        help="stop using a file or folder you added (its path, or its name as listed)",
    )
    sources.set_defaults(handler=run_sources)


class ProgressBar:
    """``[#####.....] 12/32 files`` redrawn in place on a terminal; silent otherwise.

    With ``verbose`` every finished file gets its own line instead, terminal or not. A call
    with ``total`` 0 comes while a large added folder is still searched for files: it shows
    how many were found so far.
    """

    def __init__(self, stream: TextIO | None = None, verbose: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.verbose = verbose
        self.live = self.stream.isatty() and not verbose
        self.drawn = False

    def __call__(self, done: int, total: int, label: str) -> None:
        if self.live and not total and label:
            self.stream.write(clean_text(f"\rLooking for files in {label}: {done} found "))
            self.stream.flush()
            self.drawn = True
        elif self.verbose and label:
            print(clean_text(f"indexed {done}/{total}: {label}"), file=self.stream, flush=True)
        elif self.live and total:
            filled = BAR_WIDTH * done // total
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self.stream.write(f"\r\033[K[{bar}] {done}/{total} files ")
            self.stream.flush()
            self.drawn = True

    def finish(self, line: str) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
        print(clean_text(line), file=self.stream, flush=True)


def _open(args: argparse.Namespace) -> KnowledgeBase:
    return KnowledgeBase.open(settings_from(args))


def _print_problems(problems: list[str]) -> None:
    for problem in problems:
        print(clean_text(f"reflect: {problem}"), file=sys.stderr)


def run_index(args: argparse.Namespace) -> int:
    bar = ProgressBar(verbose=args.verbose)
    try:
        with _open(args) as kb:
            report = kb.ensure_index(bar, rebuild=args.rebuild)
            _print_problems(kb.notices)
    except KnowledgeError as exc:
        return fail(str(exc))
    bar.finish(report.summary())
    _print_problems(report.problems)
    return 0


def run_add(args: argparse.Namespace) -> int:
    bar = ProgressBar()
    try:
        with _open(args) as kb:
            report = kb.add_sources(args.paths, bar)
    except KnowledgeError as exc:
        return fail(str(exc))
    if report.index is not None:
        bar.finish(report.index.summary())
    _print_problems(report.problems)
    if not report.added:
        return fail("nothing was added")
    names = ", ".join(report.added[:5]) + (", ..." if len(report.added) > 5 else "")
    print(clean_text(f"Added {len(report.added)} file(s): {names}"))
    return 0


def run_search(args: argparse.Namespace) -> int:
    if args.k < 1:
        return fail("-k must be at least 1", 2)
    try:
        with _open(args) as kb:
            if not kb.is_current():
                bar = ProgressBar()
                _print_problems(kb.notices)
                bar.finish(kb.ensure_index(bar).summary())
            passages = kb.search(args.query, k=args.k, audience=args.audience, moments=args.moment)
    except KnowledgeError as exc:
        return fail(str(exc))
    if args.json:
        print_json({"query": args.query, "results": [p.as_json() for p in passages]})
        return 0
    if not passages:
        print("No passages found.")
    for number, passage in enumerate(passages, start=1):
        print(clean_text(f"{number}. {passage.title} — {passage.heading}"))
        print(clean_text(f"   {passage.source}  (score {passage.score:.3f})"))
        excerpt = textwrap.shorten(" ".join(clean_text(passage.text).split()), EXCERPT_CHARS)
        print(textwrap.indent(textwrap.fill(excerpt, 96), "   "))
        print()
    return 0


def run_sources(args: argparse.Namespace) -> int:
    if args.remove:
        return _remove_source(args)
    try:
        with _open(args) as kb:
            infos = kb.sources()
            kb.planned_files()
            _print_problems(kb.source_problems)
    except KnowledgeError as exc:
        return fail(str(exc))
    if args.json:
        print_json(
            {
                "sources": [
                    {"source": i.source, "title": i.title, "builtin": i.builtin, "chunks": i.chunks}
                    for i in infos
                ]
            }
        )
        return 0
    for info in infos:
        kind = "built-in" if info.builtin else "yours"
        print(clean_text(f"{info.source:<48} {info.chunks:>3} chunks  {kind:<8} {info.title}"))
    return 0


def _remove_source(args: argparse.Namespace) -> int:
    from assistant.knowledge.sources import remove_user_root

    settings = settings_from(args)
    root = remove_user_root(settings, args.remove)
    if root is None:
        return fail(
            f"no source you added matches {args.remove!r}; `reflect knowledge sources` lists them"
        )
    bar = ProgressBar()
    try:
        with KnowledgeBase.open(settings) as kb:
            report = kb.ensure_index(bar)
    except KnowledgeError as exc:
        return fail(f"removed {root.path} from your sources, but the index was not updated: {exc}")
    bar.finish(report.summary())
    print(clean_text(f"Removed {root.path} ({root.prefix}): {len(report.removed)} file(s) out"))
    return 0
