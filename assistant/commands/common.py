"""Helpers shared by the subcommands: settings from flags, the journal, JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Protocol

from assistant.config import Settings, load_settings, prepare_home
from assistant.journal import Journal, is_writable
from assistant.sanitize import clean_data, clean_text


class Subcommands(Protocol):
    """What a command module's ``register`` needs of ``ArgumentParser.add_subparsers()``.

    argparse's own class for it is private (``_SubParsersAction``); this names the one method
    used, so the commands depend on argparse's public surface only.
    """

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser: ...


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(offline=getattr(args, "offline", False) or None)


def open_journal(settings: Settings) -> Journal:
    """The journal; on a read-only home it is opened for reading, with one line saying so."""
    path = settings.journal_path
    if not path.exists() or is_writable(path):
        prepare_home(settings)
    journal = Journal(path, on_notice=warn)
    if journal.read_only:
        warn(journal.read_only_notice)
    return journal


def print_json(data: Any) -> None:
    json.dump(clean_data(data), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def warn(message: str) -> None:
    """One line on stderr. Messages name files and quote servers and libraries, so they are
    cleaned of control characters first, like everything else Reflect prints."""
    print(f"reflect: {clean_text(message)}", file=sys.stderr, flush=True)


def fail(message: str, code: int = 1) -> int:
    warn(message)
    return code
