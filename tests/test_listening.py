"""Guide mode listens: each flow end to end through `reflect chat --json`, read as a mentee would.

The guidance quoted after an answer is about that answer's situation; the reply takes up what
the person said (a disagreement, a feeling), in their words and never cut off; artifacts
synthesise (one action per item, listed once, agree and doubt apart, distinct titles); open
items reported as done are offered to be closed; scripted input is never shifted by a
follow-up.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from assistant.cli import main


def chat(capsys: pytest.CaptureFixture[str], tmp_path: Path, flow: str, blocks: list[str]) -> Any:
    script = tmp_path / f"{flow}-{len(list(tmp_path.iterdir()))}.txt"
    script.write_text("\n---\n".join(blocks) + "\n", encoding="utf-8")
    assert main(["chat", flow, "--input", str(script), "--json", "--offline"]) == 0
    return json.loads(capsys.readouterr().out)


def reply_after(result: dict[str, Any], answer: str) -> dict[str, Any]:
    """The assistant turn that follows the user's ``answer``."""
    turns = result["turns"]
    index = next(i for i, t in enumerate(turns) if t["role"] == "user" and t["content"] == answer)
    return turns[index + 1]


def quoted_source(turn: dict[str, Any]) -> str:
    """The file of the passage the reply quotes ("From the guide [n] ...")."""
    match = re.search(r"From the guide \[(\d+)\]", turn["content"])
    assert match, turn["content"]
    return str(turn["sources"][int(match.group(1)) - 1]["source"])


def sections(result: dict[str, Any]) -> dict[str, list[str]]:
    return {s["heading"]: s["items"] for s in result["artifact"]["sections"]}


def test_a_mentor_who_keeps_cancelling_gets_the_guidance_on_cancellations(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "Honestly my mentor Priya has bailed on our last three calls, always on the day. "
        "I want to sort out whether we keep going.",
        "Shipped the onboarding revamp, two weeks late but it's out",
        "our schedule\nmy move to the platform team",
        "her honest take on whether we should meet less often",
    ]
    result = chat(capsys, tmp_path, "prepare", answers)
    reply = reply_after(result, answers[0])
    assert quoted_source(reply) == "raising-a-problem-with-your-mentor.md"
    # Its concrete wording for exactly this situation, whole.
    assert (
        "For “They keep cancelling”" in reply["content"]
        or "They keep cancelling" in (reply["content"])
    )
    assert '- Try: "I really value these sessions.' in reply["content"]
    assert reply["content"].count("- Try:") == 1
    # The answer is reflected in the person's own words, whole sentences, no form phrasing.
    assert "Noted. You said" not in reply["content"]
    assert (
        "“my mentor Priya has bailed on our last three calls, always on the day”"
        in (reply["content"])
    )
    assert "…" not in reply["content"].split("\n\n")[0]


def test_feedback_that_stung_gets_guidance_on_taking_criticism(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "We went through my quarterly review and the client escalation.",
        "My manager called my escalation email 'passive aggressive' in front of the team. "
        "I was mortified.",
        "she's right that I should have called instead of emailing. but I don't think the "
        "tone was aggressive at all, the client was the one shouting",
        "call the client lead on Monday and share a draft with Sam before sending anything",
    ]
    result = chat(capsys, tmp_path, "debrief", answers)
    after_feedback = reply_after(result, answers[1])
    assert quoted_source(after_feedback) in {
        "criticism-without-defensiveness.md",
        "receiving-feedback.md",
    }
    # The feeling is named with the person's own word and the clause it came in.
    assert "mortified" in after_feedback["content"].split("\n\n")[0]


def test_the_reply_takes_up_a_stated_disagreement_and_the_note_keeps_it_apart(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "Mostly my promotion case.",
        "Omar said my design docs are thorough but too long, and that I never involve the "
        "team early.",
        "He has a point about length. I doubt the bit about never involving the team, I ran "
        "two design reviews last month.",
        "cut the next design doc to two pages by Friday",
    ]
    result = chat(capsys, tmp_path, "debrief", answers)
    reply = reply_after(result, answers[2])
    first = reply["content"].split("\n\n")[0]
    assert "“He has a point about length”" in first
    assert "“I doubt the bit about never involving the team, I ran two design reviews" in first
    note = sections(result)
    assert note["What I agree with"] == ["He has a point about length."]
    assert note["What I doubt or disagree with"] == [
        "I doubt the bit about never involving the team, I ran two design reviews last month."
    ]
    assert not any("doubt" in item for item in note["Feedback I received"])


