"""Practice in guide mode: the rubric quotes the mentor's own words; the persona keeps its
hidden facts until it is asked well."""

from __future__ import annotations

import json

from assistant.conversation.core.scenarios import get_scenario
from assistant.conversation.guide.feedback_rewrites import example_together
from assistant.conversation.guide.persona import persona_reply
from assistant.conversation.guide.rubric import CRITERIA, score_feedback
from assistant.conversation.model.rubric_draft import parse_rubric_draft

SCENARIO = get_scenario("missed-deadlines")
GOOD = [
    "In last Tuesday's client meeting, the report arrived two days after the deadline, "
    "which meant the team showed the client old figures.",
    "What has been getting in the way?",
    "How is your workload across the other projects?",
    "Let's agree a plan and check in by Friday.",
]
POOR = [
    "You're always late and it's unprofessional.",
    "Do you understand?",
    "Just do better going forward.",
]


def scores(lines: list[str]) -> dict[str, int]:
    return {score.criterion: score.score for score in score_feedback(lines, SCENARIO)}


def test_good_feedback_scores_high_on_every_criterion() -> None:
    assert scores(GOOD) == dict.fromkeys(CRITERIA, 4)


def test_poor_feedback_scores_low_and_gets_concrete_rewrites() -> None:
    result = score_feedback(POOR, SCENARIO)
    by_criterion = {score.criterion: score for score in result}
    assert all(score.score <= 2 for score in result)
    judgement = by_criterion["judgement_free"]
    assert judgement.quote == "You're always late and it's unprofessional."
    assert "unprofessional" in judgement.note
    assert by_criterion["open_question"].quote == "Do you understand?"
    assert by_criterion["next_step"].quote == "Just do better going forward."
    for score in result:
        assert score.rewrite, score.criterion
    assert SCENARIO.example.impact in by_criterion["impact"].rewrite


def test_every_quote_is_the_mentors_own_words() -> None:
    said = " ".join(GOOD + POOR)
    for score in score_feedback(GOOD + POOR, SCENARIO):
        assert score.quote in said


def test_a_next_step_is_not_mistaken_for_the_situation() -> None:
    assert scores(["Let's check in on Monday."])["situation"] == 1


def test_hidden_facts_come_out_only_for_an_open_question_on_their_topic() -> None:
    fact = SCENARIO.hidden_facts[1]
    closed = persona_reply(SCENARIO, "Is your workload too high?", [], {})
    assert closed.revealed is None and fact.fact not in closed.text
    off_topic = persona_reply(SCENARIO, "What did you have for lunch?", [], {})
    assert off_topic.revealed is None
    asked_well = persona_reply(SCENARIO, "How is your workload with other projects?", [], {})
    assert asked_well.revealed == 1 and asked_well.text == fact.fact
    # Asked again about a fact it has told, it never tells it as new: the next fact comes
    # out, and once everything is told it recalls what it said.
    already_told = persona_reply(SCENARIO, "How is your workload these days?", [1], {})
    assert already_told.revealed == 0 and already_told.text == SCENARIO.hidden_facts[0].fact
    all_told = persona_reply(SCENARIO, "How is your workload these days?", [0, 1], {})
    assert all_told.revealed is None
    assert (
        all_told.text
        == "Like I said, I've also been pulled into the migration project two days a week."
    )


def test_the_persona_reacts_to_judgement_and_agrees_to_a_next_step() -> None:
    poor = persona_reply(SCENARIO, "You're lazy about deadlines.", [], {})
    assert poor.kind == "poor" and poor.text in SCENARIO.poor_replies
    again = persona_reply(SCENARIO, "You're lazy about deadlines.", [], {"poor": 1})
    assert again.text != poor.text
    agree = persona_reply(SCENARIO, "Let's agree you flag late data on Monday.", [], {})
    assert agree.kind == "agree"


