"""The short brief for a mentor: the key sections of an artifact, condensed."""

from __future__ import annotations

from assistant.conversation.guide.brief import ITEM_WIDTH, mentor_brief

AGENDA = """# Agenda for the meeting with Maria

*Prepare for a meeting · 2025-03-05*

## Goal of the meeting

- Decide whether to apply for the team lead role this quarter.

## Wins and updates since last time

- Shipped the billing migration early.

## Topics, most important first

1. Promotion timeline
2. Hiring for the new team
3. My talk
4. The offsite

## Help to ask for

- Feedback on my packet
"""


def test_a_prepare_brief_keeps_goal_topics_and_help_in_that_order() -> None:
    brief = mentor_brief("prepare", AGENDA)
    assert brief.startswith("# Brief: Agenda for the meeting with Maria\n")
    assert "Wins and updates" not in brief
    goal = brief.index("**Goal of the meeting**")
    topics = brief.index("**Topics, most important first**")
    help_ = brief.index("**Help to ask for**")
    assert goal < topics < help_
    assert "- Promotion timeline\n- Hiring for the new team\n- My talk\n" in brief
    assert "- (and 1 more in the full version)" in brief
    assert "The offsite" not in brief


def test_the_brief_follows_the_users_edits_and_never_cuts_a_sentence() -> None:
    first = "Feedback on my packet, " + "in particular the part about the migration " * 3 + "."
    second = "I will send it on Monday, two days ahead."
    edited = AGENDA.replace("- Feedback on my packet", f"- {first} {second}")
    brief = mentor_brief("prepare", edited)
    line = next(line for line in brief.splitlines() if line.startswith("- Feedback"))
    # The long first sentence is kept whole; the second one would not fit, so it is left out.
    assert len(first) > ITEM_WIDTH
    assert line == f"- {' '.join(first.split())}"
    short = AGENDA.replace("- Feedback on my packet", f"- Feedback on my packet. {second}")
    brief = mentor_brief("prepare", short)
    assert f"- Feedback on my packet. {second}" in brief


def test_unknown_headings_fall_back_to_the_first_sections() -> None:
    brief = mentor_brief("prepare", "# Notes\n\n## One\n\nfirst\nstill first\n\n## Two\n\n- a\n")
    assert "**One**\n- first still first" in brief
    assert "**Two**\n- a" in brief
