"""Flow specs: the data in ``prompts/flows/*.toml`` that says what each conversation asks.

A flow is a fixed list of steps. Each step has the question guide mode asks, the intent the
model words its question from, the topics and moments to retrieve guidance for (and what that
guidance is about before anything has been said: ``guidance``), the artifact
section its answers fill, and a follow-up for a thin answer. ``kind`` names what a step does
with an answer (:class:`~assistant.conversation.core.kinds.StepKind`).

The files are read into frozen dataclasses (:mod:`~assistant.conversation.core.records`); an
invalid file raises :class:`FlowError` naming the file and the field.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from assistant.conversation.core.catalogue import flow_catalogue, flow_ids
from assistant.conversation.core.kinds import SectionFill, Shows, StepKind
from assistant.conversation.core.records import (
    MIN_LENGTH,
    NON_EMPTY,
    PATTERN,
    STRIP,
    RecordError,
    read_record,
)
from assistant.resources import PROMPTS_DIR


class FlowError(Exception):
    """A flow id that does not exist, or a flow file that is not valid."""


#: A text a flow file writes on several lines: kept without its surrounding whitespace.
_PROSE = {**NON_EMPTY, STRIP: True}


@dataclass(frozen=True)
class StepSpec:
    id: str = field(metadata=NON_EMPTY)
    title: str = field(metadata=NON_EMPTY)
    intent: str = field(metadata=_PROSE)
    question: str = field(metadata=_PROSE)
    topics: tuple[str, ...] = ()
    moments: tuple[str, ...] = ()
    capture: str = ""
    followup_when_thin: str = field(default="", metadata={STRIP: True})
    kind: StepKind = StepKind.TEXT
    shows: Shows = Shows.NOTHING
    #: What the guidance shown with the question, before any answer, should speak to, in the
    #: guides' own words ("write down what was said soon after the meeting"): the query for
    #: the opening passages and the words their quoted sentence is chosen by. The question
    #: alone makes a poor query ("What is on your mind?" finds advice on taking notes).
    guidance: str = field(default="", metadata={STRIP: True})
    #: The question asked instead when an earlier answer already said what this step asks
    #: (the feedback told at "what was discussed"); ``{person}`` is who the meeting was with.
    question_when_said: str = field(default="", metadata={STRIP: True})
    #: Example answers, offered to someone who does not know yet what to answer.
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class SectionSpec:
    """An artifact section. ``from_engine`` sections (open action items from the journal,
    the rule-based notes, ...) are always compiled by the engine, never taken from a model."""

    id: str = field(metadata=NON_EMPTY)
    heading: str = field(metadata=NON_EMPTY)
    from_engine: bool = False
    fill: SectionFill = SectionFill.ANSWERS


@dataclass(frozen=True)
class ArtifactSpec:
    title: str = field(metadata=NON_EMPTY)
    instruction: str = field(metadata=_PROSE)
    sections: tuple[SectionSpec, ...] = field(metadata={MIN_LENGTH: 1})
    #: The section whose items are kept in the journal as questions for a later meeting.
    saves_questions: str = ""
    #: Whether a model drafts the artifact in model mode (else it is compiled, e.g. scores).
    model_drafts: bool = True


@dataclass(frozen=True, kw_only=True)
class FlowFile:
    """One ``prompts/flows/*.toml`` file, as written."""

    id: str = field(metadata=NON_EMPTY)
    title: str = field(metadata=NON_EMPTY)
    audience: str = field(metadata={PATTERN: "^(mentee|mentor|both)$"})
    description: str = field(metadata=NON_EMPTY)
    system_prompt_file: str = field(metadata=NON_EMPTY)
    order: int = 100
    artifact: ArtifactSpec
    steps: tuple[StepSpec, ...] = field(metadata={MIN_LENGTH: 1})


@dataclass(frozen=True)
class FlowSpec:
    """A loaded flow: its file's data and its system prompt."""

    id: str
    title: str
    audience: str
    description: str
    system_prompt: str
    artifact_title: str
    artifact_instruction: str
    sections: tuple[SectionSpec, ...]
    steps: tuple[StepSpec, ...]
    order: int = 100
    saves_questions: str = ""
    model_drafts: bool = True

    def step_index(self, step_id: str) -> int:
        for index, step in enumerate(self.steps):
            if step.id == step_id:
                return index
        raise FlowError(f"flow {self.id!r} has no step {step_id!r}")

    def steps_of_kind(self, kind: StepKind) -> list[StepSpec]:
        return [step for step in self.steps if step.kind == kind]

    def shows(self, listing: Shows) -> bool:
        """Whether any step lists ``listing`` (so the session must carry it from the journal)."""
        return any(step.shows == listing for step in self.steps)

    def section(self, section_id: str) -> SectionSpec:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise FlowError(f"flow {self.id!r} has no artifact section {section_id!r}")


def all_flows() -> tuple[FlowSpec, ...]:
    """Every shipped flow, validated, in the order they are offered."""
    return tuple(load_flow(entry.id) for entry in flow_catalogue())


@cache
def load_flow(flow_id: str) -> FlowSpec:
    for entry in flow_catalogue():
        if entry.id == flow_id:
            return load_flow_file(entry.path)
    raise FlowError(f"unknown flow {flow_id!r}; choose one of: {', '.join(flow_ids())}")


def load_flow_file(path: Path) -> FlowSpec:
    """The flow in ``path``; :class:`FlowError` names the file and the field that is wrong."""
    try:
        data = read_record(FlowFile, tomllib.loads(path.read_text(encoding="utf-8")))
    except tomllib.TOMLDecodeError as exc:
        raise FlowError(f"{path}: not valid TOML ({exc})") from None
    except RecordError as exc:
        raise FlowError(f"{path}: not a valid flow: {exc}") from None
    _check_references(path, data)
    system_file = PROMPTS_DIR / "system" / data.system_prompt_file
    if not system_file.is_file():
        raise FlowError(f"{path}: system_prompt_file: no such prompt {system_file.name!r}")
    return FlowSpec(
        id=data.id,
        title=data.title,
        audience=data.audience,
        description=data.description,
        system_prompt=system_file.read_text(encoding="utf-8").strip(),
        artifact_title=data.artifact.title,
        artifact_instruction=data.artifact.instruction,
        sections=data.artifact.sections,
        steps=data.steps,
        order=data.order,
        saves_questions=data.artifact.saves_questions,
        model_drafts=data.artifact.model_drafts,
    )


def _check_references(path: Path, data: FlowFile) -> None:
    """Sections named by steps and by the artifact must exist; step ids must be unique."""
    known = {section.id for section in data.artifact.sections}
    seen: set[str] = set()
    for index, step in enumerate(data.steps):
        if step.id in seen:
            raise FlowError(f"{path}: steps.{index}.id: step {step.id!r} is defined twice")
        seen.add(step.id)
        if step.capture and step.capture not in known:
            raise FlowError(f"{path}: steps.{index}.capture: no artifact section {step.capture!r}")
    if data.artifact.saves_questions and data.artifact.saves_questions not in known:
        raise FlowError(
            f"{path}: artifact.saves_questions: no artifact section "
            f"{data.artifact.saves_questions!r}"
        )
