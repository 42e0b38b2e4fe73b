"""First names written in lower case are people where the wording makes them people, and the
person a meeting is with names the artifact ("Reflection on the meeting with Priya"), never a
title made of "meeting jordan on thursday"."""

from __future__ import annotations

import pytest

from assistant.conversation.guide.names import is_meeting_mention, person_met
from assistant.conversation.guide.synthesis import goal_line
from assistant.conversation.guide.understanding import find_people
from tests.test_listening import chat


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("had my catch-up with priya, mostly about the design docs", ["Priya"]),
        ("meeting jordan on thursday", ["Jordan"]),
        ("honestly kwame told me the estimates were fine", ["Kwame"]),
        ("my mentor dana suggested a smaller scope", ["Dana"]),
        ("met with design and the data folks about the roadmap", []),
        ("meeting notes were lost, with everyone confused", []),
        ("she said the deadlines were met", []),
        ("she finished the course her mentor recommended and automated two suites", []),
        ("her manager praised the work, then met with jordan to plan", ["Jordan"]),
    ],
)
def test_a_lower_case_first_name_is_a_person_only_where_the_wording_says_so(
    text: str, people: list[str]
) -> None:
    assert find_people(text) == people


def test_the_person_met_and_a_mention_that_only_says_who_and_when() -> None:
    assert person_met("1:1 with ravi went long", "talked to sam after") == "Ravi"
    assert person_met("we discussed the roadmap and the offsite") == ""
    assert is_meeting_mention("meeting jordan on thursday at 3pm")
    assert not is_meeting_mention("meeting jordan to decide on the staff role")
    assert goal_line("meeting jordan on thursday, want advice on the staff role") == (
        "Advice on the staff role."
    )


def test_a_debrief_with_priya_in_lower_case_is_titled_with_her_name(
    knowledge_home, tmp_path, capsys
) -> None:
    result = chat(
        capsys,
        tmp_path,
        "debrief",
        ["had my catch-up with priya, mostly about the design docs", "/done"],
    )
    title = result["artifact"]["title"]
    assert title.startswith("Reflection on the meeting with Priya: the design docs")


def test_an_agenda_for_a_meeting_named_in_lower_case_is_titled_with_the_person(
    knowledge_home, tmp_path, capsys
) -> None:
    result = chat(
        capsys,
        tmp_path,
        "prepare",
        ["seeing tomasz next monday", "closed the vendor contract", "whether to move teams"],
    )
    title = result["artifact"]["title"]
    assert title.startswith("Agenda for the meeting with Tomasz")
    assert "seeing tomasz" not in title.lower()
