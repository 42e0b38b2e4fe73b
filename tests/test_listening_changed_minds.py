"""Voices of the sixth listening pass (benchmarks/listening_scripts: prepare_idk_no,
ask_idk_skip, debrief_fed_up, debrief_changes_mind, ask_changes_mind, ...) and what they
showed: non-answers ("no", "idk", "skip") filed as a topic, a request and a question for the
mentor; an action line that declines to plan kept as an action item; "I'm not going to pretend
I agree" filed under what the person agrees with; and a view the person takes back ("At first
I thought she was right… Actually no, …") kept as if they still held it."""

from __future__ import annotations

import pytest

from assistant.conversation.core.flows import load_flow
from assistant.conversation.core.scenarios import get_scenario
from assistant.conversation.guide.coach_questions import asks_the_coach
from assistant.conversation.guide.feedback_reading import impact_score
from assistant.conversation.guide.passage_quote import best_quote, render_quote
from assistant.conversation.guide.persona import ReplyKind, persona_reply
from assistant.conversation.guide.proposals import accepted, read_proposal
from assistant.conversation.guide.reflection import reflect
from assistant.conversation.guide.rubric import score_feedback
from assistant.conversation.guide.synthesis import goal_line, items_of, meeting_minutes
from assistant.conversation.guide.understanding import find_stances, read_answer
from assistant.conversation.model.prompting import guide_voice
from assistant.knowledge.search import Passage
from tests.test_listening import chat, reply_after, sections
from tests.test_listening_new_voices import blocks

# --- non-answers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        blocks("prepare_idk_no.txt"),
        ["not sure tbh", "nope", "nah", "pass"],
    ],
)
def test_non_answers_are_not_filed_as_topics_or_requests(
    answers: list[str], knowledge_home, tmp_path, capsys
) -> None:
    result = chat(capsys, tmp_path, "prepare", answers)
    parts = sections(result)
    for heading in ("Topics, most important first", "Help to ask for", "Time plan"):
        assert parts.get(heading, []) == [], heading
    assert parts.get("Wins and updates since last time", []) == []
    title = result["artifact"]["title"]
    assert not any(f": {word}," in title for word in ("no", "nope", "nah", "idk", "pass"))
    topics_reply = reply_after(result, answers[2])["content"]
    assert f"“{answers[2]}”" not in topics_reply  # the word is not read back
    assert "“Topics to raise” stays empty" in topics_reply
    assert "Can this be answered with yes or no?" not in topics_reply


@pytest.mark.parametrize(
    "answers",
    [blocks("ask_idk_skip.txt"), ["dunno", "nothing really", "pass", "/skip"]],
)
def test_a_non_answer_is_no_question_for_the_mentor(
    answers: list[str], knowledge_home, tmp_path, capsys
) -> None:
    result = chat(capsys, tmp_path, "ask", answers)
    parts = sections(result)
    assert parts.get("Questions to ask", []) == []
    assert parts.get("Context to give", []) == []
    assert not any("Given that" in turn["content"] for turn in result["turns"])


@pytest.mark.parametrize(
    "line",
    [
        "nothing, I'm not committing to anything until he gives me an actual example",
        "none - not until the reorg is settled",
    ],
)
def test_an_action_line_that_declines_to_plan_is_no_action_item(
    line: str, knowledge_home, tmp_path, capsys
) -> None:
    answers = ["my growth plan", "He said be more strategic.", "Not fair.", line]
    result = chat(capsys, tmp_path, "debrief", answers)
    assert result["action_items"] == []
    assert read_answer("no, I'll email Sam by Friday", actions=True).commitments


# --- denied agreement ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "doubted"),
    [
        (
            "I'm not going to pretend I agree with something I can't even picture",
            "I'm not going to pretend I agree with something I can't even picture",
        ),
        ("Honestly I don't fully agree with her about the deck.", "I don't fully agree"),
    ],
)
def test_a_denied_agreement_is_a_doubt(answer: str, doubted: str) -> None:
    agree, doubt = find_stances(answer)
    assert agree == []
    assert any(doubted in clause for clause in doubt)


