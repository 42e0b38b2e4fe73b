"""The flows offered in menus (home screen, command palette, ``reflect chat``'s help).

Read with ``tomllib`` alone, without validating the files: the home screen lists the flows
before its first frame, and reading every flow whole (:mod:`~assistant.conversation.core.flows`)
is work it does not need. A broken flow file is listed here and
refused, with the file and the field named, when it is started.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from assistant.resources import PROMPTS_DIR

FLOWS_DIR = PROMPTS_DIR / "flows"


class FlowEntry(NamedTuple):
    """A flow as the menus offer it. A named tuple: made at every start, and a dataclass
    costs several times as much to define."""

    id: str
    title: str
    description: str
    audience: str
    order: int
    path: Path


@cache
def flow_catalogue() -> tuple[FlowEntry, ...]:
    """The shipped flows, in the order they are offered."""
    entries = [flow_entry(path) for path in sorted(FLOWS_DIR.glob("*.toml"))]
    return tuple(sorted(entries, key=lambda entry: (entry.order, entry.id)))


def flow_ids() -> list[str]:
    return [entry.id for entry in flow_catalogue()]


def flow_entry(path: Path) -> FlowEntry:
    """How the flow in ``path`` is offered; what a broken file does not say, from its name."""
    try:
        data = _top_level_keys(path.read_text(encoding="utf-8"))
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


def _top_level_keys(text: str) -> dict[str, Any]:
    """The keys above the file's first table, which are all the menu needs.

    TOML puts every top-level key before the first table header (``[artifact]``,
    ``[[steps]]``), and the steps and prompts below it are most of a file: parsing whole
    files took some 3 ms of the time to the first frame. A line that starts with ``[`` inside
    a multi-line string or array cuts it unclosed, which does not parse: the whole file is
    read then.
    """
    offset = 0
    for line in text.splitlines(keepends=True):
        if line.lstrip(" \t").startswith("["):
            try:
                return tomllib.loads(text[:offset])
            except tomllib.TOMLDecodeError:
                break
        offset += len(line)
    return tomllib.loads(text)
