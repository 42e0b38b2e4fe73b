"""Four new voices read end to end (benchmarks/listening_scripts: prepare_formal_esl,
ask_anxious_runon, debrief_sarcastic, practice_coaching_mentor) and the misreadings they
showed: a title made of a filler ("Questions for my mentor: ok"), feedback told early as "spent
20 mins telling me", "I mean, that was basically it." filed as feedback, "honestly?" as how it
landed, "mr. okafor" cut into two sentences, and a simulated mentee agreeing in broken grammar
("let's before me take anything new on, me check with you first")."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.conversation.guide.proposals import accepted, read_proposal
from tests.test_listening import chat, reply_after, sections

SCRIPTS = Path(__file__).resolve().parent.parent / "benchmarks" / "listening_scripts"


def blocks(name: str) -> list[str]:
    text = (SCRIPTS / name).read_text(encoding="utf-8")
    return [block.strip() for block in text.split("\n---\n")]


@pytest.mark.parametrize(
    ("line", "agreed"),
    [
        (
            "Could we agree that before you take anything new on, you check with me first, "
            "starting with Thursday's planning?",
            "Okay. Before I take anything new on, I'll check with you first, starting "
            "with Thursday's planning.",
        ),
        (
            "Can we agree that once you finish the API docs, you ping me before saying yes?",
            "Okay. Once I finish the API docs, I'll ping you before saying yes.",
        ),
    ],
)
def test_a_step_agreed_in_a_clause_is_repeated_in_the_mentees_own_voice(
    line: str, agreed: str
) -> None:
    assert accepted(read_proposal(line)) == agreed


def test_a_sarcastic_debrief_is_filed_where_each_part_belongs(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = blocks("debrief_sarcastic.txt")
    result = chat(capsys, tmp_path, "debrief", answers)
    assert result["artifact"]["title"].startswith("Reflection on the meeting with Tomasz")
    assert "oh it was great" not in result["artifact"]["title"]
    asked = reply_after(result, answers[0])["content"]
    assert "Was there anything else Tomasz said" in asked
    parts = sections(result)
    assert parts["Feedback I received"][0].startswith("mentor (tomasz) spent 20 mins telling me")
    assert "I mean, that was basically it." not in parts["Feedback I received"]
    assert "honestly?" not in parts.get("How it landed", [])
    assert [item["text"] for item in result["action_items"]][-1].startswith("Ask tomasz")
    assert len(result["action_items"]) == 2  # "that's it" is no action


def test_a_filler_opening_never_titles_the_questions(knowledge_home, tmp_path, capsys) -> None:
    result = chat(capsys, tmp_path, "ask", blocks("ask_anxious_runon.txt"))
    title = result["artifact"]["title"]
    assert ": ok" not in title and not title.lower().startswith("questions for my mentor: ok")
    assert "nothing else" not in " ".join(sections(result)["Questions to ask"]).lower()


def test_a_formal_goal_naming_mr_okafor_is_heard_whole(knowledge_home, tmp_path, capsys) -> None:
    answers = blocks("prepare_formal_esl.txt")
    result = chat(capsys, tmp_path, "prepare", answers)
    heard = reply_after(result, answers[0])["content"].split("\n\n")[0]
    assert "I would like to receive his opinion if I should accept the transfer" in heard
    assert "my mentor mr”" not in heard
    assert result["artifact"]["title"].startswith("Agenda for the meeting with Mr. Okafor")
    assert sections(result)["Help to ask for"][-1] == "Also his feedback on my draft email to HR."


@pytest.mark.parametrize(
    ("answer", "agree", "doubt"),
    [
        (
            "I guess she has a point about length, but the detail is there for a reason",
            "I guess she has a point about length",
            "the detail is there for a reason",
        ),
        (
            "fair enough, though I still think the format matters more than the length",
            "fair enough",
            "I still think the format matters more than the length",
        ),
    ],
)
def test_a_concession_then_but_keeps_the_reservation_apart(
    knowledge_home, tmp_path, capsys, answer: str, agree: str, doubt: str
) -> None:
    answers = ["We went over my design docs.", "She said they are too long.", answer]
    result = chat(capsys, tmp_path, "debrief", answers)
    parts = sections(result)
    assert parts["What I agree with"] == [agree[:1].upper() + agree[1:]]
    assert parts["What I doubt or disagree with"] == [doubt[:1].upper() + doubt[1:]]
    assert f"“{doubt}”" in reply_after(result, answer)["content"]


def test_but_then_a_step_of_ones_own_is_no_reservation() -> None:
    from assistant.conversation.guide.understanding import find_stances

    assert find_stances("she is right, but I will work on it this sprint") == (
        ["she is right"],
        [],
    )
