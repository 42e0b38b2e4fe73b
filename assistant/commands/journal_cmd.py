"""`reflect journal`, `reflect export` and `reflect actions`: the journal from the shell."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path

from assistant.commands.common import Subcommands, fail, open_journal, print_json, settings_from
from assistant.sanitize import clean_text
from assistant.session_status import status_word

#: The fewest characters of an action item's id that close it: one letter could match the
#: wrong item by accident.
MIN_ID_PREFIX = 4


def register(subparsers: Subcommands) -> None:
    journal = subparsers.add_parser("journal", help="list sessions, newest first")
    journal.add_argument("--json", action="store_true", help="print one JSON object")
    journal.add_argument("--limit", type=int, default=50, help="how many sessions (default 50)")
    journal.set_defaults(handler=list_sessions)

    export = subparsers.add_parser("export", help="a session's artifact as Markdown")
    export.add_argument("session_id", metavar="SESSION_ID", help="id, or a unique prefix of it")
    export.add_argument("-o", "--output", type=Path, help="write to this file (default: stdout)")
    export.add_argument(
        "--force", action="store_true", help="replace the file given with -o if it exists"
    )
    export.add_argument(
        "--brief",
        action="store_true",
        help="the short brief for your mentor instead of the full artifact",
    )
    export.set_defaults(handler=export_artifact)

    actions = subparsers.add_parser("actions", help="open action items; mark one done")
    actions.add_argument("--json", action="store_true", help="print one JSON object")
    actions.add_argument("--done", metavar="ID", help="mark this action item done")
    actions.set_defaults(handler=list_actions)


def list_sessions(args: argparse.Namespace) -> int:
    with open_journal(settings_from(args)) as journal:
        sessions = journal.list_sessions(limit=args.limit)
        if args.json:
            print_json(
                {
                    "sessions": [
                        {key: value for key, value in asdict(s).items() if key != "state"}
                        for s in sessions
                    ]
                }
            )
            return 0
        if not sessions:
            print("No sessions yet. Run `reflect` or `reflect chat prepare` to start one.")
            return 0
        print(f"{'ID':<9} {'DATE':<17} {'FLOW':<9} {'STATUS':<10} TITLE")
        for s in sessions:
            when = s.created_at[:16].replace("T", " ")
            line = f"{s.id:<9} {when:<17} {s.flow:<9} {status_word(s.status):<10} {s.title}"
            print(clean_text(line))
    return 0


def export_artifact(args: argparse.Namespace) -> int:
    with open_journal(settings_from(args)) as journal:
        session = journal.get_session(args.session_id)
        if session is None:
            return fail(f"no session matches {args.session_id!r}; `reflect journal` lists them")
        artifact = journal.artifact(session.id)
    if artifact is None:
        status = status_word(session.status)
        return fail(f"session {session.id} ({session.flow}, {status}) has no artifact yet")
    text = artifact.markdown
    if args.brief:
        from assistant.conversation.guide.brief import mentor_brief

        text = mentor_brief(session.flow, artifact.markdown)
    text = clean_text(text)
    if args.output:
        from assistant.export_file import ExportError, write_export

        try:
            write_export(args.output, text, force=args.force)
        except ExportError as exc:
            return fail(str(exc))
        print(clean_text(f"Wrote {args.output}"), file=sys.stderr)
    else:
        sys.stdout.write(text.rstrip("\n") + "\n")
    return 0


def list_actions(args: argparse.Namespace) -> int:
    with open_journal(settings_from(args)) as journal:
        if args.done:
            item = journal.get_action_item(args.done)
            if item is None:
                return fail(f"no action item matches {args.done!r}; `reflect actions` lists them")
            if item.id != args.done and len(args.done) < MIN_ID_PREFIX:
                return fail(
                    clean_text(
                        f"{args.done!r} is too short to be sure: it matches {item.id} "
                        f"({item.text}); give at least {MIN_ID_PREFIX} characters of the id"
                    )
                )
            journal.set_action_status(item.id, "done")
            print(clean_text(f"Done: {item.text}"))
            return 0
        items = journal.action_items("open")
    if args.json:
        print_json(
            {"action_items": [asdict(item) | {"overdue": item.is_overdue()} for item in items]}
        )
        return 0
    if not items:
        print("No open action items.")
        return 0
    for item in items:
        due = f" (due {item.due}{', overdue' if item.is_overdue() else ''})" if item.due else ""
        print(clean_text(f"{item.id}  {item.text}{due}"))
    return 0
