"""`reflect doctor [--json]`."""

from __future__ import annotations

import argparse

from assistant.commands.common import Subcommands, print_json, settings_from
from assistant.doctor import as_json, run_checks
from assistant.sanitize import clean_text


def register(subparsers: Subcommands) -> None:
    parser = subparsers.add_parser(
        "doctor", help="check config, endpoint, model, journal and index; non-zero on a problem"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    checks = run_checks(settings)
    if args.json:
        print_json(as_json(settings, checks))
    else:
        for check in checks:
            mark = "ok " if check.ok else "FAIL"
            print(clean_text(f"[{mark}] {check.name}: {check.detail}"))
        problems = sum(not check.ok for check in checks)
        print("All checks passed." if not problems else f"{problems} problem(s) found.")
    return 0 if all(check.ok for check in checks) else 1
