"""Reading one guidance file into a :class:`SourceDocument`, or saying why it cannot be used."""

from __future__ import annotations

import hashlib
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from assistant.knowledge.frontmatter import split_front_matter
from assistant.knowledge.markdown import first_heading

TEXT_SUFFIXES = (".md", ".txt")
MAX_FILE_BYTES = 1_000_000
AUDIENCES = ("mentee", "mentor", "both")
MOMENTS = ("before", "during", "after", "any")


class SourceProblem(Exception):
    """A file that cannot be indexed. ``str()`` is the reason, e.g. ``is empty``."""


@dataclass(frozen=True)
class SourceDocument:
    """One file of guidance, with its fields from front matter (or defaults)."""

    source: str
    path: Path
    title: str
    audience: str
    moments: tuple[str, ...]
    topics: tuple[str, ...]
    body: str
    content_hash: str
    #: One sentence on what the file is about (front matter ``summary``), if the file gives one.
    summary: str = ""


def read_document(path: Path, source: str) -> SourceDocument:
    """Read ``path`` as the source named ``source``; raise :class:`SourceProblem` if unusable."""
    data = _read_bytes(path)
    if b"\x00" in data:
        raise SourceProblem("looks like a binary file (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceProblem("is not UTF-8 text") from None
    fields, body = split_front_matter(text.replace("\r\n", "\n"))
    if not body.strip():
        raise SourceProblem("has no text" if not fields else "has no text after its front matter")
    return SourceDocument(
        source=source,
        path=path,
        title=_text_field(fields, "title") or first_heading(body) or title_from_name(path),
        audience=_audience(fields),
        moments=_moments(fields),
        topics=tuple(_list_field(fields, "topics")),
        body=body,
        content_hash=hashlib.sha256(data).hexdigest(),
        summary=_text_field(fields, "summary"),
    )


def _read_bytes(path: Path) -> bytes:
    try:
        info = path.stat()
    except OSError as exc:
        raise SourceProblem(f"cannot be read ({_reason(exc)})") from None
    if not stat.S_ISREG(info.st_mode):
        raise SourceProblem("is not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise SourceProblem(
            f"is too large ({info.st_size / 1_000_000:.1f} MB; the limit is "
            f"{MAX_FILE_BYTES // 1_000_000} MB)"
        )
    if info.st_size == 0:
        raise SourceProblem("is empty")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceProblem(f"cannot be read ({_reason(exc)})") from None


def _reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "it does not exist, or is a broken link"
    return exc.strerror or exc.__class__.__name__


def title_from_name(path: Path) -> str:
    words = re.sub(r"[-_]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


def _text_field(fields: dict[str, str | list[str]], key: str) -> str:
    value = fields.get(key)
    return value.strip() if isinstance(value, str) else ""


def _list_field(fields: dict[str, str | list[str]], key: str) -> list[str]:
    value = fields.get(key)
    if isinstance(value, str):
        return [value] if value else []
    return list(value or [])


def _audience(fields: dict[str, str | list[str]]) -> str:
    value = _text_field(fields, "audience")
    return value if value in AUDIENCES else "both"


def _moments(fields: dict[str, str | list[str]]) -> tuple[str, ...]:
    moments = tuple(m for m in _list_field(fields, "moments") if m in MOMENTS)
    return moments or ("any",)
