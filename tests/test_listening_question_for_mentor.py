"""A question about whether to ask the mentor something ("is it ok to ask if she still has
time for mentoring?") is for the mentee to settle: the rewrite is the question inside it, put
to the mentor as "you", opened with a follow-up when it is a yes/no one."""

from __future__ import annotations

import pytest

from assistant.conversation.guide.questions import check_question
from tests.test_listening import chat, sections


@pytest.mark.parametrize(
    ("question", "rewrite"),
    [
        (
            "is it ok to ask if she still has time for mentoring?",
            "Do you still have time for mentoring? What would make it work for you?",
        ),
        (
            "hmm should I even ask my mentor if she has capacity for another project?",
            "Do you have capacity for another project? What would make it work for you?",
        ),
        (
            "would it be weird to ask my mentor whether he thinks I am ready for promotion?",
            "Do you think I am ready for promotion? What makes you say that?",
        ),
        ("Is it rude to ask Sam if he liked my draft?", "Did you like my draft? Why, or why not?"),
        (
            "should I ask her about her move into management?",
            "What can you tell me about your move into management?",
        ),
        (
            "can I ask him to review my CV before Friday?",
            "Would you be willing to review my CV before Friday? What would you need from me?",
        ),
        ("should I ask him what he thinks of my plan?", "What do you think of my plan?"),
        ("Can I ask her how she got promoted so fast?", "How did you get promoted so fast?"),
        (
            "is it ok to ask her why she never replies to my emails?",
            "What makes it hard for you to reply to my emails?",
        ),
    ],
)
def test_a_question_about_asking_becomes_the_question_for_the_mentor(
    question: str, rewrite: str
) -> None:
    check = check_question(question)
    assert check.rewrite == rewrite
    assert "whether to ask" in "; ".join(check.explanations())
    for third_person in (" she ", " he ", " her ", " him ", "my mentor"):
        assert third_person not in f" {check.rewrite} "


@pytest.mark.parametrize(
    ("question", "rewrite"),
    [
        (
            "should I apply for the lead role?",
            "What should I weigh up in deciding whether to apply for the lead role?",
        ),
        (
            "should I ask my manager for a raise?",
            "What should I weigh up in deciding whether to ask my manager for a raise?",
        ),
        ("Can I ask for a raise now?", "What would it take for me to ask for a raise now?"),
    ],
)
def test_asking_someone_else_is_still_a_question_for_the_mentor(
    question: str, rewrite: str
) -> None:
    check = check_question(question)
    assert check.rewrite == rewrite
    assert "whether to ask" not in "; ".join(check.explanations())


def test_the_ask_flow_keeps_the_question_put_to_the_mentor(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "I am worried my mentor is too busy for me now.",
        "She moved teams last month and cancelled our last two sessions.",
        "is it ok to ask if she still has time for mentoring?",
        "/skip",
    ]
    result = chat(capsys, tmp_path, "ask", answers)
    assert sections(result)["Questions to ask"] == [
        "Do you still have time for mentoring? What would make it work for you?"
    ]
