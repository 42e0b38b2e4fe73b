"""The requests the engine sends a model, each assembled within the token budget.

A coach turn carries the flow's system prompt, the profile, the turn's passages, a running
summary of older turns and the recent ones; the simulated mentee sees only its own side of
the role-play; the rubric and the artifact draft ask for JSON. Every request goes through
:func:`assistant.conversation.model.budget.build_prompt`, so none exceeds the budget.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.conversation.core.artifacts import ArtifactDraft
from assistant.conversation.core.flows import FlowSpec
from assistant.conversation.core.scenarios import Scenario
from assistant.conversation.guide.rubric import CRITERION_LABELS
from assistant.conversation.model.budget import (
    BudgetedPrompt,
    PromptParts,
    build_prompt,
    summarize_turns_locally,
)
from assistant.conversation.model.prompting import (
    artifact_instruction,
    coach_system_prompt,
    persona_instruction,
    persona_system_prompt,
    profile_text,
    rubric_instruction,
)
from assistant.journal import Turn

if TYPE_CHECKING:
    from assistant.knowledge import Passage

#: Turns sent verbatim; older ones go into the running summary.
RECENT_TURNS = 16


def conversation_history(turns: list[Turn]) -> list[tuple[str, str]]:
    """The complete turns as (role, content); interrupted partial replies are left out."""
    return [
        (turn.role, turn.content)
        for turn in turns
        if turn.status == "complete" and turn.content.strip()
    ]


def coach_prompt(
    settings: Settings,
    flow: FlowSpec,
    profile: dict[str, str],
    turns: list[Turn],
    instruction: str,
    *,
    user_message: str | None = None,
    passages: list[Passage] | None = None,
) -> BudgetedPrompt:
    """A coach turn: ``user_message`` (the latest answer) is sent last, never twice."""
    history = conversation_history(turns)
    if user_message is not None and history and history[-1] == ("user", user_message):
        history = history[:-1]
    older, recent = history[:-RECENT_TURNS], history[-RECENT_TURNS:]
    parts = PromptParts(
        system=coach_system_prompt(flow, settings.directness),
        profile=profile_text(profile),
        passages=passages or [],
        summary=summarize_turns_locally(older),
        history=recent,
        instruction=instruction,
        user_message=user_message,
    )
    return _budgeted(settings, parts)


def persona_prompt(
    settings: Settings, scenario: Scenario, mentor_lines: list[str], persona_replies: list[str]
) -> BudgetedPrompt:
    """The simulated mentee's turn: its opening, the exchanges so far, the mentor's last line."""
    history: list[tuple[str, str]] = [("assistant", scenario.opening)]
    for mentor, persona in zip(mentor_lines[:-1], persona_replies, strict=False):
        history += [("user", mentor), ("assistant", persona)]
    parts = PromptParts(
        system=persona_system_prompt(scenario),
        profile="",
        passages=[],
        summary="",
        history=history[-RECENT_TURNS:],
        instruction=persona_instruction(scenario),
        user_message=mentor_lines[-1],
    )
    return _budgeted(settings, parts)


def roleplay_transcript(scenario: Scenario, lines: list[str], replies: list[str]) -> str:
    """The role-play as text: the mentee's opening, then each line and its answer."""
    entries = [f"{scenario.persona_name}: {scenario.opening}"]
    for index, line in enumerate(lines):
        entries.append(f"Mentor: {line}")
        if index < len(replies):
            entries.append(f"{scenario.persona_name}: {replies[index]}")
    return "\n".join(entries)


def rubric_prompt(
    settings: Settings, flow: FlowSpec, profile: dict[str, str], transcript: str
) -> BudgetedPrompt:
    """Scores for the mentor's feedback, as JSON; the role-play is the user message."""
    parts = PromptParts(
        system=coach_system_prompt(flow, settings.directness),
        profile=profile_text(profile),
        passages=[],
        summary="",
        history=[],
        instruction=rubric_instruction(dict(CRITERION_LABELS)),
        user_message=transcript,
    )
    return _budgeted(settings, parts)


def artifact_prompt(
    settings: Settings,
    flow: FlowSpec,
    profile: dict[str, str],
    turns: list[Turn],
    compiled: ArtifactDraft,
    today: date,
) -> BudgetedPrompt:
    """The artifact draft, as JSON; the sections the app fills itself are given as facts."""
    facts = [
        f"{section.heading} (the app fills this section itself):\n"
        + "\n".join(f"- {item}" for item in compiled.section_items(section.heading))
        for section in flow.sections
        if section.from_engine and compiled.section_items(section.heading)
    ]
    extra = "\n".join([f"Today is {today.isoformat()}.", *facts])
    instruction = artifact_instruction(flow, compiled.title, extra=extra)
    return coach_prompt(settings, flow, profile, turns, instruction)


def _budgeted(settings: Settings, parts: PromptParts) -> BudgetedPrompt:
    return build_prompt(
        parts, context_window=settings.context_window, reply_reserve=settings.reply_reserve
    )
