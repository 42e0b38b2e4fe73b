"""The first words of each step, before the person has said anything, are advice for the
question it asks: the guidance is found from what the step is about (its ``guidance`` in the
flow file), not from its title, and a step for "any" moment is not limited to the few guides
tagged "any"."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from assistant.config import load_settings
from assistant.conversation.core.flows import load_flow
from assistant.conversation.core.grounding import search_for_turn
from assistant.conversation.core.kinds import StepKind
from assistant.conversation.core.session_state import SessionState
from assistant.conversation.guide.passage_quote import units_of
from assistant.conversation.guide.replies import ask_text
from assistant.conversation.model.prompting import guide_voice
from assistant.knowledge import KnowledgeBase
from tests.test_listening import chat

QUOTE = re.compile(r"From the guide \[(\d+)\] “([^”]+)”")


def openers(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [turn for turn in result["turns"] if turn["role"] == "assistant"]


def quoted_file(turn: dict[str, Any]) -> str:
    match = QUOTE.search(turn["content"])
    assert match, turn["content"]
    return str(turn["sources"][int(match.group(1)) - 1]["source"])


def test_ask_opens_with_advice_on_voicing_a_rough_worry(knowledge_home, tmp_path, capsys) -> None:
    first = openers(chat(capsys, tmp_path, "ask", []))[0]
    assert quoted_file(first) == "framing-open-questions.md"
    assert "too basic to say out loud" in first["content"]
    assert "Include praise you received" not in first["content"]
    assert first["content"].rstrip().endswith("however rough.")


def test_debrief_opens_with_advice_on_capturing_what_was_said(
    knowledge_home, tmp_path, capsys
) -> None:
    first = openers(chat(capsys, tmp_path, "debrief", []))[0]
    assert quoted_file(first) == "reflection-after-meeting.md"
    assert "in your mentor's words" in first["content"]
    assert "Listening well is the skill" not in first["content"]


@pytest.mark.parametrize("flow_id", ["prepare", "ask", "debrief"])
def test_every_step_reached_by_skipping_opens_with_guidance_on_its_own_subject(
    knowledge_home, tmp_path, capsys, flow_id: str
) -> None:
    flow = load_flow(flow_id)
    result = chat(capsys, tmp_path, flow_id, ["/skip"] * (len(flow.steps) - 1))
    asked = [step for step in flow.steps if step.kind != StepKind.REVIEW_ITEMS]  # none carried
    turns = openers(result)
    flow_topics = {topic for step in flow.steps for topic in step.topics}
    assert len(turns) == len(asked)
    for step, turn in zip(asked, turns, strict=True):
        assert turn["content"].rstrip().endswith(step.question), turn["content"]
        match = QUOTE.search(turn["content"])
        if match is None:
            continue  # no guide left unquoted for this step: better nothing than off the point
        source = turn["sources"][int(match.group(1)) - 1]["source"]
        topics = _topics_of(source)
        assert topics & flow_topics, (step.id, source, topics)
        # No line of a template or table ("[topic] - context ...", "Action | Owner | Due").
        assert "|" not in turn["content"] and "[topic]" not in turn["content"]


def _topics_of(source: str) -> set[str]:
    from assistant.resources import BUILTIN_KNOWLEDGE_DIR

    text = (BUILTIN_KNOWLEDGE_DIR / source).read_text(encoding="utf-8")
    found = re.search(r"^topics:\s*\[([^\]]*)\]", text, re.MULTILINE)
    assert found, source
    return {topic.strip() for topic in found.group(1).split(",")}


def test_a_steps_guidance_text_decides_what_its_opener_speaks_to(knowledge_home) -> None:
    """The same step with other guidance words opens with other advice: the field steers the
    search and the sentence, for any flow file (a user's own included)."""
    flow = load_flow("ask")
    step = replace(
        flow.steps[0], guidance="keep one running list of action items and follow through"
    )
    with KnowledgeBase.open(load_settings()) as knowledge:
        passages = search_for_turn(knowledge, flow, step, "", "")
    assert passages[0].source == "follow-through-action-items.md"
    text = ask_text(
        step, SessionState(), guide_voice("balanced"), answer=None, passages=passages, flow=flow
    )
    assert "running list" in text.split("\n\n")[0]


def test_a_step_for_any_moment_finds_guides_tagged_for_a_moment(knowledge_home) -> None:
    """ "any" is not a tag to filter by: the guide on framing questions is tagged "before"."""
    flow = load_flow("ask")
    step = flow.steps[1]
    assert step.moments == ("any",)
    with KnowledgeBase.open(load_settings()) as knowledge:
        sources = [p.source for p in search_for_turn(knowledge, flow, step, "", "")]
    assert sources[0] == "framing-open-questions.md"


def test_a_fenced_template_or_table_is_never_quoted_as_a_sentence() -> None:
    passage = (
        "Keep one list of what you agreed, and look at it before each meeting.\n\n"
        "```\nAction                    | Owner | Due\nSend the scope email today | Me  | 8 May\n"
        "Goal for this meeting (one sentence): I'd like to leave with a decision\n```\n\n"
        "~~~\nTopics, most important first: [topic] - context in two lines\n~~~\n"
        "Review the list together at the end of the session, every time."
    )
    sentences, _ = units_of(passage)
    assert sentences == [
        "Keep one list of what you agreed, and look at it before each meeting.",
        "Review the list together at the end of the session, every time.",
    ]
