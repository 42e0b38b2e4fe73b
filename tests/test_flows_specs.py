"""The flows and scenarios in prompts/ load, and hold what the engine and the UI rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.conversation.core.catalogue import FLOWS_DIR, flow_catalogue, flow_entry
from assistant.conversation.core.flows import (
    FlowError,
    FlowSpec,
    all_flows,
    flow_ids,
    load_flow,
    load_flow_file,
)
from assistant.conversation.core.scenarios import (
    SCENARIOS_DIR,
    ScenarioError,
    all_scenarios,
    choose_scenario,
    load_scenario_file,
)
from assistant.knowledge.documents import read_document
from assistant.resources import BUILTIN_KNOWLEDGE_DIR


def corpus_topics() -> set[str]:
    """The topics the built-in guidance is tagged with: what retrieval can match."""
    topics: set[str] = set()
    for path in BUILTIN_KNOWLEDGE_DIR.glob("*.md"):
        if path.name != "README.md":
            topics.update(read_document(path, path.name).topics)
    return topics


def test_the_four_flows_load_in_order() -> None:
    assert flow_ids() == ["prepare", "ask", "debrief", "practice"]


def test_the_menu_lists_the_validated_flows_as_they_are() -> None:
    listed = [(e.id, e.title, e.description, e.audience) for e in flow_catalogue()]
    assert listed == [(f.id, f.title, f.description, f.audience) for f in all_flows()]


def test_the_menu_entry_holds_a_header_line_that_starts_like_a_table(tmp_path: Path) -> None:
    """The menu reads the keys above the first table; a line of a multi-line string that starts
    with ``[`` is not taken for one."""
    path = tmp_path / "plan.toml"
    path.write_text(
        'id = "plan"\ntitle = """Plan\n[draft]"""\norder = 7\n\n[artifact]\ntitle = "Plan"\n',
        encoding="utf-8",
    )
    entry = flow_entry(path)
    assert (entry.id, entry.title, entry.order) == ("plan", "Plan\n[draft]", 7)


def test_unknown_flow_names_the_real_ones() -> None:
    with pytest.raises(FlowError, match="prepare, ask, debrief, practice"):
        load_flow("plan")


@pytest.mark.parametrize("flow", all_flows(), ids=lambda flow: flow.id)
def test_each_flow_is_complete(flow: FlowSpec) -> None:
    topics = corpus_topics()
    assert flow.audience in ("mentee", "mentor")
    assert flow.description and "\n" not in flow.description
    assert flow.steps and flow.sections
    for step in flow.steps:
        assert step.question and step.intent and step.title
        assert set(step.topics) <= topics, step.id
        assert set(step.moments) <= {"before", "during", "after", "any"}
    captured = {step.capture for step in flow.steps if step.capture}
    filled_elsewhere = {section.id for section in flow.sections if section.from_engine}
    assert captured | filled_elsewhere | {"scores", "rewrites"} >= {s.id for s in flow.sections}


def test_there_are_at_least_six_complete_scenarios() -> None:
    scenarios = all_scenarios()
    ids = [scenario.id for scenario in scenarios]
    assert len(scenarios) >= 6
    for wanted in (
        "missed-deadlines",
        "defensive-reaction",
        "low-confidence",
        "over-commitment",
        "wants-answers",
        "drifting-away",
    ):
        assert wanted in ids
    for scenario in scenarios:
        assert scenario.persona and scenario.situation and scenario.opening
        assert len(scenario.hidden_facts) >= 2
        assert all(fact.keywords and fact.fact for fact in scenario.hidden_facts)
        assert scenario.good_reaction and scenario.poor_reaction
        for replies in (
            scenario.good_replies,
            scenario.poor_replies,
            scenario.neutral_replies,
            scenario.agree_replies,
        ):
            assert replies
        assert scenario.example.question.endswith("?")


def test_a_scenario_is_chosen_by_number_id_or_title_words() -> None:
    assert choose_scenario("1").id == "missed-deadlines"
    assert choose_scenario("the defensive one please").id == "defensive-reaction"
    assert choose_scenario("drifting-away").id == "drifting-away"
    assert choose_scenario("something else entirely") is None


def _broken_copy(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_flow_with_an_unknown_step_kind_names_the_file_and_the_field(tmp_path: Path) -> None:
    path = _broken_copy(tmp_path, FLOWS_DIR / "ask.toml", 'kind = "questions"', 'kind = "quiz"')
    with pytest.raises(FlowError) as raised:
        load_flow_file(path)
    message = str(raised.value)
    assert str(path) in message
    assert "steps.2.kind" in message and "quiz" in message


def test_a_flow_with_a_misspelt_key_or_a_missing_field_is_refused(tmp_path: Path) -> None:
    path = _broken_copy(tmp_path, FLOWS_DIR / "prepare.toml", "followup_when_thin", "folowup")
    with pytest.raises(FlowError, match=r"steps\.0\.folowup: Extra inputs"):
        load_flow_file(path)
    path = _broken_copy(tmp_path, FLOWS_DIR / "debrief.toml", 'title = "Debrief a meeting"\n', "")
    with pytest.raises(FlowError, match=r"debrief\.toml: not a valid flow: title: Field required"):
        load_flow_file(path)


def test_a_step_capturing_into_a_missing_section_is_refused(tmp_path: Path) -> None:
    path = _broken_copy(tmp_path, FLOWS_DIR / "ask.toml", 'capture = "context"', 'capture = "ctx"')
    with pytest.raises(FlowError, match=r"steps\.0\.capture: no artifact section 'ctx'"):
        load_flow_file(path)


def test_a_scenario_with_a_wrong_field_names_the_file_and_the_field(tmp_path: Path) -> None:
    source = SCENARIOS_DIR / "missed-deadlines.toml"
    path = _broken_copy(tmp_path, source, "order = 1", 'order = "first"')
    with pytest.raises(ScenarioError) as raised:
        load_scenario_file(path)
    assert str(path) in str(raised.value) and "order: " in str(raised.value)
    path = _broken_copy(tmp_path, source, "[example]", "[example]\nmood = 'tired'")
    with pytest.raises(ScenarioError, match=r"example\.mood: Extra inputs"):
        load_scenario_file(path)
