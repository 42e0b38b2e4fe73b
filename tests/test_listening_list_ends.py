"""A line that closes a list ("nothing else", "that's all", "nope that's everything") adds
nothing to it: no action item "Nothing else" to carry into the next debrief, no topic
"that's all" in the agenda's time plan, no request "nope that's everything"."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.conversation.core.user_text import ends_list, one_per_line
from assistant.conversation.guide.understanding import find_commitments
from tests.test_listening import chat, reply_after, sections

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    "closer",
    [
        "nothing else",
        "that's all",
        "that's it",
        "no more",
        "all good",
        "nope that's everything",
        "Nothing further for now.",
        "I think that’s all I've got",
        "ok that's it from me, thanks!",
        "- none else",
    ],
)
def test_a_closing_line_plans_nothing(closer: str) -> None:
    assert ends_list(closer)
    answer = f"book a slot with Dana to rehearse the demo by Friday\n{closer}"
    actions = [c.text for c in find_commitments(answer, TODAY, every_line=True)]
    assert actions == ["Book a slot with Dana to rehearse the demo by Friday"]
    assert one_per_line(f"pricing change\n{closer}") == ["pricing change"]


def test_a_closing_remark_after_an_item_is_not_part_of_it() -> None:
    actions = find_commitments("email Sam the deck by Friday, that's it", TODAY, every_line=True)
    assert [c.text for c in actions] == ["Email Sam the deck by Friday"]
    assert one_per_line("1. the reorg - nothing else") == ["the reorg"]


@pytest.mark.parametrize(
    "item",
    [
        "no more meetings on Fridays",
        "get the doc done",
        "nothing else matters more than the launch",
        "all good news to share first",
    ],
)
def test_an_item_that_starts_or_ends_like_a_closer_is_kept(item: str) -> None:
    assert not ends_list(item)
    assert one_per_line(item) == [item]


def test_nothing_else_is_not_an_action_carried_to_the_next_meeting(
    knowledge_home, tmp_path, capsys
) -> None:
    first = chat(
        capsys,
        tmp_path,
        "debrief",
        [
            "We went over the Q3 design doc.",
            "She said my design docs are too long and nobody reads past page one.",
            "Fair, honestly.",
            "cut the q3 doc to two pages by friday\nnothing else",
        ],
    )
    assert [item["text"] for item in first["action_items"]] == [
        "Cut the q3 doc to two pages by friday"
    ]
    heading = "What I will try next"
    assert all("Nothing else" not in line for line in sections(first)[heading])
    agenda = chat(capsys, tmp_path, "prepare", ["A decision on the doc template.", "/done"])
    carried = sections(agenda)["Open action items from earlier sessions"]
    assert len(carried) == 1
    assert carried[0].startswith("Cut the q3 doc to two pages by friday")
    assert "Nothing else" not in agenda["markdown"]


def test_closing_lines_add_no_topic_request_or_question(knowledge_home, tmp_path, capsys) -> None:
    agenda = chat(
        capsys,
        tmp_path,
        "prepare",
        [
            "A decision on whether to go for the staff role.",
            "Shipped the billing migration.",
            "staff role\nteam conflict\nthat's all",
            "an intro to someone who made staff recently\nnope that's everything",
        ],
    )
    parts = sections(agenda)
    assert parts["Topics, most important first"] == ["staff role", "team conflict"]
    assert parts["Help to ask for"] == ["an intro to someone who made staff recently"]
    assert not any("that's all" in line for line in parts["Time plan"])
    reply = reply_after(agenda, "staff role\nteam conflict\nthat's all")
    assert "“that's all”" not in reply["content"]
    questions = chat(
        capsys,
        tmp_path,
        "ask",
        [
            "I keep getting pulled into other teams' incidents.",
            "I said yes every time; I'd like a rule for when to say no.",
            "How do you decide which incidents are yours to take?\nthat's it",
        ],
    )
    assert sections(questions)["Questions to ask"] == [
        "How do you decide which incidents are yours to take?"
    ]


def test_thats_all_after_a_number_marks_only_that_item_done(
    knowledge_home, tmp_path, capsys
) -> None:
    chat(
        capsys,
        tmp_path,
        "debrief",
        [
            "We went over the launch plan.",
            "He said my estimates are optimistic.",
            "Fair.",
            "send the revised estimate to Ola tomorrow\nbook a retro with the team in 2 weeks",
        ],
    )
    second = chat(
        capsys,
        tmp_path,
        "debrief",
        ["We talked about hiring.", "Nothing new.", "Fine.", "1, that's all", "/done"],
    )
    done = sections(second)["Done since last time"]
    assert done == ["Send the revised estimate to Ola tomorrow"]