def test_not_wrong_and_a_plain_agreement_still_agree() -> None:
    assert find_stances("she's not wrong about the slides") == (
        ["she's not wrong about the slides"],
        [],
    )
    assert find_stances("Not gonna lie, I agree with him")[0]


def test_a_fed_up_debrief_files_nothing_under_agree(knowledge_home, tmp_path, capsys) -> None:
    result = chat(capsys, tmp_path, "debrief", blocks("debrief_fed_up.txt"))
    parts = sections(result)
    assert parts.get("What I agree with", []) == []
    assert any("pretend I agree" in item for item in parts["What I doubt or disagree with"])
    assert result["action_items"] == []


# --- a mind changed mid-answer ------------------------------------------------------------


def test_a_view_taken_back_is_not_kept_as_agreement(knowledge_home, tmp_path, capsys) -> None:
    answers = blocks("debrief_changes_mind.txt")
    result = chat(capsys, tmp_path, "debrief", answers)
    parts = sections(result)
    agreed = parts["What I agree with"]
    assert not any("At first I thought" in item for item in agreed)
    assert any("Q&A comment is fair" in item for item in agreed)
    doubted = parts["What I doubt or disagree with"]
    assert doubted[0].startswith("The text was there because the deck gets sent around")
    assert not any("At first" in item for item in parts.get("How it landed", []))
    reply = reply_after(result, answers[2])["content"]
    assert "At first I thought" not in reply and "Actually no" not in reply


@pytest.mark.parametrize(
    ("answer", "agreed", "doubted"),
    [
        (
            "I agreed with him about the roadmap. On second thought, the roadmap was never "
            "mine to set, so I doubt that point. He is right that I go quiet in reviews.",
            "He is right that I go quiet in reviews",
            "The roadmap was never mine to set, so I doubt that point",
        ),
        (
            "At first I thought it was unfair. Now I think she has a point about the estimates.",
            "Now I think she has a point about the estimates",
            "",
        ),
    ],
)
def test_a_changed_mind_keeps_the_later_view(answer: str, agreed: str, doubted: str) -> None:
    agree, doubt = find_stances(answer)
    assert [clause.rstrip(".") for clause in agree] == [agreed]
    assert [clause.rstrip(".") for clause in doubt] == ([doubted] if doubted else [])


@pytest.mark.parametrize(
    ("worry", "heard"),
    [
        (blocks("ask_changes_mind.txt")[0], "I don't know if I'm any good at backend work"),
        (
            "I was going to ask about the promotion. Scratch that, my manager never tells me "
            "how I'm doing and that is the real worry.",
            "my manager never tells me how I'm doing",
        ),
    ],
)
def test_the_worry_heard_is_the_one_the_person_corrected_to(
    worry: str, heard: str, knowledge_home, tmp_path, capsys
) -> None:
    result = chat(capsys, tmp_path, "ask", [worry])
    reply = reply_after(result, worry)["content"]
    first_line = reply.split("\n")[0]
    assert heard.lower() in first_line.lower()
    assert "switch to the platform team" not in first_line
    assert "ask about the promotion" not in first_line


# --- a message pasted in quotation marks --------------------------------------------------

SLACK = (
    "Quick sync with my lead about the launch. She wrote this in Slack afterwards:\n"
    "“Great energy today! The rollout plan was thorough. I'm worried the comms piece is late "
    "though - can you own it? Thanks, Dana”"
)