def test_model_scores_are_used_but_an_invented_quote_is_replaced_by_real_words() -> None:
    rules = score_feedback(POOR, SCENARIO)
    draft = {
        "criteria": [
            {"criterion": c, "score": 2, "quote": "", "note": "n", "rewrite": "r"} for c in CRITERIA
        ]
    }
    draft["criteria"][5]["quote"] = "You are so lazy"  # never said
    draft["criteria"][3]["quote"] = "Do you understand?"
    parsed = parse_rubric_draft(json.dumps(draft), " ".join(POOR), rules)
    assert parsed is not None
    by_criterion = {score.criterion: score for score in parsed}
    assert by_criterion["open_question"].quote == "Do you understand?"
    assert by_criterion["judgement_free"].quote == "You're always late and it's unprofessional."
    assert all(score.score == 2 for score in parsed)


def test_a_model_draft_missing_criteria_or_out_of_range_is_refused() -> None:
    rules = score_feedback(POOR, SCENARIO)
    missing = {"criteria": [{"criterion": "situation", "score": 3}] * 6}
    out_of_range = {"criteria": [{"criterion": c, "score": 7} for c in CRITERIA]}
    for draft in (missing, out_of_range):
        assert parse_rubric_draft(json.dumps(draft), " ".join(POOR), rules) is None
    assert parse_rubric_draft("You did well overall!", " ".join(POOR), rules) is None


def test_a_stated_impact_on_a_named_person_and_a_client_scores_impact() -> None:
    line = "The late report left Priya showing the client out-of-date figures."
    impact = {s.criterion: s for s in score_feedback([line], SCENARIO)}["impact"]
    assert impact.score == 4
    assert impact.quote == line


def test_each_score_quotes_the_sentence_that_earned_it() -> None:
    lines = [
        "On Tuesday the weekly report arrived two days late.",
        "That meant Sam had to redo the dashboard over the weekend.",
        "What got in the way?",
        "Let's check in again in two weeks.",
    ]
    by_criterion = {s.criterion: s for s in score_feedback(lines, SCENARIO)}
    assert by_criterion["situation"].quote == lines[0]
    assert by_criterion["behaviour"].quote == lines[0] and by_criterion["behaviour"].score == 4
    assert by_criterion["impact"].quote == lines[1] and by_criterion["impact"].score == 4
    assert by_criterion["open_question"].quote == lines[2]
    assert by_criterion["next_step"].quote == lines[3] and by_criterion["next_step"].score == 4


def test_words_the_mentor_quotes_are_not_their_own_question_or_judgement() -> None:
    line = "On Monday you wrote 'this is not good enough, why bother?' on Lena's review."
    by_criterion = {s.criterion: s for s in score_feedback([line], SCENARIO)}
    assert by_criterion["judgement_free"].score == 4
    assert by_criterion["open_question"].score == 1
    assert by_criterion["behaviour"].score == 4


def test_rewrites_use_the_mentors_own_days_and_figures() -> None:
    lines = ["On Wednesday your report came in four days late, which is not ok."]
    result = score_feedback(lines, SCENARIO)
    rewrites = " ".join(score.rewrite for score in result)
    assert "on Wednesday that meant" in rewrites
    assert "Tuesday" not in rewrites
    together = example_together(SCENARIO.example, lines)
    assert "four days after the Friday deadline" in together
    assert "one to three days" not in together and "Tuesday" not in together


def test_all_together_keeps_what_the_mentor_already_said_well() -> None:
    lines = [
        "Priya, on Wednesday the report came in four days late.",
        "What got in the way?",
    ]
    scores = score_feedback(lines, SCENARIO)
    earned = {score.criterion: (score.score, score.quote) for score in scores}
    together = example_together(SCENARIO.example, lines, earned)
    assert together.startswith("Priya, on Wednesday the report came in four days late, and on ")
    assert "Wednesday that meant our lead showed the client last week's figures." in together
    assert together.endswith("What got in the way?")
    assert "Tuesday" not in together and "one to three" not in together
