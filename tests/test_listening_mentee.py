"""Guide mode read as the people who wrote the answers: a third pass over every flow.

Each test runs a flow end to end through `reflect chat --json` with answers written the way
people write them (pasted lists, chat-speak, third person, upset, defensive, confused, a harsh
mentor) and checks what that person would notice in the replies and the artifact.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from assistant.conversation.core.flows import load_flow
from assistant.conversation.core.scenarios import get_scenario
from assistant.conversation.guide.due_dates import parse_due
from assistant.conversation.guide.persona import ReplyKind, persona_reply
from assistant.conversation.guide.question_forms import QuestionFlag
from assistant.conversation.guide.questions import check_question
from assistant.conversation.guide.reflection import reflect
from assistant.conversation.guide.replies import debrief_text
from assistant.conversation.guide.rubric import score_feedback
from assistant.conversation.guide.understanding import read_answer
from assistant.conversation.model.prompting import guide_voice
from tests.test_listening import chat, reply_after, sections


def guidance_lines(content: str) -> list[str]:
    """The guidance a reply quotes: its sentences, and each "Instead of / Try" line."""
    lines = []
    for line in content.splitlines():
        quoted = re.match(r"From the guide \[\d+\] “[^”]+”(?:, for “[^”]+”)?:\s*(.*)$", line)
        if quoted and quoted.group(1):
            lines.append(quoted.group(1))
        elif line.startswith(("- Instead of: ", "- Try: ")):
            lines.append(line)
    return lines


def quoted_guidance(result: dict[str, Any]) -> list[str]:
    """Every guidance line the coach's replies quote in a ``reflect chat --json`` result."""
    return [
        line
        for turn in result["turns"]
        if turn["role"] == "assistant"
        for line in guidance_lines(turn["content"])
    ]


def test_no_guidance_is_quoted_twice_in_one_session(knowledge_home, tmp_path, capsys) -> None:
    scripts = {
        "prepare": [
            "My mentor has cancelled the last two sessions, once with an hour's notice. "
            "I want to leave knowing whether we keep meeting monthly.",
            "Finished the API migration two weeks early.",
            "Tom rewriting my PRs\nwhether to keep meeting monthly given the cancellations",
            "her view on whether I talk to Tom directly first",
        ],
        "ask": [
            "I'm back from parental leave in three weeks. The project I was leading got "
            "handed to someone else while I was out, and I don't want to look uncommitted.",
            "I had one coffee with my old lead. A good outcome is coming back to something I own.",
            "Should I ask for my project back?\nHow do I come back without looking uncommitted?",
        ],
    }
    for flow, answers in scripts.items():
        result = chat(capsys, tmp_path, flow, answers)
        quoted: list[str] = []
        for turn in result["turns"]:
            if turn["role"] == "assistant":
                quoted += guidance_lines(turn["content"])
        repeated = {line for line in quoted if quoted.count(line) > 1}
        assert not repeated, (flow, repeated)
        # a reply that quotes the guide always quotes something
        for turn in result["turns"]:
            for line in turn["content"].splitlines():
                if re.fullmatch(r"From the guide \[\d+\] “[^”]+”:", line):
                    follows = turn["content"].split(line, 1)[1].lstrip("\n")
                    assert follows.startswith("- Instead of:"), turn["content"]


def test_a_pasted_list_stays_a_list_in_the_reply_and_the_agenda(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "Goals for Thursday (45 min):\n1. Decide whether I apply for the staff role\n"
        "2. Get her take on my growth plan",
        "- shipped v2 of the billing export\n- ran my first incident review\n"
        "- still haven't done the design doc course she recommended",
        "1. Staff role application\n2. Growth plan\n3. Conference budget",
        "* Feedback on my staff role self-assessment",
    ]
    result = chat(capsys, tmp_path, "prepare", answers)
    agenda = sections(result)
    assert agenda["Goal of the meeting"] == [
        "Decide whether I apply for the staff role",
        "Get her take on my growth plan",
    ]
    assert agenda["Wins and updates since last time"] == [
        "shipped v2 of the billing export",
        "ran my first incident review",
        "still haven't done the design doc course she recommended",
    ]
    assert agenda["Time plan"][-1].startswith("40–45 min")  # the length they gave
    wins = reply_after(result, answers[1])["content"]
    assert "“shipped v2 of the billing export”, “ran my first incident review” and" in wins
    topics = reply_after(result, answers[2])["content"]
    assert "“Staff role application”, “Growth plan” and “Conference budget”" in topics
    assert (
        "“1." not in topics
        and "“Goals for Thursday" not in reply_after(result, answers[0])["content"]
    )


