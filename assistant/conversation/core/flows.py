"""Flow specs: the data in ``prompts/flows/*.toml`` that says what each conversation asks.

A flow is a fixed list of steps. Each step has the question guide mode asks, the intent the
model words its question from, the topics and moments to retrieve guidance for, the artifact
section its answers fill, and a follow-up for a thin answer. ``kind`` names the steps that do
more than capture text (a list of items, the review of open action items, a role-play, ...).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from assistant.resources import PROMPTS_DIR

FLOWS_DIR = PROMPTS_DIR / "flows"

STEP_KINDS = (
    "text",  # free text, captured as one item
    "list",  # one item per line
    "questions",  # the mentee's draft questions, checked one by one (ask)
    "revise_questions",  # rewrites of the flagged questions (ask)
    "review_items",  # which open action items are done (debrief); skipped when there are none
    "actions",  # action items with optional due dates (debrief)
    "choose_scenario",  # pick a practice scenario
    "roleplay",  # talk to the simulated mentee until /skip or the exchange limit
    "revise_line",  # rewrite one line of feedback and have it re-scored (practice)
)


class FlowError(Exception):
    """A flow id that does not exist, or a flow file that is not valid."""


@dataclass(frozen=True)
class StepSpec:
    id: str
    title: str
    intent: str
    question: str
    topics: tuple[str, ...] = ()
    moments: tuple[str, ...] = ()
    capture: str = ""
    followup_when_thin: str = ""
    kind: str = "text"
    shows: str = ""  # "open_items" or "saved_questions": listed with the question


@dataclass(frozen=True)
class SectionSpec:
    """An artifact section. ``from_engine`` sections (open action items from the journal,
    the rule-based notes, ...) are always compiled by the engine, never taken from a model."""

    id: str
    heading: str
    from_engine: bool = False


@dataclass(frozen=True)
class FlowSpec:
    id: str
    title: str
    audience: str
    description: str
    system_prompt: str
    artifact_title: str
    artifact_instruction: str
    sections: tuple[SectionSpec, ...]
    steps: tuple[StepSpec, ...]

    def step_index(self, step_id: str) -> int:
        for index, step in enumerate(self.steps):
            if step.id == step_id:
                return index
        raise FlowError(f"flow {self.id!r} has no step {step_id!r}")

    def section(self, section_id: str) -> SectionSpec:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise FlowError(f"flow {self.id!r} has no artifact section {section_id!r}")


def flow_ids() -> list[str]:
    """The flows that ship with Reflect, in the order they are offered."""
    return [spec.id for spec in all_flows()]


@cache
def all_flows() -> tuple[FlowSpec, ...]:
    specs = [_load(path) for path in sorted(FLOWS_DIR.glob("*.toml"))]
    return tuple(sorted(specs, key=lambda spec: _ORDER.get(spec.id, len(_ORDER))))


_ORDER = {"prepare": 0, "ask": 1, "debrief": 2, "practice": 3}


def load_flow(flow_id: str) -> FlowSpec:
    for spec in all_flows():
        if spec.id == flow_id:
            return spec
    raise FlowError(f"unknown flow {flow_id!r}; choose one of: {', '.join(flow_ids())}")


def _load(path: Path) -> FlowSpec:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return _parse(path, data)
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise FlowError(f"{path}: not a valid flow ({exc.__class__.__name__}: {exc})") from None


def _parse(path: Path, data: dict[str, Any]) -> FlowSpec:
    system_file = PROMPTS_DIR / "system" / data["system_prompt_file"]
    steps = tuple(_step(raw) for raw in data["steps"])
    sections = tuple(
        SectionSpec(raw["id"], raw["heading"], raw.get("from_engine", False))
        for raw in data["artifact"]["sections"]
    )
    known_sections = {section.id for section in sections}
    for step in steps:
        if step.kind not in STEP_KINDS:
            raise ValueError(f"step {step.id!r} has unknown kind {step.kind!r}")
        if step.shows not in ("", "open_items", "saved_questions"):
            raise ValueError(f"step {step.id!r} shows unknown list {step.shows!r}")
        if step.capture and step.capture not in known_sections:
            raise ValueError(f"step {step.id!r} captures into unknown section {step.capture!r}")
    return FlowSpec(
        id=data["id"],
        title=data["title"],
        audience=data["audience"],
        description=data["description"],
        system_prompt=system_file.read_text(encoding="utf-8").strip(),
        artifact_title=data["artifact"]["title"],
        artifact_instruction=data["artifact"]["instruction"].strip(),
        sections=sections,
        steps=steps,
    )


def _step(raw: dict[str, Any]) -> StepSpec:
    return StepSpec(
        id=raw["id"],
        title=raw["title"],
        intent=raw["intent"].strip(),
        question=raw["question"].strip(),
        topics=tuple(raw.get("topics", ())),
        moments=tuple(raw.get("moments", ())),
        capture=raw.get("capture", ""),
        followup_when_thin=raw.get("followup_when_thin", "").strip(),
        kind=raw.get("kind", "text"),
        shows=raw.get("shows", ""),
    )
