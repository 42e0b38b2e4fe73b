"""Artifacts: the agenda, question list, reflection note or practice debrief a flow leaves.

A model drafts them as JSON; :func:`parse_draft` validates the draft with pydantic and returns
None when it is not usable, so the caller can fall back to the guide-mode compiler. Every
artifact renders to Markdown the user can share.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator


class Section(BaseModel):
    heading: str = Field(min_length=1)
    items: list[str] = Field(default_factory=list)

    @field_validator("items")
    @classmethod
    def _drop_blank_items(cls, items: list[str]) -> list[str]:
        return [item.strip() for item in items if item and item.strip()]


class ActionItemDraft(BaseModel):
    text: str = Field(min_length=1)
    due: str | None = None

    @field_validator("due")
    @classmethod
    def _iso_or_none(cls, due: str | None) -> str | None:
        """A due date the model gave in any other shape than YYYY-MM-DD is dropped."""
        if not due:
            return None
        try:
            return date.fromisoformat(due.strip()).isoformat()
        except ValueError:
            return None


class ArtifactDraft(BaseModel):
    title: str = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)
    action_items: list[ActionItemDraft] = Field(default_factory=list)

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
    return ArtifactDraft.model_json_schema()


def parse_draft(text: str) -> ArtifactDraft | None:
    """The model's draft as a validated artifact, or None when it is not usable JSON.

    Accepts the JSON alone, inside a Markdown code fence, or with prose around one object.
    A draft whose sections are all empty is not usable either.
    """
    data = parse_json_object(text)
    if data is None:
        return None
    try:
        draft = ArtifactDraft.model_validate(data)
    except ValidationError:
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