@pytest.mark.parametrize(
    ("discussed", "writer", "theirs", "not_mine"),
    [
        (
            blocks("debrief_pasted_mentor_message.txt")[0],
            "Mireille",
            "The packet undersells the migration work - you led it, say so.",
            "Happy to look at v2 next week.",
        ),
        (SLACK, "Dana", "The rollout plan was thorough.", "I'm worried the comms piece is late"),
    ],
)
def test_a_pasted_message_is_the_writers_feedback_not_the_persons_feelings(
    discussed: str, writer: str, theirs: str, not_mine: str, knowledge_home, tmp_path, capsys
) -> None:
    answers = [discussed, "That was it.", "Mostly fair.", "rewrite the intro by Friday"]
    result = chat(capsys, tmp_path, "debrief", answers)
    reply = reply_after(result, discussed)["content"]
    assert "You felt" not in reply.split("\n")[0]
    assert "kept word for word" in reply
    assert f"anything else {writer} said" in reply
    assert "Earlier you said" not in reply
    parts = sections(result)
    assert theirs in parts["Feedback I received"]
    assert not any(not_mine in item for item in parts.get("How it landed", []))
    everything = [item for items in parts.values() for item in items]
    assert not any(item.startswith(("Hi ", "Best,", "Thanks, ")) for item in everything)
    assert result["artifact"]["title"].startswith(f"Reflection on the meeting with {writer}")


# --- questions put back to the coach ------------------------------------------------------


