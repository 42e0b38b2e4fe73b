"""The practice rubric hears a sprint or a release as the occasion, and what the mentor saw
in it ("you've picked up a lot of tickets", "three of them slipped past the release date") as
observable behaviour, each score quoting the words that earned it."""

from __future__ import annotations

import pytest

from assistant.conversation.core.scenarios import get_scenario
from assistant.conversation.guide.rubric import CriterionScore, score_feedback

SCENARIO = get_scenario("missed-deadlines")


def scored(line: str) -> dict[str, CriterionScore]:
    return {score.criterion: score for score in score_feedback([line], SCENARIO)}


@pytest.mark.parametrize(
    ("line", "occasion", "seen"),
    [
        (
            "hey jordan, got a minute? I wanted to talk about the sprint. you've picked up a lot "
            "of tickets and three of them slipped past the release date",
            "I wanted to talk about the sprint.",
            "you've picked up a lot of tickets and three of them slipped past the release date",
        ),
        (
            "can we talk about the release? you merged four PRs without review and two of them "
            "broke the build",
            "can we talk about the release?",
            "you merged four PRs without review and two of them broke the build",
        ),
        (
            "I want to go over the sprint. you've taken on a lot of extra work and two tasks "
            "slipped past the demo",
            "I want to go over the sprint.",
            "you've taken on a lot of extra work and two tasks slipped past the demo",
        ),
    ],
)
def test_the_sprint_is_the_occasion_and_what_slipped_is_what_was_seen(
    line: str, occasion: str, seen: str
) -> None:
    scores = scored(line)
    assert (scores["situation"].score, scores["situation"].quote) == (3, occasion)
    assert (scores["behaviour"].score, scores["behaviour"].quote) == (4, seen)
    assert scores["impact"].score == 4


def test_this_sprint_is_a_time_and_not_also_the_place() -> None:
    scores = scored("During this sprint you've picked up five tickets from other teams.")
    assert scores["situation"].score == 3
    assert scores["behaviour"].score == 4


def test_how_someone_seemed_is_still_no_observed_act() -> None:
    assert scored("In the sprint review you seemed tired.")["behaviour"].score == 1
    assert scored("You won't own the choice.")["behaviour"].score == 1
