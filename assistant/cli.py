"""The `reflect` command: the TUI by default, and headless subcommands for scripts."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from assistant import __version__
from assistant.config import ConfigError
from assistant.private_files import restrict_umask
from assistant.sanitize import clean_text, is_encodable

if TYPE_CHECKING:
    import argparse

#: The exit code of a command-line tool whose reader went away (128 + SIGPIPE).
EXIT_BROKEN_PIPE = 141

#: The module that registers each command (``register(subparsers)``), in the order of the
#: help. Only the named command's module is imported (all of them for help or an unknown word),
#: so that ``reflect`` alone opens the app without loading the headless commands' code, and a
#: command does not load the others' (``doctor`` alone brought in asyncio and the endpoint
#: client: some 25 ms of every ``reflect knowledge search``).
COMMAND_MODULES = {
    "doctor": "assistant.commands.doctor_cmd",
    "journal": "assistant.commands.journal_cmd",
    "export": "assistant.commands.journal_cmd",
    "actions": "assistant.commands.journal_cmd",
    "knowledge": "assistant.commands.knowledge_cmd",
    "chat": "assistant.commands.chat_cmd",
}
HELP_OPTIONS = ("-h", "--help")


def build_parser(modules: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser, with the commands of ``modules`` (default: every one)."""
    import argparse

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
    if modules is None:
        modules = list(dict.fromkeys(COMMAND_MODULES.values()))
    if modules:
        subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
        for name in modules:
            importlib.import_module(name).register(subparsers)
    return parser


def command_modules(arguments: Sequence[str]) -> list[str] | None:
    """The command modules the parser needs for ``arguments``; None for every one.

    None when help is asked for before any command or a word names no command (the parser
    then lists them all); none at all for options alone, which open the app.
    """
    word = next((arg for arg in arguments if not arg.startswith("-")), None)
    before = arguments[: arguments.index(word)] if word is not None else arguments
    if any(arg in HELP_OPTIONS for arg in before):
        return None
    if word is None:
        return []
    module = COMMAND_MODULES.get(word)
    return [module] if module is not None else None


def open_app(*, offline: bool = False) -> int:
    """Run the TUI, what ``reflect`` does without a command."""
    from assistant.ui.heap import defer_collection

    defer_collection()  # until the first frame: the app's imports are most of its start-up
    from assistant.config import load_settings
    from assistant.ui.app import run_app

    settings = load_settings(offline=offline)
    return run_app(settings)


def chosen_command(arguments: Sequence[str]) -> Callable[[], int]:
    """What the command line asks for, ready to run.

    ``reflect`` alone opens the app without building a parser: argparse and the translations
    it loads (gettext) cost some 3 ms of the time to the first frame.
    """
    if not arguments:
        return open_app
    args = build_parser(command_modules(arguments)).parse_args(arguments)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        return partial(open_app, offline=args.offline)
    return partial(handler, args)


def main(argv: Sequence[str] | None = None) -> int:
    restrict_umask()
    arguments = sys.argv[1:] if argv is None else list(argv)
    undecodable = next((arg for arg in arguments if not is_encodable(arg)), None)
    if undecodable is not None:
        shown = os.fsencode(undecodable).decode("ascii", "backslashreplace")
        print(
            f"reflect: the argument '{shown}' is not valid UTF-8 text; "
            f"Reflect takes only UTF-8 words, ids and file names",
            file=sys.stderr,
        )
        return 2
    run = chosen_command(arguments)
    try:
        code = run()
        sys.stdout.flush()  # here, where a closed pipe is caught, rather than at exit
        return code
    except KeyboardInterrupt:
        print("reflect: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Whoever read our output stopped early (`reflect journal | head`): stop quietly, as
        # other command-line tools do. Output still buffered would fail again at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        if not isinstance(exc, ConfigError) and not _is_journal_error(exc):
            raise
        print(f"reflect: {clean_text(str(exc))}", file=sys.stderr)
        return 2


def _is_journal_error(exc: Exception) -> bool:
    """Whether ``exc`` is the journal's, known without importing the journal: a command that
    never opened it (a knowledge search) cannot have raised one."""
    journal = sys.modules.get("assistant.journal")
    return journal is not None and isinstance(exc, journal.JournalError)
