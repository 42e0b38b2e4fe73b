"""Answers given before (or after) the question that asks for them are used: the later
question takes up what was said instead of asking as if nothing had been, and the artifact
files each sentence where it belongs; an unsure first answer gets concrete examples, not a
place in the agenda as the goal."""

from __future__ import annotations

import re

import pytest

from tests.test_listening import chat, reply_after, sections


def test_feedback_told_in_the_first_answer_is_taken_up_and_filed_as_feedback(
    knowledge_home, tmp_path, capsys
) -> None:
    first = (
        "had my catch-up with priya. she said my design docs are way too long and nobody "
        "reads past page one. kinda annoyed tbh"
    )
    answers = [
        first,
        "we also talked about the offsite planning and who owns the agenda",
        "I guess she has a point about length",
        "trim the payments doc to 2 pages by friday",
    ]
    result = chat(capsys, tmp_path, "debrief", answers)
    asked = reply_after(result, first)["content"]
    assert "What feedback did you receive?" not in asked
    assert asked.rstrip().endswith(
        "Was there anything else Priya said about your work? Try to recall the actual words."
    )
    landing = reply_after(result, answers[1])["content"]
    assert "Earlier you said: “kinda annoyed tbh”." in landing
    assert "How did that land?" not in landing
    parts = sections(result)
    assert parts["Feedback I received"] == [
        "she said my design docs are way too long and nobody reads past page one."
    ]
    assert any("offsite planning" in item for item in parts["What we discussed"])
    assert not any("design docs" in item for item in parts["What we discussed"])
    assert parts["How it landed"] == ["Kinda annoyed tbh"]
    assert result["artifact"]["title"].startswith("Reflection on the meeting with Priya")


def test_other_words_for_the_same_early_feedback(knowledge_home, tmp_path, capsys) -> None:
    first = "Good 1:1 with Marcus. He told me I interrupt people in standups. Felt embarrassed."
    answers = [first, "We also went over my promotion timeline.", "He's right, to be fair."]
    result = chat(capsys, tmp_path, "debrief", answers)
    assert "anything else Marcus said" in reply_after(result, first)["content"]
    parts = sections(result)
    assert parts["Feedback I received"] == ["He told me I interrupt people in standups."]
    assert any("promotion timeline" in item for item in parts["What we discussed"])


def test_a_first_answer_without_feedback_gets_the_feedback_question(
    knowledge_home, tmp_path, capsys
) -> None:
    first = "We went through the quarterly plan and the hiring freeze."
    result = chat(capsys, tmp_path, "debrief", [first, "Nothing about my work this time."])
    assert (
        reply_after(result, first)["content"]
        .rstrip()
        .endswith("What feedback did you receive? Try to recall your mentor's actual words.")
    )


def test_an_unsure_goal_gets_examples_and_the_goal_named_later_is_the_goal(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "I'm a bit lost on what to bring tbh",
        "ok so I guess I want to leave with a yes or no on whether to apply for the staff "
        "role. since last time I shipped the billing migration",
        "staff role",
        "her honest read on my chances",
    ]
    result = chat(capsys, tmp_path, "prepare", answers)
    helped = reply_after(result, answers[0])["content"]
    assert "for example" in helped and "“feedback on my draft proposal”" in helped
    assert "You felt lost" not in helped
    noted = reply_after(result, answers[1])["content"]
    assert "“A yes or no on whether to apply for the staff role”" in noted
    parts = sections(result)
    assert parts["Goal of the meeting"] == ["A yes or no on whether to apply for the staff role."]
    assert parts["Wins and updates since last time"] == [
        "since last time I shipped the billing migration"
    ]


def test_no_idea_yet_then_a_goal_in_other_words(knowledge_home, tmp_path, capsys) -> None:
    answers = [
        "no idea yet honestly",
        "Finished the data migration. I'd like to come away with a plan for the roadmap review.",
    ]
    parts = sections(chat(capsys, tmp_path, "prepare", answers))
    assert parts["Goal of the meeting"] == ["A plan for the roadmap review."]
    assert parts["Wins and updates since last time"] == ["Finished the data migration."]


def test_news_someone_passed_on_is_not_feedback(knowledge_home, tmp_path, capsys) -> None:
    first = "We discussed the roadmap. She said Q3 is locked and the reorg is coming."
    result = chat(capsys, tmp_path, "debrief", [first, "She said my estimates are too rosy."])
    assert (
        reply_after(result, first)["content"]
        .rstrip()
        .endswith("What feedback did you receive? Try to recall your mentor's actual words.")
    )
    parts = sections(result)
    assert parts["Feedback I received"] == ["She said my estimates are too rosy."]
    assert any("Q3 is locked" in item for item in parts["What we discussed"])


def test_questions_asked_in_the_worry_are_taken_up_at_the_draft(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "should I ask for a raise now or wait until review season? how do I even bring it up "
        "without sounding greedy. my manager is nice but vague",
        "last raise was 2 years ago, I took on the team lead duties in march",
    ]
    result = chat(capsys, tmp_path, "ask", answers)
    asked = reply_after(result, answers[1])["content"]
    assert (
        "You already asked: “should I ask for a raise now or wait until review season?” and "
        "“how do I even bring it up without sounding greedy”." in asked
    )
    assert "Write the questions you would ask your mentor" not in asked


@pytest.mark.parametrize(
    ("first", "second", "goal"),
    [
        (
            "meeting jordan on thursday, it's our third session. honestly I'm a bit lost on "
            "what to bring",
            "I want to figure out whether to move from QA into a dev role. also my manager "
            "keeps piling work on me and I can't say no",
            "Figure out whether to move from QA into a dev role.",
        ),
        (
            "We meet next Tuesday after the offsite, which I am still recovering from. no idea "
            "where to start tbh",
            "Shipped the onboarding revamp. I'd like to leave with a view on whether to take the "
            "team lead job.",
            "A view on whether to take the team lead job.",
        ),
    ],
)
def test_context_then_not_knowing_what_to_bring_is_helped_not_filed_as_the_goal(
    knowledge_home, tmp_path, capsys, first, second, goal
) -> None:
    """Saying who and when, then 'lost on what to bring', gets example goals, however long
    the context before it; the goal named next is the goal, and 'Figure out' alone (a verb
    waiting for its 'whether…') never titles the agenda."""
    result = chat(capsys, tmp_path, "prepare", [first, second])
    assert "for example" in reply_after(result, first)["content"]
    assert sections(result)["Goal of the meeting"] == [goal]
    assert not re.search(r": Figure out\b", result["artifact"]["title"])
