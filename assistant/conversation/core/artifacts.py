"""Artifacts: the agenda, question list, reflection note or practice debrief a flow leaves.

A model drafts them as JSON; :func:`parse_draft` checks the draft against :class:`ArtifactDraft`
(:mod:`~assistant.conversation.core.records`) and returns None when it is not usable, so the
caller can fall back to the guide-mode compiler. Every artifact renders to Markdown the user
can share.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.conversation.core.records import (
    MIN_LENGTH,
    NON_EMPTY,
    RecordError,
    json_schema,
    read_record,
)


@dataclass
class Section:
    heading: str = field(metadata=NON_EMPTY)
    items: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.items = [item.strip() for item in self.items if item and item.strip()]


@dataclass
class ActionItemDraft:
    text: str = field(metadata=NON_EMPTY)
    due: str | None = None

    def __post_init__(self) -> None:
        self.due = _iso_or_none(self.due)


def _iso_or_none(due: str | None) -> str | None:
    """A due date the model gave in any other shape than YYYY-MM-DD is dropped."""
    if not due:
        return None
    try:
        return date.fromisoformat(due.strip()).isoformat()
    except ValueError:
        return None


@dataclass
class ArtifactDraft:
    title: str = field(metadata=NON_EMPTY)
    sections: list[Section] = field(metadata={MIN_LENGTH: 1})
    action_items: list[ActionItemDraft] = field(default_factory=list)

    def section_items(self, heading: str) -> list[str]:
        for section in self.sections:
            if section.heading.strip().lower() == heading.strip().lower():
                return section.items
        return []

    def with_section(self, heading: str, items: list[str], *, after: str | None = None) -> None:
        """Set a section's items (the engine's own facts win over a model's version)."""
        for section in self.sections:
            if section.heading.strip().lower() == heading.strip().lower():
                section.items = list(items)
                return
        position = len(self.sections)
        if after is not None:
            for index, section in enumerate(self.sections):
                if section.heading.strip().lower() == after.strip().lower():
                    position = index + 1
        self.sections.insert(position, Section(heading=heading, items=list(items)))


def artifact_schema() -> dict[str, Any]:
    """The JSON schema a model's draft must follow."""
    return json_schema(ArtifactDraft)


def parse_draft(text: str) -> ArtifactDraft | None:
    """The model's draft as a validated artifact, or None when it is not usable JSON.

    Accepts the JSON alone, inside a Markdown code fence, or with prose around one object.
    A draft whose sections are all empty is not usable either.
    """
    data = parse_json_object(text)
    if data is None:
        return None
    try:
        draft = read_record(ArtifactDraft, data, ignore_unknown_keys=True)
    except RecordError:
        return None
    if not any(section.items for section in draft.sections):
        return None
    return draft


def parse_json_object(text: str) -> dict[str, Any] | None:
    """The one JSON object in ``text`` (bare, fenced or with prose around it), or None."""
    candidates = [text.strip()]
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.DOTALL)
    if fenced:
        candidates.append(fenced[1].strip())
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidates.append(text[start : end + 1])
    for candidate in candidates:
        try:
            data = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    return None


def render_markdown(draft: ArtifactDraft, *, subtitle: str = "") -> str:
    """The artifact as Markdown: a title, an optional subtitle line, and non-empty sections."""
    lines = [f"# {draft.title}", ""]
    if subtitle:
        lines += [f"*{subtitle}*", ""]
    for section in draft.sections:
        if not section.items:
            continue
        lines += [f"## {section.heading}", ""]
        lines += [f"- {_one_line(item)}" for item in section.items]
        lines.append("")
    if draft.action_items:
        lines += ["## Action items", ""]
        for item in draft.action_items:
            due = f" (due {item.due})" if item.due else ""
            lines.append(f"- [ ] {_one_line(item.text)}{due}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())
