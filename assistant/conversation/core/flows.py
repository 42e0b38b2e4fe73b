"""Flow specs: the data in ``prompts/flows/*.toml`` that says what each conversation asks.

A flow is a fixed list of steps. Each step has the question guide mode asks, the intent the
model words its question from, the topics and moments to retrieve guidance for (and what that
guidance is about before anything has been said: ``guidance``), the artifact
section its answers fill, and a follow-up for a thin answer. ``kind`` names what a step does
with an answer (:class:`~assistant.conversation.core.kinds.StepKind`).

The files are validated by pydantic models; an invalid file raises :class:`FlowError` naming
the file and the field.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.conversation.core.catalogue import flow_catalogue, flow_ids
from assistant.conversation.core.kinds import SectionFill, Shows, StepKind
from assistant.resources import PROMPTS_DIR


class FlowError(Exception):
    """A flow id that does not exist, or a flow file that is not valid."""


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StepSpec(_Spec):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    intent: str = Field(min_length=1)
    question: str = Field(min_length=1)
    topics: tuple[str, ...] = ()
    moments: tuple[str, ...] = ()
    capture: str = ""
    followup_when_thin: str = ""
    kind: StepKind = StepKind.TEXT
    shows: Shows = Shows.NOTHING
    #: What the guidance shown with the question, before any answer, should speak to, in the
    #: guides' own words ("write down what was said soon after the meeting"): the query for
    #: the opening passages and the words their quoted sentence is chosen by. The question
    #: alone makes a poor query ("What is on your mind?" finds advice on taking notes).
    guidance: str = ""
    #: The question asked instead when an earlier answer already said what this step asks
    #: (the feedback told at "what was discussed"); ``{person}`` is who the meeting was with.
    question_when_said: str = ""
    #: Example answers, offered to someone who does not know yet what to answer.
    examples: tuple[str, ...] = ()

    @field_validator("intent", "question", "followup_when_thin", "guidance", "question_when_said")
    @classmethod
    def _strip(cls, text: str) -> str:
        return text.strip()


class SectionSpec(_Spec):
    """An artifact section. ``from_engine`` sections (open action items from the journal,
    the rule-based notes, ...) are always compiled by the engine, never taken from a model."""

    id: str = Field(min_length=1)
    heading: str = Field(min_length=1)
    from_engine: bool = False
    fill: SectionFill = SectionFill.ANSWERS


class ArtifactSpec(_Spec):
    title: str = Field(min_length=1)
    instruction: str = Field(min_length=1)
    sections: tuple[SectionSpec, ...] = Field(min_length=1)
    #: The section whose items are kept in the journal as questions for a later meeting.
    saves_questions: str = ""
    #: Whether a model drafts the artifact in model mode (else it is compiled, e.g. scores).
    model_drafts: bool = True

    @field_validator("instruction")
    @classmethod
    def _strip(cls, text: str) -> str:
        return text.strip()


class FlowFile(_Spec):
    """One ``prompts/flows/*.toml`` file, as written."""

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    audience: str = Field(pattern="^(mentee|mentor|both)$")
    description: str = Field(min_length=1)
    system_prompt_file: str = Field(min_length=1)
    order: int = 100
    artifact: ArtifactSpec
    steps: tuple[StepSpec, ...] = Field(min_length=1)


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
        data = FlowFile.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except tomllib.TOMLDecodeError as exc:
        raise FlowError(f"{path}: not valid TOML ({exc})") from None
    except ValidationError as exc:
        raise FlowError(f"{path}: not a valid flow: {describe_errors(exc)}") from None
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


def describe_errors(exc: ValidationError) -> str:
    """Each problem as ``field.path: message``, e.g. ``steps.2.kind: Input should be ...
    (got 'quiz')``."""
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "(file)"
        given = error.get("input")
        got = f" (got {given!r})" if isinstance(given, str | int | float | bool) else ""
        problems.append(f"{where}: {error['msg']}{got}")
    return "; ".join(problems)


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