def test_actions_are_split_one_per_item_each_with_its_own_date_and_listed_once(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "The launch retro and my presentation skills.",
        "Lena said I rush through the demo.",
        "Fair enough, I do rush when I'm nervous.",
        "email the deck to Lena by Monday and book a practice run for next Thursday\n"
        "Email the deck to Lena by Monday",
    ]
    result = chat(capsys, tmp_path, "debrief", answers)
    items = [(item["text"], item["due"]) for item in result["action_items"]]
    assert len(items) == 2
    texts = [text for text, _ in items]
    assert texts[0].startswith("Email the deck to Lena by Monday")
    assert texts[1].startswith("Book a practice run for next Thursday")
    assert items[0][1] is not None and items[1][1] is not None and items[0][1] != items[1][1]
    assert result["markdown"].count("Email the deck to Lena by Monday") == 2  # note + checklist


def test_every_session_gets_a_distinct_title(knowledge_home, tmp_path, capsys) -> None:
    first = chat(
        capsys, tmp_path, "prepare", ["Decide on the lead role", "none", "the lead role", "x"]
    )
    second = chat(
        capsys, tmp_path, "prepare", ["Get advice on hiring", "none", "hiring plan", "intro"]
    )
    titles = [first["artifact"]["title"], second["artifact"]["title"]]
    assert titles[0] != titles[1]
    assert "the lead role" in titles[0] and "hiring plan" in titles[1]
    assert all(re.search(r"\d{1,2} [A-Z][a-z]{2} \d{4}$", title) for title in titles)


