"""A debrief hears what the mentee thinks back ("but the detail matters for the reviewers") as
disagreement, never as feedback received, and files an action planned before the actions
question ("maybe write a one-page summary…, try it on the caching doc by friday") as an action
item with its due date, saying so when the actions question comes."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.conversation.guide.synthesis import feedback_points, landing, planned_in_passing
from tests.test_listening import chat, reply_after, sections

LEAD = [
    "We went over my design doc for the caching layer with Priya. She said it is too long and "
    "the key decision is buried on page four.",
    "She said nobody will read past the first page, and that I should lead with the decision.",
    "but the detail matters for the reviewers. maybe write a one-page summary at the top and "
    "keep the detail below, try it on the caching doc by friday",
    "nothing else",
]
OTHER = [
    "We talked through my quarterly roadmap.",
    "he told me the roadmap has too many themes. But each theme has a sponsor who asked for it.",
    "a bit deflated. I'll merge the two smallest themes and send him the new version by Thursday.",
    "that's it",
]


def test_pushback_is_disagreement_and_an_earlier_plan_is_an_action_item(
    knowledge_home, tmp_path, capsys
) -> None:
    result = chat(capsys, tmp_path, "debrief", LEAD)
    parts = sections(result)
    assert not any("detail matters" in point for point in parts["Feedback I received"])
    assert parts["What I doubt or disagree with"] == ["The detail matters for the reviewers."]
    [item] = result["action_items"]
    assert item["text"].startswith("Write a one-page summary at the top")
    assert "try it on the caching doc by friday" in item["text"]
    assert item["due"] is not None and date.fromisoformat(item["due"]).weekday() == 4
    asked = reply_after(result, LEAD[2])["content"]
    assert "You push back on this: “the detail matters for the reviewers”" in asked
    assert "Noted for your action items" in asked and "Write a one-page summary" in asked
    assert not any("one-page summary" in line for line in parts.get("How it landed", []))


def test_other_wording_files_the_same_way(knowledge_home, tmp_path, capsys) -> None:
    result = chat(capsys, tmp_path, "debrief", OTHER)
    parts = sections(result)
    assert parts["Feedback I received"] == ["he told me the roadmap has too many themes."]
    assert parts["What I doubt or disagree with"] == ["Each theme has a sponsor who asked for it."]
    [item] = result["action_items"]
    assert item["text"] == (
        "Merge the two smallest themes and send him the new version by Thursday"
    )
    assert date.fromisoformat(item["due"]).weekday() == 3


def test_pushback_in_the_same_sentence_keeps_the_feedback_apart() -> None:
    answer = "She said it is too long, but the detail matters for the reviewers."
    landed = landing(answer)
    assert landed.doubt == ["The detail matters for the reviewers."]
    assert feedback_points(answer, set(landed.doubt)) == ["She said it is too long."]


@pytest.mark.parametrize(
    "said",
    [
        "maybe she is right.",
        "maybe ask her about it",  # a thought, with no when
        "She said I should lead with the decision by Friday.",
        "I'll admit it stung.",
        "I'll be honest, it hurt.",
    ],
)
def test_a_thought_or_a_report_is_no_planned_action(said: str) -> None:
    assert planned_in_passing([said], date(2026, 11, 29)) == []


@pytest.mark.parametrize(
    ("answers", "pushback", "plan_start", "weekday"),
    [
        (
            [
                "had my catch-up with priya yesterday. she said my design docs are way too long "
                "and nobody reads past page one. kinda annoyed tbh, I spent ages on them",
                "I guess she's got a point, people do skim. but the detail matters for the "
                "reviewers",
                "maybe write a one-page summary at the top and keep the rest as appendix. try it "
                "on the caching doc by friday",
                "nothing else",
            ],
            "The detail matters for the reviewers",
            "Write a one-page summary at the top",
            4,
        ),
        (
            [
                "Met Tomás about my talk. He said my slides have far too much text on them.",
                "Fair point, people were reading instead of listening. But the audience needs "
                "the numbers to follow the argument",
                "perhaps move the tables to a handout. send it round by Tuesday",
                "that's all",
            ],
            "The audience needs the numbers to follow the argument",
            "Move the tables to a handout",
            1,
        ),
    ],
)
def test_a_but_sentence_after_agreeing_is_a_doubt_and_a_plan_may_take_two_sentences(
    knowledge_home, tmp_path, capsys, answers, pushback, plan_start, weekday
) -> None:
    """'She has a point. But X' keeps X as a doubt even as its own sentence, never as feedback;
    'maybe do X. try it on Y by friday' is one plan, due when the second sentence says, and
    is not repeated under How it landed."""
    result = chat(capsys, tmp_path, "debrief", answers)
    parts = sections(result)
    assert parts["What I doubt or disagree with"] == [pushback]
    assert not any(pushback.lower() in point.lower() for point in parts["Feedback I received"])
    [item] = result["action_items"]
    assert item["text"].startswith(plan_start)
    assert date.fromisoformat(item["due"]).weekday() == weekday
    landed = parts.get("How it landed", [])
    assert not any(plan_start.lower()[:20] in line.lower() for line in landed)
