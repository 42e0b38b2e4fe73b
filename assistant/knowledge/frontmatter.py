"""The front matter at the top of a guidance file: a tiny YAML subset.

Only ``key: value`` lines and flow lists (``key: [a, b]``) between two ``---`` lines are
understood; that is all the corpus format (see ``knowledge/README.md``) allows.
"""

from __future__ import annotations

FENCE = "---"

FrontMatter = dict[str, str | list[str]]


def split_front_matter(text: str) -> tuple[FrontMatter, str]:
    """Return the front matter fields and the body after them.

    Text that does not open with a ``---`` line, or whose block is never closed, has no front
    matter: all of it is body. Lines in the block that are not ``key: value`` are ignored.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        return {}, text
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() == FENCE:
            fields = _parse_fields(lines[1:end])
            return fields, "".join(lines[end + 1 :])
    return {}, text


def _parse_fields(lines: list[str]) -> FrontMatter:
    fields: FrontMatter = {}
    for line in lines:
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon or not key or key.startswith("#"):
            continue
        value = value.strip()
        if value.startswith("[") and value.endswith("]"):
            fields[key] = [_unquote(item) for item in value[1:-1].split(",") if item.strip()]
        else:
            fields[key] = _unquote(value)
    return fields


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value
