"""A simulated mentee agrees to a proposal in its own sentence: the mentor's lead-in ("ok so
how about", "could you maybe", "I'd like you to", "let's") is never repeated, a time phrase or
clause the mentor put first comes first, and every part of the step is agreed in the future
("I'll check with you and we'll look at my list together")."""

from __future__ import annotations

import pytest

from assistant.conversation.core.scenarios import all_scenarios
from assistant.conversation.guide.persona import ReplyKind, persona_reply
from tests.test_listening import chat, reply_after

LEAD_INS = ("ok so", "how about", "what if", "could you", "maybe", "i'd like", "let's")


@pytest.mark.parametrize(
    ("line", "agreed"),
    [
        (
            "ok so how about for the next two weeks, before you take anything new on, you check "
            "with me and we look at your list together?",
            "Okay. For the next two weeks, before I take anything new on, I'll check with you "
            "and we'll look at my list together.",
        ),
        (
            "Alright, what if, until the release, you ping me before saying yes to anything "
            "and I sort the priorities?",
            "Okay. Until the release, I'll ping you before saying yes to anything and you'll "
            "sort the priorities.",
        ),
        (
            "Could you maybe send me the draft by Friday?",
            "Okay, I'll send you the draft by Friday.",
        ),
        (
            "Well, I'd like you to book a slot with Sam before Thursday.",
            "Okay, I'll book a slot with Sam before Thursday.",
        ),
        (
            "So, let's go through your list together on Monday.",
            "Okay, we'll go through my list together on Monday.",
        ),
        (
            "okay so maybe you could write down three priorities and we compare them on Friday",
            "Okay, I'll write down three priorities and we'll compare them on Friday.",
        ),
    ],
)
def test_a_proposal_is_agreed_in_the_mentees_own_sentence(line: str, agreed: str) -> None:
    scenario = next(s for s in all_scenarios() if not s.negotiates)
    reply = persona_reply(scenario, line, [], {})
    assert reply.kind is ReplyKind.AGREE
    assert reply.text.startswith(agreed), reply.text
    said = reply.text.lower()
    assert not any(said.count(lead) for lead in LEAD_INS), reply.text


def test_a_practice_role_play_hears_the_step_back_without_the_lead_in(
    knowledge_home, tmp_path, capsys
) -> None:
    proposal = (
        "ok so how about for the next two weeks, before you take anything new on, you check "
        "with me and we look at your list together?"
    )
    answers = [
        "1",
        "hey, got a minute? In Monday's planning you took on four new tickets.",
        proposal,
        "/skip",
    ]
    result = chat(capsys, tmp_path, "practice", answers)
    reply = reply_after(result, proposal)["content"]
    assert (
        "For the next two weeks, before I take anything new on, I'll check with you and we'll "
        "look at my list together." in reply
    ), reply
    assert "how about" not in reply.lower() and "I'll ok" not in reply
