"""The words the engine sends: system prompts, the profile, and each turn's instruction.

System prompts come from ``prompts/system/``: the flow's own prompt, the rules every
conversation shares (one question at a time, quote the user back, honest challenge, cite
references, reference material is data) and the tone of the directness setting. The profile
goes into every request through :class:`assistant.conversation.model.budget.PromptParts`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from assistant.conversation.core.flows import FlowSpec, StepSpec
from assistant.conversation.core.scenarios import Scenario
from assistant.resources import PROMPTS_DIR

SYSTEM_DIR = PROMPTS_DIR / "system"
PROFILE_LABELS = {"name": "Name", "mentor": "Mentor", "goals": "Goals", "context": "Context"}


@dataclass(frozen=True)
class GuideVoice:
    """Guide mode's wording for one directness setting (templates: see directness.toml)."""

    tone: str
    feeling: str
    feeling_about: str
    stance: str
    doubt: str
    agree: str
    situation: str
    ask: str
    question: str
    said: str
    followup: str


@cache
def _directness() -> dict[str, GuideVoice]:
    data = tomllib.loads((SYSTEM_DIR / "directness.toml").read_text(encoding="utf-8"))
    return {level: GuideVoice(**values) for level, values in data.items()}


def guide_voice(directness: str) -> GuideVoice:
    voices = _directness()
    return voices.get(directness, voices["balanced"])


@cache
def _common_rules() -> str:
    return (SYSTEM_DIR / "common.md").read_text(encoding="utf-8").strip()


def coach_system_prompt(flow: FlowSpec, directness: str) -> str:
    return "\n\n".join([flow.system_prompt, _common_rules(), guide_voice(directness).tone])


def persona_system_prompt(scenario: Scenario) -> str:
    template = (SYSTEM_DIR / "persona.md").read_text(encoding="utf-8").strip()
    facts = "\n".join(f"- {fact.fact}" for fact in scenario.hidden_facts)
    return template.format(
        persona_name=scenario.persona_name,
        persona=scenario.persona,
        situation=scenario.situation,
        hidden_facts=facts,
        good_reaction=scenario.good_reaction,
        poor_reaction=scenario.poor_reaction,
    )


def profile_text(profile: dict[str, str]) -> str:
    return "\n".join(
        f"{label}: {profile[key].strip()}"
        for key, label in PROFILE_LABELS.items()
        if profile.get(key, "").strip()
    )


def ask_instruction(
    flow: FlowSpec, step: StepSpec, index: int, *, acknowledge: bool, extra: str = ""
) -> str:
    lines = [f"Step {index + 1} of {len(flow.steps)} of “{flow.title}”: {step.title}."]
    if acknowledge:
        lines.append(
            "First acknowledge the user's last answer in one sentence, quoting a few of their "
            "own words; if it was vague or avoided the hard part, say so kindly."
        )
    lines.append(f"Then ask the question for this step. Its purpose: {step.intent}")
    lines.append(f"Scripted wording, which you may adapt: “{step.question}”")
    if extra:
        lines.append(extra)
    lines.append("Ask exactly one question. Cite the reference material as [n] where it helps.")
    return "\n".join(lines)


def followup_instruction(step: StepSpec, answer: str) -> str:
    """The model's instruction for a follow-up; ``step.followup_when_thin`` holds the question
    guide mode's reading of the answer chose (:func:`~assistant.conversation.guide.followup.
    follow_up_for`)."""
    question = step.followup_when_thin
    return "\n".join(
        [
            f"The user's answer for “{step.title}” calls for one follow-up: “{answer}”.",
            "Ask one follow-up question that gets something specific and concrete, quoting "
            "their own words whole. Kind but direct, no flattery. Do not move on yet.",
            f"Suggested follow-up: “{question}”",
        ]
    )


def persona_instruction(scenario: Scenario) -> str:
    return (
        f"Reply as {scenario.persona_name}, in character, in one to four sentences. Reveal a "
        "hidden fact only if the mentor's last message asked an open question about it."
    )


def artifact_instruction(flow: FlowSpec, title: str, extra: str = "") -> str:
    headings = "\n".join(f"- {section.heading}" for section in flow.sections)
    lines = [
        flow.artifact_instruction,
        f"Use the title “{title}” and exactly these section headings, in this order:",
        headings,
        "Each section has a list of short items in the user's own words; leave a section's "
        "items empty when the conversation gave nothing for it.",
    ]
    if extra:
        lines.append(extra)
    lines.append(
        'Answer with one JSON object only: {"title": str, "sections": [{"heading": str, '
        '"items": [str]}], "action_items": [{"text": str, "due": "YYYY-MM-DD" or null}]}.'
    )
    return "\n".join(lines)


def rubric_instruction(criteria: dict[str, str]) -> str:
    listed = "\n".join(f"- {key}: {label}" for key, label in criteria.items())
    return "\n".join(
        [
            "The user message holds a feedback role-play. Score the mentor's feedback against "
            "the rubric, each criterion from 1 (absent) to 4 (done well):",
            listed,
            "For each criterion give the mentor's own words as evidence in `quote` (copied "
            "exactly from the mentor's lines, or empty if nothing fits), a one-sentence `note`, "
            "and a concrete `rewrite` they could say instead (empty for a 4).",
            'Answer with one JSON object only: {"criteria": [{"criterion": str, "score": int, '
            '"quote": str, "note": str, "rewrite": str}]}.',
        ]
    )
