"""Guide mode's question checks: what gets flagged, and the open rewrite it suggests."""

from __future__ import annotations

import pytest

from assistant.conversation.guide.questions import (
    QuestionFlag,
    check_question,
    is_open_question,
)

CLOSED, BROAD, LEADING = QuestionFlag.CLOSED, QuestionFlag.BROAD, QuestionFlag.LEADING
BLAMING, SEVERAL, STATEMENT = QuestionFlag.BLAMING, QuestionFlag.SEVERAL, QuestionFlag.STATEMENT

CONTEXT = "My manager keeps giving the visible projects to someone else. I feel stuck."


@pytest.mark.parametrize(
    ("question", "flag"),
    [
        ("Should I apply for the lead role?", CLOSED),
        ("Do you think I am ready for promotion?", CLOSED),
        ("Is my plan realistic?", CLOSED),
        ("Why did you give the project to Sam?", BLAMING),
        ("Why didn't you tell me earlier?", BLAMING),
        ("Why does nobody notice me?", BLAMING),
        ("What should I focus on and how do I tell my manager?", SEVERAL),
        ("What do I do? Who should I ask?", SEVERAL),
        ("Any advice?", BROAD),
        ("How do I get better?", BROAD),
        ("Any advice on negotiating my salary?", BROAD),
        ("Don't you think I should ask for a raise?", LEADING),
        ("My manager is being unfair, right?", LEADING),
        ("I feel stuck in my role.", STATEMENT),
    ],
)
def test_flags_the_framing_problem(question: str, flag: QuestionFlag) -> None:
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
        assert not {CLOSED, BLAMING} & set(check_question(rewrite).flags), rewrite


def test_a_vague_question_is_anchored_in_the_users_own_words() -> None:
    rewrite = check_question("Any advice?", context=CONTEXT).rewrite
    assert rewrite == (
        "When my manager keeps giving the visible projects to someone else, "
        "what would you try first?"
    )


def test_several_questions_keep_the_first_one() -> None:
    check = check_question("What should I focus on and how do I tell my manager?")
    assert check.rewrite == "What should I focus on?"
    # None of the stacked questions is lost: each comes back on its own, weak ones rewritten.
    assert check.separately == ("What should I focus on?", "How do I tell my manager?")
    stacked = check_question("Any advice on networking? Also, should I join the guild?")
    assert stacked.separately == (
        "When it comes to networking, what is the first step you would take in my place?",
        "What should I weigh up in deciding whether to join the guild?",
    )


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


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Any advice on public speaking?", "public speaking"),
        ("any tips for my first week as a manager", "my first week as a manager"),
        ("Got any advice re confidence?", "confidence"),
        ("How can I be more visible?", "be more visible"),
        ("Why does nobody notice my work?", "notice my work"),
        ("Why do I always freeze in meetings?", "freeze in meetings"),
        ("Isn't it true that the deadline was unrealistic?", "the deadline was unrealistic"),
        ("I want to move into product management.", "move into product management"),
    ],
)
def test_every_rewrite_is_a_clean_question_that_keeps_the_subject(
    question: str, subject: str
) -> None:
    check = check_question(question)
    assert check.rewrite is not None
    assert subject in check.rewrite, check.rewrite
    assert check.rewrite[0].isupper() and check.rewrite.endswith("?")
    assert check.rewrite.count("?") == 1
    assert check_question(check.rewrite).ok, (check.rewrite, check_question(check.rewrite).flags)


def test_a_bare_ask_for_advice_is_never_read_as_open_and_specific() -> None:
    check = check_question("Any advice on getting promoted?")
    assert check.flags == (BROAD,)
    assert check.rewrite == (
        "When it comes to getting promoted, what is the first step you would take in my place?"
    )


def test_a_blaming_why_with_never_keeps_its_meaning() -> None:
    rewrite = check_question("why does my manager never listen to me").rewrite
    assert rewrite == "What makes it hard for my manager to listen to me?"
    rewrite = check_question("How come I never get invited to the planning meetings?").rewrite
    assert rewrite == "What would it take for me to get invited to the planning meetings?"


def test_a_tag_question_is_leading_not_stacked() -> None:
    check = check_question("You agree that I deserve the promotion, don't you?")
    assert check.flags == (LEADING,)
    assert check.rewrite == "What is your view on whether I deserve the promotion?"


def test_a_curious_why_and_an_opening_clause_pass() -> None:
    assert check_question("Why did you decide to become a mentor?").ok
    assert check_question("When you moved teams, how did you tell your old manager?").ok


def test_a_view_put_as_a_statement_is_rewritten_as_a_view_to_test_not_a_fact() -> None:
    check = check_question("I think my manager is wrong about this?")
    assert check.rewrite == "What is your view on whether my manager is wrong about this?"