def test_an_upset_mentee_hears_the_feeling_and_a_consent_is_not_read_as_a_doubt(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "We went through my quarterly review.",
        'She said I "come across as junior" when I hedge. She said it in front of another '
        "mentee she had invited without asking me.",
        "Honestly I'm furious and humiliated. I didn't agree to have someone else in the room. "
        "Maybe the hedging thing is fair but saying I come across as junior in front of someone "
        "else is not ok.",
        "cut the hedging words from my slides by Wednesday",
    ]
    result = chat(capsys, tmp_path, "debrief", answers)
    reply = reply_after(result, answers[2])["content"]
    assert reply.startswith("You felt furious and humiliated: “I'm furious and humiliated”.")
    assert "“Maybe the hedging thing is fair”" in reply
    assert "push back here: “saying I come across as junior in front of someone else" in reply
    note = sections(result)
    assert note["What I doubt or disagree with"] == [
        "Saying I come across as junior in front of someone else is not ok."
    ]
    assert "I didn't agree to have someone else in the room." in note["How it landed"]


def test_chat_speak_agreement_and_a_bare_pushback_with_its_reason_are_heard(
    knowledge_home, tmp_path, capsys
) -> None:
    chatty = [
        "we talked abt my side project",
        "she said put the numbers in ur cv. also said my readme is a mess lmao",
        "yeah 100% agree abt the numbers. the readme thing idk, its a side project not a product",
    ]
    note = sections(chat(capsys, tmp_path, "debrief", chatty))
    assert note["What I agree with"] == ["Yeah 100% agree abt the numbers."]
    assert note["What I doubt or disagree with"] == [
        "The readme thing idk, its a side project not a product"
    ]
    defensive = [
        "Deadlines mostly. And the roadmap.",
        "He said I always miss deadlines.",
        "That's not fair at all. Everyone on the team misses deadlines because the estimates "
        "come from management. I don't see what I'd change.",
    ]
    result = chat(capsys, tmp_path, "debrief", defensive)
    # a short answer is quoted whole, not cut to its last words
    assert "“Deadlines mostly. And the roadmap”" in reply_after(result, defensive[0])["content"]
    reply = reply_after(result, defensive[2])["content"]
    assert "“That's not fair at all. Everyone on the team misses deadlines because" in reply
    assert sections(result)["What I doubt or disagree with"] == [
        "That's not fair at all. Everyone on the team misses deadlines because the estimates "
        "come from management."
    ]


def test_someone_elses_feeling_is_not_the_persons_and_a_question_is_taken_up(
    knowledge_home, tmp_path, capsys
) -> None:
    wins = "I finished the API migration two weeks early, which my lead was pleased about."
    result = chat(capsys, tmp_path, "prepare", ["Decide on the conference talk.", wins])
    assert "You felt pleased" not in reply_after(result, wins)["content"]
    answers = [
        "career stuff mainly",
        "she didn't really give me feedback, she just asked questions",
        "I don't know. Is it bad that I didn't get any?",
    ]
    result = chat(capsys, tmp_path, "debrief", answers)
    # no feedback is not "critical feedback"
    assert "about critical feedback" not in reply_after(result, answers[1])["content"]
    assert reply_after(result, answers[2])["content"].startswith(
        "You ask: “Is it bad that I didn't get any?”."
    )


