"""The flows offered in menus (home screen, command palette, ``reflect chat``'s help).

Read with ``tomllib`` alone, without validating the files: the home screen lists the flows
before its first frame, and reading every flow whole (:mod:`~assistant.conversation.core.flows`)
is work it does not need. A broken flow file is listed here and
refused, with the file and the field named, when it is started.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant.resources import PROMPTS_DIR

FLOWS_DIR = PROMPTS_DIR / "flows"


@dataclass(frozen=True)
class FlowEntry:
    id: str
    title: str
    description: str
    audience: str
    order: int
    path: Path


@cache
def flow_catalogue() -> tuple[FlowEntry, ...]:
    """The shipped flows, in the order they are offered."""
    entries = [_entry(path) for path in sorted(FLOWS_DIR.glob("*.toml"))]
    return tuple(sorted(entries, key=lambda entry: (entry.order, entry.id)))


def flow_ids() -> list[str]:
    return [entry.id for entry in flow_catalogue()]


def _entry(path: Path) -> FlowEntry:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError:
        data = {}
    return FlowEntry(
        id=str(data.get("id", path.stem)),
        title=str(data.get("title", path.stem)),
        description=str(data.get("description", "")),
        audience=str(data.get("audience", "")),
        order=data["order"] if isinstance(data.get("order"), int) else 100,
        path=path,
    )
