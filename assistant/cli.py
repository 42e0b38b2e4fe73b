"""The `reflect` command: the TUI by default, and headless subcommands for scripts."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from assistant import __version__
from assistant.config import ConfigError
from assistant.journal import JournalError
from assistant.private_files import restrict_umask
from assistant.sanitize import clean_text, is_encodable

#: The exit code of a command-line tool whose reader went away (128 + SIGPIPE).
EXIT_BROKEN_PIPE = 141

#: One module per subcommand, each with ``register(subparsers)``. They are imported only when
#: the command line names a command (or asks for help), so that ``reflect`` alone opens the app
#: without loading the headless commands' code.
COMMAND_MODULES = (
    "assistant.commands.doctor_cmd",
    "assistant.commands.journal_cmd",
    "assistant.commands.knowledge_cmd",
    "assistant.commands.chat_cmd",
)


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
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
    if with_commands:
        subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
        for name in COMMAND_MODULES:
            importlib.import_module(name).register(subparsers)
    return parser


def _names_a_command(arguments: Sequence[str]) -> bool:
    """Whether the parser needs the subcommands: a word that is not an option, or help."""
    return any(not arg.startswith("-") or arg in ("-h", "--help") for arg in arguments)


def open_app(args: argparse.Namespace) -> int:
    from assistant.config import load_settings
    from assistant.ui.app import run_app

    settings = load_settings(offline=args.offline)
    return run_app(settings)


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
    parser = build_parser(with_commands=_names_a_command(arguments))
    args = parser.parse_args(arguments)
    handler = getattr(args, "handler", open_app)
    try:
        code = handler(args)
        sys.stdout.flush()  # here, where a closed pipe is caught, rather than at exit
        return code
    except (ConfigError, JournalError) as exc:
        print(f"reflect: {clean_text(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("reflect: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Whoever read our output stopped early (`reflect journal | head`): stop quietly, as
        # other command-line tools do. Output still buffered would fail again at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
