"""The simulated mentee of every practice scenario, driven by scripted mentor turns: it reacts
to the kind of move the mentor makes and stays consistent with what it has already said."""

from __future__ import annotations

import re

import pytest

from assistant.conversation.core.scenarios import Scenario, all_scenarios
from assistant.conversation.guide.persona import (
    PersonaReply,
    ReplyKind,
    persona_reply,
    speaker_line,
    speaker_of,
)

SCENARIOS = all_scenarios()
DAYS = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)


class Conversation:
    """One role-play: the persona's memory (facts told, replies used) kept between turns,
    as the engine keeps it in the session state."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.revealed: list[int] = []
        self.used: dict[str, int] = {}

    def say(self, line: str) -> PersonaReply:
        reply = persona_reply(self.scenario, line, self.revealed, self.used)
        self.used[reply.kind] = self.used.get(reply.kind, 0) + 1
        if reply.revealed is not None:
            self.revealed.append(reply.revealed)
        return reply


@pytest.fixture(params=SCENARIOS, ids=[s.id for s in SCENARIOS])
def talk(request: pytest.FixtureRequest) -> Conversation:
    return Conversation(request.param)


def test_open_questions_bring_out_the_facts_one_at_a_time(talk: Conversation) -> None:
    facts = [fact.fact for fact in talk.scenario.hidden_facts]
    first = talk.say("What's been going on for you lately?")
    assert first.kind is ReplyKind.FACT and first.text in facts
    second = talk.say("Tell me more: what else is making it hard?")
    assert second.kind is ReplyKind.FACT and second.text in facts
    assert second.text != first.text
    # Asked again about what it already said, it recalls the same fact rather than a new one.
    asked_again = [fact for i, fact in enumerate(talk.scenario.hidden_facts) if i == first.revealed]
    again = talk.say(f"What did you mean about the {asked_again[0].keywords[0]} thing?")
    assert again.kind in (ReplyKind.RECALL, ReplyKind.FACT)
    if again.kind is ReplyKind.RECALL:
        assert again.text.startswith("Like I said,")
        recalled = again.text.removeprefix("Like I said, ").rstrip(".").lower()
        assert recalled[:20] in " ".join(facts).lower()


def test_judgement_makes_it_defensive(talk: Conversation) -> None:
    reply = talk.say("Honestly, you're being lazy and unprofessional about this.")
    assert reply.kind is ReplyKind.POOR and reply.text in talk.scenario.poor_replies
    blame = talk.say("Why didn't you tell me earlier?")
    assert blame.kind is ReplyKind.POOR and blame.text != reply.text
    assert not any(blame.text == fact.fact for fact in talk.scenario.hidden_facts)


def test_empathy_opens_it_up(talk: Conversation) -> None:
    reply = talk.say("That sounds like a really hard few weeks. I'm not here to blame you.")
    assert reply.kind is ReplyKind.FACT
    talk.say("I can imagine that's been stressful.")
    opened = talk.say("Thanks for telling me all this, it makes sense.")
    assert opened.kind is ReplyKind.OPEN_UP and opened.text in talk.scenario.open_up_replies


def test_vagueness_and_closed_questions_keep_it_vague(talk: Conversation) -> None:
    for line in ("Hmm.", "Things need to get better.", "Is everything ok?"):
        reply = talk.say(line)
        assert reply.kind is ReplyKind.NEUTRAL, line
        assert reply.text in talk.scenario.neutral_replies
    assert talk.revealed == []


def test_specific_fair_feedback_is_taken_well(talk: Conversation) -> None:
    reply = talk.say(
        "In last Tuesday's meeting you cut the update short after two minutes, "
        "so the team had to chase the figures afterwards."
    )
    assert reply.kind is ReplyKind.GOOD and reply.text in talk.scenario.good_replies


def test_a_proposal_comes_back_in_the_mentors_own_days_and_times(talk: Conversation) -> None:
    reply = talk.say("Could we meet Tuesday and Thursday at 10 to go through it together?")
    mentioned = {day.capitalize() for day in DAYS.findall(reply.text)}
    assert mentioned and mentioned <= {"Tuesday", "Thursday"}, reply.text
    assert "at 10" in reply.text
    if talk.scenario.negotiates:
        # It bargains once, keeping the mentor's own terms and saying why...
        assert reply.kind is ReplyKind.NEGOTIATE
        assert reply.text.endswith("Could we just meet Thursday at 10 to go through it together?")
        assert talk.scenario.busy_reason in reply.text
        again = talk.say("Okay, Thursday at 10 then.")
        assert again.kind is ReplyKind.AGREE and "Thursday at 10" in again.text
    else:
        assert reply.kind is ReplyKind.AGREE
        assert "we'll meet Tuesday and Thursday at 10 to go through it together" in reply.text


def test_a_step_the_mentor_gives_the_mentee_is_taken_in_its_own_voice(
    talk: Conversation,
) -> None:
    reply = talk.say("Can you send me your draft plan by 5pm on Wednesday?")
    assert reply.kind is ReplyKind.AGREE
    assert "I'll send you my draft plan by 5pm on Wednesday" in reply.text
    assert {d.capitalize() for d in DAYS.findall(reply.text)} == {"Wednesday"}


def test_a_step_the_mentor_takes_on_is_thanked_with_the_mentors_terms(
    talk: Conversation,
) -> None:
    reply = talk.say("I'll send you the template by Friday.")
    assert reply.kind is ReplyKind.AGREE
    assert "Once you send me the template by Friday" in reply.text
    assert talk.scenario.commitment in reply.text


def test_a_step_without_a_time_gets_asked_for_one(talk: Conversation) -> None:
    reply = talk.say("Let's agree that you raise it with me as soon as something slips.")
    assert reply.kind is ReplyKind.AGREE
    assert "I'll raise it with you as soon as something slips" in reply.text
    assert reply.text.endswith("When shall we check how it went?")


@pytest.mark.parametrize(
    ("line", "taken_up"),
    [
        (
            "What if you sent me the figures by Thursday noon?",
            "I'll send you the figures by Thursday noon",
        ),
        (
            "Would you mind sending me the numbers on Monday morning?",
            "I'll send you the numbers on Monday morning",
        ),
        (
            "Why don't we look at the data together tomorrow at 2?",
            "we'll look at the data together tomorrow at 2",
        ),
        (
            "Can we agree that you'll send the deck by Monday?",
            "agreed: I'll send the deck by Monday",
        ),
        ("I'll check in with you on Friday at 4.", "Once you check in with me on Friday at 4"),
    ],
)
def test_every_way_of_proposing_is_taken_up_in_the_mentors_terms(line: str, taken_up: str) -> None:
    scenario = next(s for s in SCENARIOS if not s.negotiates)
    reply = persona_reply(scenario, line, [], {})
    assert reply.kind is ReplyKind.AGREE and taken_up in reply.text


def test_a_role_play_turn_names_its_speaker_and_a_coach_turn_does_not(talk: Conversation) -> None:
    reply = talk.say("What's been going on?")
    shown = speaker_line(talk.scenario, reply.text)
    assert speaker_of(shown) == talk.scenario.persona_name
    opening = f"Scenario: {talk.scenario.title}.\n\n{talk.scenario.persona_name}: hi"
    assert speaker_of(opening) is None
    assert speaker_of("How your feedback scored, from 1 (absent) to 4 (done well):") is None