def test_a_thin_answer_in_a_script_never_shifts_the_later_blocks(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = ["idk", "not much", "always the same stuff\nmy manager", "be more visible"]
    result = chat(capsys, tmp_path, "prepare", answers)
    got = sections(result)
    assert got["Topics, most important first"] == ["always the same stuff", "my manager"]
    assert got["Help to ask for"] == ["be more visible"]
    # One assistant turn per step, no follow-up in between.
    assert [t["role"] for t in result["turns"]] == ["assistant", "user"] * 4


def test_an_agenda_has_a_goal_line_and_a_time_split_for_the_length_given(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "We only have an hour this time. I'd like to leave with a decision on whether to "
        "apply for the staff role.",
        "Finished the migration.",
        "staff role application\nteam conflict\nconference talk",
        "read my application draft",
    ]
    got = sections(chat(capsys, tmp_path, "prepare", answers))
    assert got["Goal of the meeting"][0] == ("A decision on whether to apply for the staff role.")
    plan = got["Time plan"]
    assert plan[0] == "0–5 min: wins and updates"
    assert plan[-1].startswith("55–60 min")
    minutes = [int(b) - int(a) for a, b in (re.match(r"(\d+)–(\d+)", p).groups() for p in plan)]
    assert minutes[1] >= minutes[2] >= minutes[3]  # the first topic gets the most time


def test_open_items_reported_done_are_offered_to_close_and_repeats_are_pointed_out(
    knowledge_home, tmp_path, capsys
) -> None:
    debrief = chat(
        capsys,
        tmp_path,
        "debrief",
        [
            "My promotion case.",
            "Maria wants more evidence of impact.",
            "Makes sense.",
            "send the impact summary to Maria by Friday\nbook a skip-level with Jon",
        ],
    )
    summary = next(i for i in debrief["action_items"] if "impact summary" in i["text"])
    answers = [
        "Agree the evidence for my promotion case.",
        "I sent the impact summary to Maria on Thursday, she liked it.",
        "promotion evidence",
        "a second opinion on the summary",
    ]
    prepare = chat(capsys, tmp_path, "prepare", answers)
    reply = reply_after(prepare, answers[1])
    # said once, as the command line can act on it: a notice after the reply, not in it
    hints = [n for n in prepare["notices"] if f"`reflect actions --done {summary['id']}`" in n]
    assert len(hints) == 1 and "reflect actions --done" not in reply["content"]
    assert "“Send the impact summary to Maria by Friday” is done" in hints[0]
    again = chat(
        capsys,
        tmp_path,
        "debrief",
        [
            "Hiring.",
            "Jon said to talk to him directly.",
            "He's right.",
            "none",
            "book a skip-level with Jon next week",
        ],
    )
    note = sections(again)["What I will try next"]
    assert any("already open from an earlier session" in line for line in note)
    assert not any("skip-level" in item["text"] for item in again["action_items"])


def test_the_mentor_brief_keeps_whole_sentences(knowledge_home, tmp_path, capsys) -> None:
    result = chat(
        capsys,
        tmp_path,
        "prepare",
        [
            "I want to leave with a clear yes or no on whether I am ready to lead the platform "
            "migration workstream next quarter, including who else would be involved.",
            "none",
            "platform migration",
            "her view",
        ],
    )
    assert main(["export", result["session_id"], "--brief"]) == 0
    brief = capsys.readouterr().out
    goal = next(line for line in brief.splitlines() if line.startswith("- A clear yes"))
    assert goal.endswith("including who else would be involved.")


def test_feedback_reported_in_the_mentors_words_is_not_read_as_the_persons_feeling_or_doubt(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "We went over my quarterly review prep and the dashboard migration.",
        "She said I rush through the numbers and that I get defensive when people push back. "
        "He told me my slides are too dense.",
        "I agree about rushing the numbers, I saw it in the recording. I doubt the defensive "
        "part, I was just explaining the context. Honestly it stung a bit.",
        "practise the numbers section out loud by Thursday",
    ]
    result = chat(capsys, tmp_path, "debrief", answers)
    reply = reply_after(result, answers[1])["content"].split("\n\n")[0]
    assert "You felt defensive" not in reply and "push back" not in reply.split("“")[0]
    note = sections(result)
    assert note["Feedback I received"] == [
        "She said I rush through the numbers and that I get defensive when people push back.",
        "He told me my slides are too dense.",
    ]
    assert note["What I doubt or disagree with"] == [
        "I doubt the defensive part, I was just explaining the context."
    ]
    # each sentence of the answer lands in one section: the feeling, not the doubt again
    assert note["How it landed"] == ["It stung a bit."]


def test_an_actions_answer_of_none_creates_no_action_item(knowledge_home, tmp_path, capsys) -> None:
    answers = ["My promotion case.", "He said it is thin.", "Fair enough.", "none yet"]
    result = chat(capsys, tmp_path, "debrief", answers)
    assert result["action_items"] == []
    assert "- [ ] None" not in result["markdown"]


def test_an_answer_no_guidance_speaks_to_gets_no_quote_rather_than_an_unrelated_one(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "Agree a plan for my promotion case.",
        "nothing much tbh, been slammed w/ the launch",
        "Promotion case",
        "Feedback on my promotion packet",
    ]
    result = chat(capsys, tmp_path, "prepare", answers)
    assert "From the guide" not in reply_after(result, answers[1])["content"]
    # an answer the guidance does speak to still gets its quote
    assert "From the guide" in reply_after(result, answers[0])["content"]


def test_every_quote_reads_on_its_own_without_a_dangling_it_or_this(
    knowledge_home, tmp_path, capsys
) -> None:
    scripts = {
        "prepare": ["Agree a schedule we both keep.", "Shipped the guide.", "Scheduling"],
        "debrief": ["My quarterly review.", "She said I rush the numbers.", "Fair enough."],
        "ask": [
            "I feel overlooked. Other people get the interesting projects and I keep getting "
            "maintenance work.",
            "I asked my manager once and he said next quarter.",
        ],
    }
    for flow, answers in scripts.items():
        result = chat(capsys, tmp_path, flow, answers)
        for turn in result["turns"]:
            for quote in re.findall(r"From the guide \[\d\] “[^”]+”: (\S+)", turn["content"]):
                assert quote.lower() not in {"it", "this", "that", "they", "these"}, turn


def test_a_suggestion_with_a_time_phrase_first_is_agreed_and_scored_as_a_next_step(
    knowledge_home, tmp_path, capsys
) -> None:
    proposal = (
        "How about for the next two weeks you hold your comments until the presenter "
        "finishes, and we talk again next Thursday?"
    )
    answers = [
        "2",
        "In yesterday's design review you interrupted Aisha twice while she was presenting.",
        proposal,
        "/skip",
    ]
    result = chat(capsys, tmp_path, "practice", answers)
    reply = reply_after(result, proposal)["content"]
    assert "For the next two weeks, I'll hold my comments until the presenter finishes" in reply
    assert "How about" not in reply and " me hold" not in reply
    debrief = "\n".join(t["content"] for t in result["turns"] if t["role"] == "assistant")
    assert f"Agreed next step: 4/4. A concrete next step with a time. You said: “{proposal}”" in (
        debrief
    )


def test_a_demand_put_as_why_cant_you_earns_no_impact(knowledge_home, tmp_path, capsys) -> None:
    answers = ["1", "why cant you just be on time like everyone else", "/skip"]
    result = chat(capsys, tmp_path, "practice", answers)
    debrief = "\n".join(t["content"] for t in result["turns"] if t["role"] == "assistant")
    assert "Impact: 1/4" in debrief
    example = debrief.split("All together")[-1]
    assert "why cant you just be on time like everyone else." not in example


def test_the_goal_section_holds_the_goal_not_the_meeting_length(
    knowledge_home, tmp_path, capsys
) -> None:
    for goal_answer, goal in [
        (
            "I want a clear list of the gaps between me and senior engineer. We have 60 minutes.",
            "A clear list of the gaps between me and senior engineer.",
        ),
        ("idk just want 2 figure out if im on track lol. 30 min mtg", "Figure out if im on track."),
    ]:
        answers = [goal_answer, "Shipped the search migration.", "Promotion gaps\nScope"]
        got = sections(chat(capsys, tmp_path, "prepare", answers))
        assert got["Goal of the meeting"] == [goal]
        assert got["Time plan"][-1].endswith(" min: next steps, who does what by when")


def test_not_sure_the_feedback_holds_is_kept_as_a_doubt(knowledge_home, tmp_path, capsys) -> None:
    answers = [
        "The incident from two weeks ago.",
        "Dana told me my incident updates were too technical for the customer team.",
        "I think she's right about the forty minutes. I'm not sure the updates were too "
        "technical though, the customer team never asked me to simplify anything. I feel a "
        "bit embarrassed, to be honest.",
        "Draft an update template by Friday",
    ]
    note = sections(chat(capsys, tmp_path, "debrief", answers))
    assert note["What I doubt or disagree with"] == [
        "I'm not sure the updates were too technical though, the customer team never asked me "
        "to simplify anything."
    ]
    assert note["How it landed"] == ["I feel a bit embarrassed, to be honest."]


def test_saved_questions_read_as_questions_even_when_typed_in_lower_case(
    knowledge_home, tmp_path, capsys
) -> None:
    answers = [
        "burnout",
        "working weekends for 2 months. want to stop without looking lazy",
        "how do i say no to my lead without it hurting my review",
    ]
    result = chat(capsys, tmp_path, "ask", answers)
    assert sections(result)["Questions to ask"] == [
        "How do I say no to my lead without it hurting my review?"
    ]


def test_a_terse_fair_i_guess_is_read_as_agreement(knowledge_home, tmp_path, capsys) -> None:
    answers = ["career stuff", "be more visible", "meh. fair i guess", "be more visible"]
    result = chat(capsys, tmp_path, "debrief", answers)
    agreed = sections(result)["What I agree with"]
    assert [item.lower().rstrip(".") for item in agreed] == ["fair i guess"]
    assert "“fair i guess”" in reply_after(result, answers[2])["content"]


def test_a_revised_line_with_the_whole_feedback_and_a_step_scores_its_situation_too(
    knowledge_home, tmp_path, capsys
) -> None:
    revised = (
        "On Tuesday the report arrived a day late, so Marco showed the client old figures; "
        "could you send a draft by Monday noon and we check in Friday?"
    )
    answers = ["1", "you're always late with the reports", "/skip", revised]
    result = chat(capsys, tmp_path, "practice", answers)
    rescored = reply_after(result, revised)["content"]
    assert "Situation: 1 → 4" in rescored and "Behaviour: 2 → 4" in rescored
    assert "Agreed next step: 1 → 4" in rescored


def test_a_feeling_in_a_long_rambling_sentence_is_quoted_by_the_part_that_names_it(
    knowledge_home, tmp_path, capsys
) -> None:
    answer = (
        "So we started with the usual catch-up, then we spent most of the hour on the incident "
        "from two weeks ago where the payments service went down, and how I handled the comms "
        "with the customer team, which honestly I thought went fine but apparently not "
        "everyone did, and then at the end we talked a bit about whether I should move to the "
        "platform team, which I'm still unsure about."
    )
    result = chat(capsys, tmp_path, "debrief", [answer, "She said my updates were late."])
    first = reply_after(result, answer)["content"].split("\n\n")[0]
    assert first == (
        "You felt unsure: “at the end we talked a bit about whether I should move to the "
        "platform team, which I'm still unsure about”."
    )
