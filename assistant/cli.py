"""The `reflect` command: the TUI by default, and headless subcommands for scripts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from assistant import __version__
from assistant.commands import chat_cmd, doctor_cmd, journal_cmd, knowledge_cmd
from assistant.config import ConfigError
from assistant.journal import JournalError
from assistant.private_files import restrict_umask

COMMAND_MODULES = (doctor_cmd, journal_cmd, knowledge_cmd, chat_cmd)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reflect",
        description=(
            "Reflect: prepare for mentoring meetings, frame good questions, reflect on "
            "feedback, and practise giving it. Run without a command to open the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"reflect {__version__}")
    parser.add_argument(
        "--offline", action="store_true", help="guide mode: never call a model endpoint"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def open_app(args: argparse.Namespace) -> int:
    from assistant.config import load_settings
    from assistant.ui.app import run_app

    settings = load_settings(offline=args.offline)
    return run_app(settings)


def main(argv: Sequence[str] | None = None) -> int:
    restrict_umask()
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", open_app)
    try:
        return handler(args)
    except (ConfigError, JournalError) as exc:
        print(f"reflect: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("reflect: interrupted", file=sys.stderr)
        return 130
