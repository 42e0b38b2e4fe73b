"""Practice scenarios: the simulated mentees in ``prompts/scenarios/*.toml``.

Each scenario has a persona, the situation, facts the persona reveals only when the mentor
asks an open question about them, how the persona reacts to good and poor feedback (for the
model's persona prompt), scripted replies for guide mode (defensive, vague, opening up,
agreeing, and what it commits to), and example lines of good feedback that the debrief
uses for its rewrites.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant.conversation.core.records import RecordError, read_record
from assistant.resources import PROMPTS_DIR

SCENARIOS_DIR = PROMPTS_DIR / "scenarios"


class ScenarioError(Exception):
    """A scenario file that is not valid: the message names the file and the field."""


@dataclass(frozen=True)
class HiddenFact:
    keywords: tuple[str, ...]
    fact: str

    def asked_about(self, line: str) -> bool:
        lowered = line.lower()
        return any(re.search(rf"\b{re.escape(word)}", lowered) for word in self.keywords)


@dataclass(frozen=True)
class ExampleFeedback:
    """One well-formed piece of feedback for the scenario, criterion by criterion."""

    situation: str
    behaviour: str
    impact: str
    question: str
    next_step: str

    def whole(self) -> str:
        return f"{self.situation} {self.behaviour} {self.impact} {self.question}"


@dataclass(frozen=True)
class Scenario:
    """One ``prompts/scenarios/*.toml`` file; every field is required, unknown keys are errors."""

    id: str
    order: int
    title: str
    summary: str
    persona_name: str
    persona: str
    situation: str
    opening: str
    good_reaction: str
    poor_reaction: str
    good_replies: tuple[str, ...]
    poor_replies: tuple[str, ...]
    neutral_replies: tuple[str, ...]
    agree_replies: tuple[str, ...]
    open_up_replies: tuple[str, ...]
    hidden_facts: tuple[HiddenFact, ...]
    example: ExampleFeedback
    commitment: str
    """What the persona offers to do once a plan is agreed, in its own voice."""
    negotiates: bool
    """Whether the persona bargains over a proposal with several slots (keeping one of the
    mentor's own days) instead of taking it as it stands."""
    busy_reason: str


@cache
def all_scenarios() -> tuple[Scenario, ...]:
    return tuple(sorted(map(load_scenario_file, SCENARIOS_DIR.glob("*.toml")), key=_menu_place))


def get_scenario(scenario_id: str) -> Scenario:
    for scenario in all_scenarios():
        if scenario.id == scenario_id:
            return scenario
    raise KeyError(scenario_id)


def choose_scenario(answer: str) -> Scenario | None:
    """The scenario an answer names: by its number in the list, its id or words of its title."""
    scenarios = all_scenarios()
    text = answer.strip().lower()
    number = re.match(r"^\D*?(\d+)\b", text)
    if number and 1 <= int(number[1]) <= len(scenarios):
        return scenarios[int(number[1]) - 1]
    for scenario in scenarios:
        if scenario.id in text or scenario.title.lower() in text:
            return scenario
    words = set(re.findall(r"[a-z]{4,}", text))
    best = max(scenarios, key=lambda s: len(words & _title_words(s)))
    return best if words & _title_words(best) else None


def scenario_menu() -> str:
    return "\n".join(
        f"{number}. {scenario.title}: {scenario.summary}"
        for number, scenario in enumerate(all_scenarios(), start=1)
    )


def _title_words(scenario: Scenario) -> set[str]:
    return set(re.findall(r"[a-z]{4,}", f"{scenario.title} {scenario.id}".lower()))


def _menu_place(scenario: Scenario) -> tuple[int, str]:
    return scenario.order, scenario.id


def load_scenario_file(path: Path) -> Scenario:
    """The scenario in ``path``; :class:`ScenarioError` names the file and the field."""
    try:
        return read_record(Scenario, tomllib.loads(path.read_text(encoding="utf-8")))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML ({exc})") from None
    except RecordError as exc:
        raise ScenarioError(f"{path}: not a valid scenario: {exc}") from None
