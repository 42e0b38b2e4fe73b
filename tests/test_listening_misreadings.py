"""Guide mode read again for misreadings left by the last pass: each fixed at its general
cause, tested with the example that showed it and with other wording.

- the guidance quoted after an answer is advice, never a sample of what someone wrote or
  might say (a quoted note, a bare quotation, a labelled example);
- a short sentence that is only a feeling ("It stung.") is the feeling quoted back, not the
  feedback sentence before it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from assistant.conversation.core.flows import load_flow
from assistant.conversation.guide.passage_quote import units_of
from assistant.conversation.guide.reflection import reflect
from assistant.conversation.guide.understanding import read_answer
from assistant.conversation.model.prompting import guide_voice
from tests.test_listening import chat, reply_after, sections
from tests.test_listening_mentee import quoted_guidance

SAMPLE_PASSAGE = """\
## Writing it down

Note how the conversation left you, in one honest line. Naming the reaction tells you where
to look more closely.
> "Came away deflated when he said my roadmap lacks focus. Might be fair."

"Pleased she liked the demo. Annoyed about the budget comment."

Good note: "Talked budgets. Felt defensive, then saw his point."

"A note like this one" is easier to act on than a page of minutes.
"""


def test_sample_lines_in_a_passage_are_not_advice_to_quote() -> None:
    sentences, _ = units_of(SAMPLE_PASSAGE, "mentee")
    assert "Note how the conversation left you, in one honest line." in sentences
    # a sentence about a quotation is the guide's own words
    assert any(s.startswith('"A note like this one" is easier') for s in sentences)
    for sample in ("Came away deflated", "Pleased she liked", "Talked budgets"):
        assert not [s for s in sentences if sample in s], sample


def test_a_debrief_never_quotes_a_mentee_sample_line_as_advice(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "Mostly my over-promising on deadlines, and the Q3 plan.",
        "She said I over-promise and then scramble at the end of the sprint.",
        "I felt a bit criticised honestly. Probably because it's true though.",
        "send a scope email before committing to any date, starting Monday",
    ]
    result = chat(capsys, tmp_path, "debrief", answers)
    # an "Instead of / Try" pair is labelled as wording to use; every other line is advice
    quoted = [line for line in quoted_guidance(result) if not line.startswith("- ")]
    assert quoted
    assert not [q for q in quoted if "Felt a bit criticised" in q]
    assert not [q for q in quoted if re.fullmatch(r'\s*(?:"[^"]+"|“[^”]+”)[\s.!?]*', q)]
    assert not [q for q in quoted if re.match(r"\w+ debrief:", q)]


@pytest.mark.parametrize(
    ("answer", "feeling", "feedback"),
    [
        ("They said my reviews are too harsh. It stung.", "It stung", "too harsh"),
        ("My manager told me my slides were confusing. Honestly that hurt.", "That hurt", "slides"),
        ("Felt gutted. He said the demo looked rushed and unprepared.", "Felt gutted", "rushed"),
    ],
)
def test_a_short_feeling_sentence_is_the_feeling_quoted_back(
    answer: str, feeling: str, feedback: str
) -> None:
    step = next(s for s in load_flow("debrief").steps if s.id == "feedback")
    for level in ("gentle", "balanced", "direct"):
        reply = reflect(step, read_answer(answer), guide_voice(level))
        assert reply.startswith(f"“{feeling}”"), reply
        # the feedback is named as what the feeling is about, not as the feeling
        about = reply.split("about", 1)[1]
        assert feedback in about, reply


def test_a_review_answer_reporting_what_was_done_is_not_read_as_a_question() -> None:
    for answer in (
        "had my one-on-one with Sam on the 14th, checklist still in progress",
        "did my slides for the demo, the rest is open",
    ):
        assert read_answer(answer).questions == (), answer
    assert read_answer("is my work good enough").questions, "a question without its mark"


def test_fair_on_a_point_is_agreement() -> None:
    reading = read_answer("Fair on the design issues. I doubt naming doesn't matter though.")
    assert reading.agreements == ("Fair on the design issues.",)
    assert reading.disagreements == ("I doubt naming doesn't matter though.",)


def _scored(line: str) -> dict[str, int]:
    from assistant.conversation.core.scenarios import get_scenario
    from assistant.conversation.guide.rubric import score_feedback

    scores = score_feedback([line], get_scenario("defensive-reaction"))
    return {score.criterion: score.score for score in scores}


#: Lines with what a mentor should see them score: an impression ("comes across as harsh")
#: labels, it does not describe an act; talking now about a past date is no agreed step.
RUBRIC_LINES = [
    ("Your reviews come across as harsh.", {"behaviour": 2, "judgement_free": 2}),
    (
        "In yesterday's planning meeting your comments came off as dismissive.",
        {"behaviour": 2, "judgement_free": 2},
    ),
    ("Honestly your demo seemed really rushed.", {"behaviour": 2, "judgement_free": 2}),
    ("On Tuesday you sent the report at 9 and it came across as rushed.", {"behaviour": 4}),
    ("Can we talk about what happened on the 14th?", {"next_step": 1, "situation": 3}),
    ("Let's go over how the demo went on the 3rd.", {"next_step": 1, "situation": 4}),
    (
        "Could we look at what happened last Friday before we talk about next steps?",
        {"next_step": 1, "situation": 3},
    ),
    ("Let's talk again on the 21st, once you've tried it.", {"next_step": 4}),
]


@pytest.mark.parametrize(("line", "expected"), RUBRIC_LINES)
def test_the_rubric_reads_impressions_and_past_dates(line: str, expected: dict[str, int]) -> None:
    scores = _scored(line)
    assert {criterion: scores[criterion] for criterion in expected} == expected, scores


@pytest.mark.parametrize(
    "answer",
    [
        "My mentor keeps asking me to bring feedback to our sessions, but what counts as "
        "feedback? I'm never sure what to bring.",
        "Does it count as feedback when my lead says nice work in standup?",
    ],
)
def test_a_question_about_feedback_itself_is_not_read_as_criticism(
    knowledge_home, tmp_path, capsys, answer: str
) -> None:
    answers = [answer, "I asked my lead, she said anything. I'd like a list to collect."]
    result = chat(capsys, tmp_path, "ask", answers)
    reply = reply_after(result, answer)["content"]
    assert "critical" not in reply.split("From the guide")[0], reply
    assert "criticism-without-defensiveness.md" not in [
        s["source"] for s in reply_sources(result, answer)
    ]
    assert "critical" not in result["artifact"]["title"]


def reply_sources(result: dict[str, Any], answer: str) -> list[dict[str, Any]]:
    """The passages the reply after ``answer`` quotes from."""
    reply = reply_after(result, answer)
    numbers = {int(n) for n in re.findall(r"From the guide \[(\d+)\]", reply["content"])}
    return [reply["sources"][n - 1] for n in sorted(numbers)]


def test_feedback_that_was_not_given_is_not_criticism() -> None:
    found = read_answer(
        "what counts as feedback? she didn't really give me feedback, she just asked questions"
    ).situation
    assert found is None or found.label != "critical feedback"


def test_criticism_is_still_named_as_critical_feedback() -> None:
    for answer in (
        "She said my slides were a mess and I rushed the ending.",
        "I got feedback on my deck yesterday and it stung.",
        "he said my impact isnt visable to leadership and that i never speak up",
    ):
        found = read_answer(answer).situation
        assert found is not None and found.label == "critical feedback", answer


@pytest.mark.parametrize(
    ("goal_answer", "goal"),
    [
        (
            "Honestly I'm fed up with Tom rewriting my PRs without asking, it's the third time "
            "this month. What I really want from Thursday is to agree how Tom and I split the "
            "API work.",
            "Agree how Tom and I split the API work.",
        ),
        (
            "ugh, sick of my lead presenting my analysis as hers. but what I actually need is "
            "advice on getting time with the director",
            "Advice on getting time with the director.",
        ),
        (
            "I need to vent about the reorg first lol. The real goal is deciding whether to "
            "move teams before March.",
            "Deciding whether to move teams before March.",
        ),
        (
            "So it's been a weird few weeks, I got made team lead kind of suddenly when Ruth "
            "left, and half the team are people I used to joke with, and the roadmap is a mess "
            "because Ruth kept it in her head, so I guess what I'd like from Friday is some way "
            "of figuring out what to drop, because I can't do everything, and also maybe how "
            "to handle Dev who applied for the lead role too.",
            "Some way of figuring out what to drop.",
        ),
    ],
)
def test_the_agenda_goal_is_the_want_not_a_complaint_or_the_ramble_around_it(
    knowledge_home, tmp_path, capsys, goal_answer: str, goal: str
) -> None:
    answers = [goal_answer, "Shipped the search migration.", "the API split\nmy talk", "her view"]
    result = chat(capsys, tmp_path, "prepare", answers)
    assert sections(result)["Goal of the meeting"][0] == goal
    # the reply hears the complaint and the goal
    reply = reply_after(result, goal_answer)["content"].split("\n\n")[0]
    assert goal.rstrip(".").lower() in reply.lower(), reply


def test_terse_questions_are_read_as_the_questions_they_are(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "raise?",
        "3 yrs same band. mgr vague.",
        "raise?\nhow 2 get promoted\nu think i should quit?",
    ]
    result = chat(capsys, tmp_path, "ask", answers)
    review = reply_after(result, answers[2])["content"]
    # a bare subject is too broad, and its rewrite keeps the subject in a whole sentence
    assert "1. “raise?”: it is too broad" in review, review
    assert "When it comes to my raise, what is the first step you would take" in review
    assert "statement" not in review.split("\n2.")[0]
    # chat-speak is read through: "how 2 get promoted" is the broad "how do I get promoted"
    assert "2. “how 2 get promoted” reads well" not in review
    assert "3. “u think i should quit?”: it can be answered with a plain yes or no" in review


def test_a_stance_in_chat_speak_is_heard() -> None:
    reading = read_answer(
        "yeah fair abt the reading from slides, i do that wen im nervus. "
        "not sure abt too dense tho, the board wants detail"
    )
    assert reading.agreements and "reading from slides" in reading.agreements[0]
    assert reading.disagreements == ("not sure abt too dense tho, the board wants detail",)
    assert [feeling.name for feeling in reading.feelings] == ["anxious"]


def test_not_accepting_a_point_is_pushback_heard_next_to_the_feeling() -> None:
    step = next(s for s in load_flow("debrief").steps if s.id == "landing")
    answer = (
        "I'm gutted and honestly a bit humiliated. He's right that I don't put myself forward "
        "much. But I did lead the cross-team migration last year so I don't accept that "
        "there's no evidence."
    )
    reply = reflect(step, read_answer(answer), guide_voice("balanced"))
    assert reply.startswith("You felt gutted and humiliated"), reply
    assert "I don't accept that there's no evidence" in reply.split("push back")[1], reply


def test_a_quotation_cut_by_the_passage_edge_is_not_quoted() -> None:
    sentences, _ = units_of(
        "It's why I finally asked to lead the migration, and she said yes.\"\n\n"
        "A good thank-you names what they said, what you did and what changed."
    )
    assert sentences == ["A good thank-you names what they said, what you did and what changed."]


def test_a_sample_question_before_advice_is_split_from_it() -> None:
    sentences, _ = units_of(
        '"Can we agree what you\'d need to see, and check progress monthly?" Write down what '
        "they say and send a short summary afterwards."
    )
    assert sentences == ["Write down what they say and send a short summary afterwards."]


def test_an_aside_left_behind_stays_out_of_the_agenda_and_the_win_is_heard(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "ugh what a week, my flat flooded on Tuesday and I slept at my sister's. anyway, "
        "back to work: I want to decide whether to apply for the analytics rotation.",
        "the insurance call took all of Wednesday which was grim. oh and I presented the "
        "churn analysis to the leadership team.",
        "the rotation\nchurn analysis follow-up",
        "her view on the rotation",
    ]
    result = chat(capsys, tmp_path, "prepare", answers)
    goal = sections(result)["Goal of the meeting"]
    assert goal[0] == "Decide whether to apply for the analytics rotation."
    assert not [line for line in goal if "flooded" in line or "sister" in line]
    reply = reply_after(result, answers[1])["content"].split("\n\n")[0]
    assert "I presented the churn analysis to the leadership team" in reply, reply


def test_a_mentor_defending_themselves_loses_the_tone_criterion(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "missed deadlines",
        "Priya, the report was late again on Tuesday. I just need it to stop.",
        "Listen, I've been leading teams for twenty years, I know what I'm talking about.",
        "Honestly you're overreacting, it's not a big deal.",
        "/skip",
    ]
    result = chat(capsys, tmp_path, "practice", answers)
    scored = next(
        t["content"] for t in result["turns"] if "How your feedback scored" in t["content"]
    )
    tone = next(line for line in scored.splitlines() if line.startswith("- No judgement words"))
    assert tone.startswith("- No judgement words: 1/4."), tone
    assert "I've been leading teams for twenty years, I know what I'm talking about" in tone
    assert "it's not a big deal" in tone
    rewrites = scored.split("Rewrites to try:")[1]
    assert "Instead of “I've been leading teams" in rewrites, rewrites
    # "I just need it to stop" is a wish, not an agreed step
    assert "- Agreed next step: 2/4." in scored, scored
    # an instruction is no question: no closed question is held against the mentor
    assert "- Open question: 1/4." in scored, scored


def test_the_mentee_bristles_when_the_mentor_waves_the_reaction_away() -> None:
    from assistant.conversation.core.scenarios import get_scenario
    from assistant.conversation.guide.persona import ReplyKind, persona_reply

    for line in (
        "Don't take it personally, I've been doing this for twenty years.",
        "You're overreacting, it's one comment.",
    ):
        reply = persona_reply(get_scenario("missed-deadlines"), line, [], {})
        assert reply.kind == ReplyKind.POOR, (line, reply)
