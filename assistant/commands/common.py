"""Helpers shared by the subcommands: settings from flags, the journal, JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from assistant.config import Settings, load_settings, prepare_home
from assistant.sanitize import clean_data

if TYPE_CHECKING:
    from assistant.journal import Journal


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(offline=getattr(args, "offline", False) or None)


def open_journal(settings: Settings) -> Journal:
    """The journal; on a read-only home it is opened for reading, with one line saying so."""
    from assistant.journal import Journal, is_writable  # not loaded by commands without it

    path = settings.journal_path
    if not path.exists() or is_writable(path):
        prepare_home(settings)
    journal = Journal(path, on_notice=lambda notice: print(f"reflect: {notice}", file=sys.stderr))
    if journal.read_only:
        print(f"reflect: {journal.read_only_notice}", file=sys.stderr)
    return journal


def print_json(data: Any) -> None:
    json.dump(clean_data(data), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def fail(message: str, code: int = 1) -> int:
    print(f"reflect: {message}", file=sys.stderr)
    return code
