"""Helpers shared by the subcommands: settings from flags, the journal, JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from assistant.config import Settings, load_settings, prepare_home
from assistant.journal import Journal


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(offline=getattr(args, "offline", False) or None)


def open_journal(settings: Settings) -> Journal:
    prepare_home(settings)
    return Journal(settings.journal_path)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def fail(message: str, code: int = 1) -> int:
    print(f"reflect: {message}", file=sys.stderr)
    return code