def test_a_harsh_mentor_earns_no_impact_for_what_you_meant_and_no_step_for_look() -> None:
    lines = [
        "Look Marco, your reviews are rude. People are scared of you.",
        "I don't care what you meant, it's unprofessional and it has to stop.",
        "Fine. Just be nicer from now on.",
    ]
    scores = {s.criterion: s for s in score_feedback(lines, get_scenario("defensive-reaction"))}
    assert scores["impact"].score <= 2  # "what you meant" is an intention, not a consequence
    assert scores["next_step"].score == 2  # "be nicer" is a wish, and "Look Marco," no step
    assert scores["next_step"].quote != "Look Marco, your reviews are rude."
    # a vague demand is not taken up with a plan the mentor never proposed
    reply = persona_reply(get_scenario("defensive-reaction"), lines[2], [], {})
    assert reply.kind is not ReplyKind.AGREE


def test_rewrites_name_the_colleague_the_mentor_named_and_end_the_mentors_question() -> None:
    scenario = get_scenario("low-confidence")
    lines = [
        "I noticed that when Lee presented your research you didn't say anything.",
        "what do you think",
    ]
    scores = score_feedback(lines, scenario)
    behaviour = next(s for s in scores if s.criterion == "behaviour")
    assert "when Lee presented it" in behaviour.rewrite
    debrief = debrief_text(scores, scenario, "Rewrite one line.")
    together = debrief.split("All together, for example: “", 1)[1]
    assert "Alex" not in together and "Lee" in together
    assert "when Lee presented it" in together
    assert "What do you think?”" in together


def test_a_counter_offer_drops_only_an_alternative_day_and_stays_grammatical() -> None:
    line = (
        "Let's agree you hand the office move to Sam by Friday, and we check in next "
        "Tuesday at 10 about the rest."
    )
    reply = persona_reply(get_scenario("over-commitment"), line, [], {})
    assert "by we" not in reply.text
    assert "Friday" in reply.text and "Tuesday at 10" in reply.text


def test_closed_and_self_pitying_questions_get_rewrites_that_read_well() -> None:
    known = check_question("Do you know anyone in product I could talk to?")
    assert known.rewrite == "Who do you know in product I could talk to?"
    pity = check_question("Why does everything change the moment you leave?")
    assert QuestionFlag.BLAMING in pity.flags
    assert pity.rewrite == "What tends to be going on when everything changes the moment you leave?"


def test_the_opening_turn_lists_each_guide_once(knowledge_home, tmp_path, capsys) -> None:
    for flow in ("prepare", "ask", "debrief"):
        result = chat(capsys, tmp_path, flow, ["Decide whether I apply for the lead role."])
        sources = [source["source"] for source in result["turns"][0]["sources"]]
        assert sources and len(sources) == len(set(sources)), (flow, sources)


def test_a_title_names_the_subject_not_a_pronoun_or_a_hedge(
    knowledge_home, tmp_path, capsys
) -> None:
    ask = [
        "So I'm back from parental leave in three weeks and I keep thinking about it at night. "
        "The project I was leading got handed to someone else while I was out.",
        "Nothing yet.",
    ]
    title = chat(capsys, tmp_path, "ask", ask)["artifact"]["title"]
    assert "it at night" not in title
    debriefs = {
        "The mentee and her mentor discussed her move to team lead and how it is going.": (
            ": her move to team lead,"
        ),
        "lol so we mostly talked abt my side project n whether its worth putting on my cv": (
            ": my side project,"
        ),
        "We went through my quarterly review.": ": my quarterly review,",
    }
    for discussed, topic in debriefs.items():
        title = chat(capsys, tmp_path, "debrief", [discussed])["artifact"]["title"]
        assert topic in title, title


