"""The front matter at the top of a guidance file: a YAML block between two ``---`` lines.

The block is read with PyYAML's safe loader, so every form YAML allows works: flow lists
(``[a, b]``), block lists (``- a`` lines), quotes and trailing comments. Values are reduced to
what the corpus format (see ``knowledge/README.md``) uses: a string, or a list of strings.
"""

from __future__ import annotations

import re

FENCE = "---"

FrontMatter = dict[str, str | list[str]]


def split_front_matter(text: str) -> tuple[FrontMatter, str]:
    """Return the front matter fields and the body after them.

    Text that does not open with a ``---`` line, or whose block is never closed, has no front
    matter: all of it is body. A block that is not a YAML mapping (broken YAML, a bare list)
    gives no fields, but the body after it is still the body.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        return {}, text
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() == FENCE:
            return _parse_fields("".join(lines[1:end])), "".join(lines[end + 1 :])
    return {}, text


#: A top-level ``key: value`` line whose plain value holds another ``: `` (``title: GROW: a
#: model``), which YAML rejects but people write; such values are quoted before a second try.
_COLON_IN_VALUE = re.compile(r"^([A-Za-z_][\w-]*):[ \t]+([^'\"\[{#|>&*!].*: .*)$", re.MULTILINE)


def _parse_fields(block: str) -> FrontMatter:
    import yaml  # only when a file is read: a search from the search cache reads none

    try:
        loaded = yaml.safe_load(block)
    except yaml.YAMLError:
        try:
            loaded = yaml.safe_load(_COLON_IN_VALUE.sub(_quoted, block))
        except yaml.YAMLError:
            return {}
    if not isinstance(loaded, dict):
        return {}
    fields: FrontMatter = {}
    for key, value in loaded.items():
        if isinstance(value, list):
            fields[str(key)] = [_scalar(item) for item in value if item is not None]
        elif value is not None and not isinstance(value, dict):
            fields[str(key)] = _scalar(value)
    return fields


def _quoted(match: re.Match[str]) -> str:
    value = match.group(2).rstrip().replace("'", "''")
    return f"{match.group(1)}: '{value}'"


def _scalar(value: object) -> str:
    """A YAML scalar as text: numbers as their digits, booleans as ``true`` or ``false``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()