def test_questions_back_to_the_coach_are_not_heard_as_the_persons_questions(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = blocks("ask_questions_back.txt")
    result = chat(capsys, tmp_path, "ask", answers)
    after_context = reply_after(result, answers[1])["content"]
    assert "what situation?" not in after_context
    assert "colleague who joined after me earns more" in after_context.split("\n")[0]
    after_worry = reply_after(result, answers[0])["content"]
    assert "what do you mean by worry" not in after_worry
    assert not any("You already asked" in turn["content"] for turn in result["turns"])
    context = sections(result)["Context to give"]
    assert not any(item.startswith(("what do you mean", "what situation")) for item in context)
    assert context[1].startswith("i mean, i found out a colleague")


def test_a_question_back_at_the_feedback_step_is_not_feedback(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "we went over my demo for the sales team",
        "what feedback? she didn't really say much, just that my demo ran long",
        "fair enough, it did run long",
        "cut the demo to 10 minutes by friday",
    ]
    result = chat(capsys, tmp_path, "debrief", answers)
    assert "what feedback?" not in reply_after(result, answers[1])["content"]
    assert sections(result)["Feedback I received"] == [
        "she didn't really say much, just that my demo ran long"
    ]


@pytest.mark.parametrize(
    ("question", "coach", "back"),
    [
        ("what situation?", "What is the situation behind it?", True),
        ("what do you mean by worry?", "What is on your mind?", True),
        ("like what?", "Which topics do you want to raise?", True),
        ("what should i say to my manager?", "What is the situation behind it?", False),
        ("how do I price it?", "What is on your mind?", False),
    ],
)
def test_a_question_back_is_told_from_a_question_of_ones_own(
    question: str, coach: str, back: bool
) -> None:
    assert asks_the_coach(question, coach) is back


# --- practice: the mentor's own words, scored and answered as said ------------------------


@pytest.mark.parametrize(
    ("scenario", "line"),
    [
        (
            "missed-deadlines",
            "Priya, the vendor report due Monday the 3rd arrived Thursday, so Marcus showed the "
            "client last month's numbers; what got in the way, and could you send me a status "
            "each Wednesday for the next month?",
        ),
        (
            "defensive-reaction",
            "Marco, in Monday's client meeting you said \"that's not my problem; sales promised "
            'it", and the client asked my manager if we are united; how do you see it, and can '
            "we prepare together on the 19th for 30 minutes?",
        ),
    ],
)
def test_a_revised_line_joined_by_semicolons_is_scored_clause_by_clause(
    scenario: str, line: str
) -> None:
    scores = {s.criterion: s.score for s in score_feedback([line], get_scenario(scenario))}
    assert scores["behaviour"] >= 3
    assert scores["impact"] == 4
    assert scores["open_question"] >= 3
    assert scores["next_step"] == 4


@pytest.mark.parametrize(
    "line",
    [
        "This makes us look bad.",
        "That makes the team look divided in front of the client.",
        "After the meeting they asked to my manager if our team is united.",
    ],
)
def test_a_consequence_for_how_the_team_looks_is_impact(line: str) -> None:
    assert impact_score(line) == 4


@pytest.mark.parametrize(
    ("scenario", "lines"),
    [
        ("missed-deadlines", blocks("practice_vague_then_specific.txt")[1:5]),
        (
            "low-confidence",
            [
                "Sam, in Wednesday's review Lee presented your research and you didn't speak.",
                "The team didn't learn the finding was yours.",
                "What would make it easier for you to present?",
                "Shall we rehearse together on Thursday at 3?",
            ],
        ),
    ],
)
def test_an_open_question_already_asked_is_not_suggested_again(
    scenario: str, lines: list[str]
) -> None:
    scores = {s.criterion: s for s in score_feedback(lines, get_scenario(scenario))}
    question = scores["open_question"]
    assert question.score == 3
    assert "second open question" in question.rewrite
    assert "getting in the way" not in question.rewrite
    assert "easier for you to present" not in question.rewrite


@pytest.mark.parametrize(
    ("lines", "day"),
    [
        (["Priya, the report due Monday came in on Wednesday.", "Please be on time."], "Monday"),
        (["The report missed the Tuesday deadline twice this month."], "Tuesday"),
    ],
)
def test_the_suggested_question_keeps_the_mentors_deadline_day(lines: list[str], day: str) -> None:
    scores = {s.criterion: s for s in score_feedback(lines, get_scenario("missed-deadlines"))}
    assert f"the {day} deadline" in scores["open_question"].rewrite
    assert "Friday deadline" not in scores["open_question"].rewrite


def test_the_day_work_was_due_is_not_the_day_it_happened() -> None:
    lines = ["Priya, the report due Monday came in on Wednesday.", "Please be on time."]
    scores = {s.criterion: s for s in score_feedback(lines, get_scenario("missed-deadlines"))}
    assert "on Wednesday that meant" in scores["impact"].rewrite


@pytest.mark.parametrize(
    ("line", "agreed"),
    [
        (
            "Can we prepare together the day before, you and me, 30 minutes?",
            "Okay, we'll prepare together the day before, you and me, 30 minutes.",
        ),
        (
            "Could you and I go through your list on Friday?",
            "Okay, we'll go through my list on Friday.",
        ),
    ],
)
def test_both_sides_named_together_are_not_swapped_into_broken_grammar(
    line: str, agreed: str
) -> None:
    assert accepted(read_proposal(line)) == agreed


# --- students and freelancers: introductions, ordered lists, habits -----------------------


@pytest.mark.parametrize(
    ("script", "mentor", "intro"),
    [
        ("prepare_esl_student.txt", "Prof. Lindqvist", "I am master student"),
        ("prepare_freelancer.txt", "Ana", "I'm a freelance illustrator"),
    ],
)
def test_an_introduction_names_the_mentor_and_is_not_the_goal(
    script: str, mentor: str, intro: str, knowledge_home, tmp_path, capsys
) -> None:
    answers = blocks(script)
    result = chat(capsys, tmp_path, "prepare", answers)
    assert result["artifact"]["title"].startswith(f"Agenda for the meeting with {mentor}:")
    goal = sections(result)["Goal of the meeting"]
    assert len(goal) == 1 and intro not in goal[0]
    assert intro not in reply_after(result, answers[0])["content"]


def test_a_goal_wanted_with_that_reads_as_the_act() -> None:
    assert goal_line("In the meeting I want that we decide the topic of my thesis.") == (
        "Decide the topic of my thesis."
    )
    assert goal_line("I want that you look at my CV before Friday.") == (
        "Look at my CV before Friday."
    )


@pytest.mark.parametrize(
    ("lines", "items"),
    [
        (
            "first the thesis topic\nthen the timeline for the ethics approval\n"
            "if there is time, conference in June",
            [
                "the thesis topic",
                "the timeline for the ethics approval",
                "conference in June (if time)",
            ],
        ),
        (
            "firstly, my promotion case\nnext the hiring plan\n"
            "maybe: first 90 days of the new hire",
            ["my promotion case", "the hiring plan", "first 90 days of the new hire (if time)"],
        ),
    ],
)
def test_order_words_are_not_part_of_a_topic(
    lines: str, items: list[str], knowledge_home, tmp_path, capsys
) -> None:
    result = chat(capsys, tmp_path, "prepare", ["Decide on my next step.", "none", lines, "x"])
    assert sections(result)["Topics, most important first"] == items
    assert ": first" not in result["artifact"]["title"]


@pytest.mark.parametrize(
    "updates",
    [
        "I tried the method he told me (write every morning one hour) and it works.",
        "Reading 30 minutes a day now, and an hour each Sunday on the side project.",
    ],
)
def test_time_spent_on_a_habit_is_not_the_meetings_length(updates: str) -> None:
    assert meeting_minutes("Decide on my thesis topic.", updates) == 30


@pytest.mark.parametrize("verdict", ["kinda harsh but ok", "Ouch. That was brutal tbh."])
def test_a_short_verdict_on_the_feedback_is_how_it_landed(
    verdict: str, knowledge_home, tmp_path, capsys
) -> None:
    feedback = f'She said I "always stop one experiment too early". {verdict}'
    answers = ["my paper", feedback, "I agree the experiments were small.", "rerun by friday"]
    parts = sections(chat(capsys, tmp_path, "debrief", answers))
    heard = " ".join(parts["Feedback I received"])
    assert "harsh" not in heard and "brutal" not in heard
    assert any("harsh" in item or "brutal" in item for item in parts["How it landed"])


def test_an_email_pasted_without_quotes_is_the_writers_feedback(
    knowledge_home, tmp_path, capsys
) -> None:
    discussed = (
        "had my review prep call with Mireille, she emailed after:\n\nHi Leo,\n"
        "Thanks for today. The packet undersells the migration work, you led it, so say so.\n"
        "The collaboration section is generic. Pick two stories with names and outcomes.\n"
        "Happy to look at v2 next week.\nBest,\nMireille"
    )
    answers = [discussed, "that's it really", "the migration point is fair", "rewrite it by Wed"]
    result = chat(capsys, tmp_path, "debrief", answers)
    reply = reply_after(result, discussed)["content"]
    assert "kept word for word" in reply and "You felt" not in reply
    after_nothing_more = reply_after(result, answers[1])["content"]
    assert "that's it really" not in after_nothing_more
    assert "stays empty" not in after_nothing_more  # the feedback was told at the first step
    parts = sections(result)
    assert "The collaboration section is generic." in parts["Feedback I received"]
    everything = [item for items in parts.values() for item in items]
    assert not any(item in ("Hi Leo,", "Best,", "Mireille") for item in everything)
    assert not any("Happy to look" in item for item in parts.get("How it landed", []))


@pytest.mark.parametrize(
    ("step_id", "answer", "heard"),
    [
        ("goal", "goal: decide on the course. udemy vs the uni cert", "“decide on the course”"),
        (
            "help",
            "help: an intro to Priya on the data team",
            "“an intro to Priya on the data team”",
        ),
    ],
)
def test_a_notes_style_label_is_not_read_back(step_id: str, answer: str, heard: str) -> None:
    step = next(step for step in load_flow("prepare").steps if step.id == step_id)
    said = reflect(step, read_answer(answer), guide_voice("balanced"))
    assert heard in said and "goal:" not in said and "help:" not in said


# --- notes-style debriefs, goals taken back, proposals with a lead ------------------------


def test_a_goal_taken_back_is_not_kept_as_its_context(knowledge_home, tmp_path, capsys) -> None:
    answers = blocks("prepare_changes_mind.txt")
    goal = sections(chat(capsys, tmp_path, "prepare", answers))["Goal of the meeting"]
    assert goal == [
        "Her view on whether to take the transfer to the Lisbon team, they want an answer by "
        "the 15th."
    ]


def test_notes_style_feedback_keeps_the_mentors_words_apart_from_the_view(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = blocks("debrief_fragments.txt")
    result = chat(capsys, tmp_path, "debrief", answers)
    assert result["artifact"]["title"].startswith("Reflection on the meeting with Sam")
    assert "You push back" not in reply_after(result, answers[1])["content"]
    parts = sections(result)
    assert 'on-call: "you\'re taking too much, push back more"' in parts["Feedback I received"]
    assert parts["What I agree with"] == ["On-call point = fair."]
    assert parts["What I doubt or disagree with"] == ["Talk: not convinced it's good enough tbh"]


@pytest.mark.parametrize(
    ("answer", "agree", "doubt"),
    [
        ('on-call: "you\'re taking too much, push back more"', [], []),
        ('she said "that\'s unfair on the team" and I agree', ["I agree"], []),
        ("the slides = fair", ["the slides = fair"], []),
    ],
)
def test_stance_words_inside_the_mentors_quoted_words_are_not_the_persons(
    answer: str, agree: list[str], doubt: list[str]
) -> None:
    found_agree, found_doubt = find_stances(answer)
    assert [any(a in clause for clause in found_agree) for a in agree] == [True] * len(agree)
    assert found_doubt == doubt
    assert bool(found_agree) == bool(agree)


@pytest.mark.parametrize(
    ("line", "agreed"),
    [
        (
            "How about before Thursday's planning you and I look at your list together for 15 "
            "minutes?",
            "Okay. Before Thursday's planning, we'll look at my list together for 15 minutes.",
        ),
        (
            "After the retro we go through the board together?",
            "Okay. After the retro, we'll go through the board together.",
        ),
    ],
)
def test_a_step_for_both_after_a_time_phrase_is_agreed_whole(line: str, agreed: str) -> None:
    assert accepted(read_proposal(line)) == agreed


@pytest.mark.parametrize(
    ("line", "actions"),
    [
        ("idk. ask her for an example maybe", ["Ask her for an example maybe"]),
        ("dunno. book a 1:1 with Sam by friday", ["Book a 1:1 with Sam by friday"]),
    ],
)
def test_a_non_answer_before_an_action_is_no_action(line: str, actions: list[str]) -> None:
    found = read_answer(line, actions=True).commitments
    assert [commitment.text for commitment in found] == actions


@pytest.mark.parametrize(
    ("goal", "message"),
    [
        (blocks("prepare_mentor_message.txt")[0], '"Bring your promotion doc'),
        (
            "Dana messaged: “Can you bring the Q3 numbers? Also the hiring plan.” I want to "
            "leave with a yes on the new hire.",
            "“Can you bring the Q3 numbers",
        ),
    ],
)
def test_a_short_message_quoted_in_a_goal_is_not_cut_mid_quote(
    goal: str, message: str, knowledge_home, tmp_path, capsys
) -> None:
    result = chat(capsys, tmp_path, "prepare", [goal])
    reply = reply_after(result, goal)["content"].split("\n")[0]
    assert message not in reply  # no quote of the message cut at its first full stop
    assert "So the ask is: “I want to leave with" in reply


@pytest.mark.parametrize(
    ("text", "answer", "pointing", "before"),
    [
        (
            "Memory is biased: setbacks stick, wins fade. An evidence log corrects for this. "
            "Once a week, add two or three lines to it.",
            "should I keep a log of what went well?",
            "An evidence log corrects for this.",
            "Memory is biased: setbacks stick, wins fade.",
        ),
        (
            "Busy reviewers skim the first page and stop. A one-line summary at the top "
            "prevents that. Put your ask in that first line.",
            "should I put a summary at the top",
            "A one-line summary at the top prevents that.",
            "Busy reviewers skim the first page and stop.",
        ),
    ],
)
def test_a_guidance_sentence_ending_on_this_comes_with_what_this_is(
    text: str, answer: str, pointing: str, before: str
) -> None:
    passage = Passage("x.md", "A guide", "A section", (), "both", ("any",), text, 1.0)
    quote = best_quote([passage], answer)
    assert quote is not None
    rendered = render_quote(quote)
    assert pointing in rendered and before in rendered


# --- one-line lists, sarcasm, imperatives, requests worded as statements ------------------


@pytest.mark.parametrize(
    ("topics", "items"),
    [
        (
            "promotion case, workload, whether to go to the offsite",
            ["promotion case", "workload", "whether to go to the offsite"],
        ),
        ("hiring; the roadmap; my on-call load", ["hiring", "the roadmap", "my on-call load"]),
    ],
)
def test_topics_written_on_one_line_are_separate_topics(
    topics: str, items: list[str], knowledge_home, tmp_path, capsys
) -> None:
    answers = ["promotion case, want her to say if it's ready", "none", topics, "a read"]
    result = chat(capsys, tmp_path, "prepare", answers)
    parts = sections(result)
    assert parts["Topics, most important first"] == items
    assert len(parts["Time plan"]) == len(items) + 1  # no updates ("none"): no slot for them
    assert (
        "In this order: " + ", ".join(f"“{i}”" for i in items[:-1])
        in (reply_after(result, topics)["content"])
    )
    assert parts["Goal of the meeting"] == ["For her to say if it's ready."]


def test_two_phrases_with_a_comma_stay_one_item() -> None:
    assert items_of(["read my promo doc, tell me what's missing"]) == [
        "read my promo doc, tell me what's missing"
    ]


@pytest.mark.parametrize(
    ("line", "word"),
    [
        ("Great job missing another deadline, Priya.", "great job"),
        ("Well done forgetting the client call again.", "well done"),
    ],
)
def test_sarcastic_praise_for_a_failure_is_a_judgement(line: str, word: str) -> None:
    scores = {s.criterion: s for s in score_feedback([line], get_scenario("missed-deadlines"))}
    assert scores["judgement_free"].score <= 2
    assert f"“{word}”" in scores["judgement_free"].note
    reply = persona_reply(get_scenario("missed-deadlines"), line, [], {})
    assert reply.kind is ReplyKind.POOR


@pytest.mark.parametrize(
    ("line", "agreed"),
    [
        (
            "Send me a note every Thursday on where the report is.",
            "Okay, I'll send you a note every Thursday on where the report is.",
        ),
        ("Email Sam the draft by Friday.", "Okay, I'll email Sam the draft by Friday."),
    ],
)
def test_an_imperative_step_is_agreed_in_lower_case(line: str, agreed: str) -> None:
    assert accepted(read_proposal(line)) == agreed


def test_requests_worded_as_statements_are_not_given_a_question_mark(
    knowledge_home, tmp_path, capsys
) -> None:
    result = chat(capsys, tmp_path, "ask", blocks("ask_statements.txt"))
    asked = sections(result)["Questions to ask"]
    assert "I want to know what senior means here." in asked
    assert "Tell me how you got promoted." in asked
    assert not any(q.endswith(("here?", "promoted?")) for q in asked)


@pytest.mark.parametrize(
    ("feedback", "point"),
    [
        (
            'She said "your slides are too dense." I was surprised.',
            'She said "your slides are too dense."',
        ),
        ("He told me “stop apologising.” It stung.", "He told me “stop apologising.”"),
    ],
)
def test_feedback_quoted_to_its_full_stop_keeps_its_closing_quotation_mark(
    feedback: str, point: str, knowledge_home, tmp_path, capsys
) -> None:
    answers = ["my demo", feedback, "fair enough", "rehearse by friday"]
    parts = sections(chat(capsys, tmp_path, "debrief", answers))
    assert point in parts["Feedback I received"]
    for item in (item for items in parts.values() for item in items):
        assert item.count('"') % 2 == 0 and item.count("“") == item.count("”"), item


@pytest.mark.parametrize(
    ("feedback", "mine"),
    [
        (
            blocks("debrief_fed_up.txt")[1],
            "I have asked three times what that means and nobody can tell me",
        ),
        (
            'She said I need to "own the roadmap". I told her I already own two of the streams.',
            "I told her I already own two of the streams.",
        ),
    ],
)
def test_what_the_person_did_in_answer_is_not_feedback_received(
    feedback: str, mine: str, knowledge_home, tmp_path, capsys
) -> None:
    answers = ["my growth plan", feedback, "it didn't land", "none"]
    parts = sections(chat(capsys, tmp_path, "debrief", answers))
    assert mine not in parts["Feedback I received"]
    assert mine in parts["How it landed"]