def test_two_situations_in_one_goal_answer_are_both_heard_and_notice_is_no_meeting_length(
    knowledge_home, tmp_path, capsys
) -> None:
    goal = (
        "My mentor has cancelled the last two sessions, once with an hour's notice. And "
        "separately Tom keeps rewriting my pull requests without asking. I guess I want to "
        "leave knowing whether to raise Tom with my manager or sort it myself."
    )
    answers = [goal, "Shipped the API migration.", "Tom\nour schedule\nmy talk", "her view"]
    result = chat(capsys, tmp_path, "prepare", answers)
    reply = reply_after(result, goal)["content"]
    assert "“My mentor has cancelled the last two sessions" in reply
    assert "“I guess I want to leave knowing whether to raise Tom with my manager" in reply
    plan = sections(result)["Time plan"]
    assert plan[-1] == "25–30 min: next steps, who does what by when"  # 30 minutes, not 60


def test_due_dates_in_chat_speak_are_read() -> None:
    thursday = date(2026, 11, 26)
    assert parse_due("add metrics 2 cv this wknd", thursday) == date(2026, 11, 29)
    assert parse_due("send it by eow", thursday) == date(2026, 11, 27)
    assert parse_due("book the room tmrw", thursday) == date(2026, 11, 27)
    assert parse_due("draft the doc in 2 wks", thursday) == date(2026, 12, 10)


def test_a_one_word_verdict_is_quoted_with_the_sentence_that_backs_it(
    knowledge_home, tmp_path, capsys
) -> None:
    verdicts = {
        "rubbish. I push back all the time.": "“rubbish. I push back all the time”",
        "ok maybe. I let the PM cut my feature.": "“maybe. I let the PM cut my feature”",
    }
    for verdict, quoted in verdicts.items():
        answers = ["my promo case", "He said I never push back in planning.", verdict]
        result = chat(capsys, tmp_path, "debrief", answers)
        assert quoted in reply_after(result, verdict)["content"]


def test_a_non_answer_is_not_read_back_as_an_ask(knowledge_home, tmp_path, capsys) -> None:
    help_step = next(step for step in load_flow("prepare").steps if step.id == "help")
    voice = guide_voice("balanced")
    assert reflect(help_step, read_answer("idk"), voice) == ""
    assert reflect(help_step, read_answer("an intro to Sam"), voice) == (
        "So the ask is: “an intro to Sam”."
    )
    overlooked = "nobody ever notices what I ship"
    result = chat(capsys, tmp_path, "prepare", ["Get more visibility.", overlooked])
    # "nobody ever notices" names the situation of someone overlooked
    assert reply_after(result, overlooked)["content"].startswith("So this is about")


def test_a_mentee_is_not_quoted_advice_for_mentors_or_an_example_of_what_not_to_write(
    knowledge_home, tmp_path, capsys
) -> None:
    scripts = [
        [
            "The mentee and her mentor discussed her move to team lead and how she is handling "
            "the first month.",
            "The mentor told her that she is still doing too much of the coding herself.",
        ],
        ["Deadlines mostly. And the roadmap.", "He said I always miss deadlines."],
    ]
    for answers in scripts:
        result = chat(capsys, tmp_path, "debrief", answers)
        quoted = quoted_guidance(result)
        assert quoted, result["turns"]
        for line in quoted:
            assert not re.match(r"(?:For )?Mentors?\b[^:]*:", line), line
            assert not re.match(r"Thin \w+:", line), line


def test_a_feeling_written_about_the_event_is_named_as_felt(
    knowledge_home, tmp_path, capsys
) -> None:
    """'It was humiliating' is about the event: the reply says the person felt humiliated, never
    'You felt humiliating' (nor 'felt stressful', 'felt frustrating')."""
    answers = [
        "We talked about the demo I gave to the leadership team.",
        "Honestly the whole demo was humiliating and so frustrating, the build broke twice in "
        "front of everyone and nobody said anything after.",
        "the week before was really stressful as well, I had three deadlines on the same day",
    ]
    result = chat(capsys, tmp_path, "debrief", answers)
    replies = [reply_after(result, answer)["content"] for answer in answers[1:]]
    assert replies[0].startswith("You felt humiliated")
    assert replies[1].startswith("You felt stressed")
    for reply in replies:
        assert not re.search(r"You felt \w+(ing|ful)\b", reply)
