"""Guide mode's question checks: what gets flagged, and the open rewrite it suggests."""

from __future__ import annotations

import pytest

from assistant.conversation.guide.questions import (
    BLAMING_WHY,
    CLOSED,
    SEVERAL,
    VAGUE,
    check_question,
    is_open_question,
)

CONTEXT = "My manager keeps giving the visible projects to someone else. I feel stuck."


@pytest.mark.parametrize(
    ("question", "flag"),
    [
        ("Should I apply for the lead role?", CLOSED),
        ("Do you think I am ready for promotion?", CLOSED),
        ("Is my plan realistic?", CLOSED),
        ("Why did you give the project to Sam?", BLAMING_WHY),
        ("Why didn't you tell me earlier?", BLAMING_WHY),
        ("What should I focus on and how do I tell my manager?", SEVERAL),
        ("What do I do? Who should I ask?", SEVERAL),
        ("Any advice?", VAGUE),
        ("How do I get better?", VAGUE),
    ],
)
def test_flags_the_framing_problem(question: str, flag: str) -> None:
    check = check_question(question, context=CONTEXT)
    assert flag in check.flags
    assert check.rewrite and check.rewrite != question
    assert check.explanations()


def test_rewrites_are_open_questions() -> None:
    for question in (
        "Should I apply for the lead role?",
        "Do you think I am ready for promotion?",
        "Why did you give the project to Sam?",
        "Can I ask for a raise now?",
        "Did my talk go well?",
    ):
        rewrite = check_question(question).rewrite
        assert rewrite is not None
        assert is_open_question(rewrite), rewrite
        assert not {CLOSED, BLAMING_WHY} & set(check_question(rewrite).flags), rewrite


def test_a_vague_question_is_anchored_in_the_users_own_words() -> None:
    rewrite = check_question("Any advice?", context=CONTEXT).rewrite
    assert rewrite == (
        "When my manager keeps giving the visible projects to someone else, "
        "what would you try first?"
    )


def test_several_questions_keep_the_first_one() -> None:
    check = check_question("What should I focus on and how do I tell my manager?")
    assert check.rewrite == "What should I focus on?"


@pytest.mark.parametrize(
    "question",
    [
        "What would you do in my place to get visible work again?",
        "How did you decide when to move into management?",
        "Why is the team using Scrum for this project?",
        "Tell me how you prepared for your first promotion conversation.",
    ],
)
def test_good_questions_pass(question: str) -> None:
    check = check_question(question)
    assert check.ok, check.flags
    assert check.rewrite is None


def test_blaming_why_is_not_an_open_question() -> None:
    assert is_open_question("What got in the way of the deadline?")
    assert not is_open_question("Why didn't you meet the deadline?")
    assert not is_open_question("Did you meet the deadline?")
