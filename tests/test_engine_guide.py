"""The engine in guide mode, with the real journal and the real knowledge store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.conversation.core.engine import Engine
from assistant.conversation.core.events import (
    ArtifactReady,
    GuidanceFound,
    Notice,
    StepChanged,
    TextDelta,
    TurnComplete,
)
from assistant.conversation.core.practice import MAX_ROLEPLAY_LINES
from assistant.conversation.core.steps import ROLEPLAY_FULL
from assistant.journal import Journal, Source
from assistant.knowledge import KnowledgeBase
from tests.support.conversation import (
    FLOW_ANSWERS,
    assistant_turns,
    collect,
    of_type,
    open_parts,
    run_flow,
)

TODAY = date(2025, 3, 5)  # a Wednesday


@pytest.fixture
def parts(knowledge_home: Path) -> Iterator[tuple[Settings, Journal, KnowledgeBase]]:
    settings, journal, knowledge = open_parts()
    journal.set_profile(name="Ana", mentor="Maria", goals="Become a team lead this year")
    yield settings, journal, knowledge
    knowledge.close()
    journal.close()


def engine_for(parts: tuple[Settings, Journal, KnowledgeBase], **changes: object) -> Engine:
    settings, journal, knowledge = parts
    return Engine(replace(settings, **changes), journal, knowledge, today=TODAY)


@pytest.mark.parametrize("flow_id", list(FLOW_ANSWERS))
async def test_every_flow_completes_with_grounded_turns_and_an_artifact(parts, flow_id) -> None:
    engine = engine_for(parts)
    events = await run_flow(engine, flow_id, FLOW_ANSWERS[flow_id])
    journal = parts[1]
    assert engine.mode == "guide"
    steps = of_type(events, StepChanged)
    assert [step.index for step in steps] == sorted(step.index for step in steps)
    assert steps[0].label.startswith(f"Step 1 of {len(engine.steps)}: ")
    # Every coach turn retrieved guidance, and its sources are what was found; the simulated
    # mentee's turns speak under its name and cite nothing.
    guidance = of_type(events, GuidanceFound)
    replies = assistant_turns(events)
    assert len(guidance) == len(replies)
    for found, reply in zip(guidance, replies, strict=True):
        if reply.content.startswith("Priya: "):
            assert not found.passages and reply.sources == []
            continue
        assert found.passages
        assert reply.sources == [Source(p.source, p.title) for p in found.passages]
    persona_turns = [r for r in replies if r.content.startswith("Priya: ")]
    assert len(persona_turns) == (4 if flow_id == "practice" else 0)
    (artifact,) = of_type(events, ArtifactReady)
    saved = journal.artifact(engine.session.id)
    assert saved is not None and saved.markdown == artifact.markdown
    assert journal.get_session(engine.session.id).status == "done"
    # The transcript in the journal is the conversation as it happened, sources included.
    turns = journal.turns(engine.session.id)
    assert [t.content for t in turns if t.role == "assistant"] == [r.content for r in replies]
    assert [t.sources for t in turns if t.role == "assistant"] == [r.sources for r in replies]


async def test_prepare_agenda_holds_the_answers_in_order(parts) -> None:
    engine = engine_for(parts)
    events = await run_flow(engine, "prepare", FLOW_ANSWERS["prepare"])
    (artifact,) = of_type(events, ArtifactReady)
    # The title names the mentor, the first topic and the date.
    assert artifact.title == "Agenda for the meeting with Maria: Promotion timeline, 5 Mar 2025"
    sections = {s["heading"]: s["items"] for s in artifact.data["sections"]}
    assert sections["Goal of the meeting"] == [FLOW_ANSWERS["prepare"][0]]
    # A 30-minute plan, most time for the first topic.
    assert sections["Time plan"] == [
        "0–5 min: wins and updates",
        "5–15 min: Promotion timeline and what evidence is missing",
        "15–20 min: Hiring for the new team",
        "20–25 min: My talk",
        "25–30 min: next steps, who does what by when",
    ]
    assert sections["Topics, most important first"] == [
        "Promotion timeline and what evidence is missing",
        "Hiring for the new team",
        "My talk",
    ]
    assert "## Help to ask for\n\n- Feedback on my promotion packet draft\n" in artifact.markdown


async def test_guide_turns_quote_the_user_and_cite_the_guidance(parts) -> None:
    engine = engine_for(parts)
    await collect(engine.start("debrief"))
    events = await collect(engine.send(FLOW_ANSWERS["debrief"][0]))
    (reply,) = assistant_turns(events)
    assert "“We discussed my promotion case and the architecture review I led" in reply.content
    (found,) = of_type(events, GuidanceFound)
    assert f"[1] “{found.passages[0].title}”" in reply.content
    assert reply.content.endswith(engine.steps[1].question)
    # A guide reply arrives whole, as one delta, before its turn completes.
    assert [e.text for e in of_type(events, TextDelta)] == [reply.content]


async def test_the_users_turn_is_saved_and_emitted_first(parts) -> None:
    engine = engine_for(parts)
    await collect(engine.start("ask"))
    events = await collect(engine.send("  I worry I am invisible at work and nobody notices.  "))
    first = events[0]
    assert first == TurnComplete("user", "I worry I am invisible at work and nobody notices.")
    turns = parts[1].turns(engine.session.id)
    assert [t.role for t in turns] == ["assistant", "user", "assistant"]


async def test_a_thin_answer_gets_one_follow_up_then_the_flow_moves_on(parts) -> None:
    engine = engine_for(parts, directness="direct")
    await collect(engine.start("prepare"))
    events = await collect(engine.send("catch up"))
    assert not of_type(events, StepChanged)
    (followup,) = assistant_turns(events)
    # The whole answer is quoted back, then one question: the step's follow-up, said plainly.
    assert followup.content.startswith("“catch up”.")
    assert followup.content.endswith(
        "One question: Make it concrete: if the meeting went really well, what would you walk "
        "out with — a decision, a piece of advice, an introduction?"
    )
    assert followup.content.count("?") == 1
    events = await collect(engine.send("ok"))
    assert [step.index for step in of_type(events, StepChanged)] == [1]
    assert engine.state.answers["goal"] == ["catch up", "ok"]


async def test_directness_shapes_guide_wording(parts) -> None:
    gentle = engine_for(parts, directness="gentle")
    await collect(gentle.start("prepare"))
    (followup,) = assistant_turns(await collect(gentle.send("not sure")))
    assert followup.content.startswith("Thank you. You wrote: “not sure”.")
    assert "Could you say a little more? Make it concrete" in followup.content
    direct = engine_for(parts, directness="direct")
    await collect(direct.start("prepare"))
    (followup,) = assistant_turns(await collect(direct.send("not sure")))
    assert followup.content.startswith("“not sure”.")
    assert "One question: Make it concrete" in followup.content


async def test_skip_back_and_done(parts) -> None:
    engine = engine_for(parts)
    await collect(engine.start("prepare"))
    await collect(engine.send("Decide whether to apply for the lead role this quarter."))
    events = await collect(engine.send("/skip"))
    assert of_type(events, Notice)[0].text == "Skipped “Wins and updates”."
    assert engine.step_index == 2
    events = await collect(engine.send("/back"))
    assert [s.index for s in of_type(events, StepChanged)] == [1]
    await collect(engine.send("/back"))
    assert engine.step_index == 0
    await collect(engine.send("Get Maria's honest read on my promotion case and timing."))
    events = await collect(engine.send("/done"))
    (artifact,) = of_type(events, ArtifactReady)
    sections = {s["heading"]: s["items"] for s in artifact.data["sections"]}
    # The answer given after /back replaced the first one.
    assert sections["Goal of the meeting"] == [
        "Get Maria's honest read on my promotion case and timing."
    ]
    assert sections["Topics, most important first"] == []
    # Commands are not turns; the finished session takes no more answers.
    contents = [t.content for t in parts[1].turns(engine.session.id)]
    assert not [c for c in contents if c.startswith("/")]
    events = await collect(engine.send("one more thing"))
    assert of_type(events, Notice) and not of_type(events, TurnComplete)


async def test_back_on_the_first_step_and_unknown_commands_only_notify(parts) -> None:
    engine = engine_for(parts)
    await collect(engine.start("ask"))
    for command in ("/back", "/help", "   ", "\x1b[31m\x00"):
        events = await collect(engine.send(command))
        assert len(events) == 1 and isinstance(events[0], Notice), command
    assert [t.role for t in parts[1].turns(engine.session.id)] == ["assistant"]


async def test_debrief_then_prepare_carries_the_action_items(parts) -> None:
    journal = parts[1]
    debrief = engine_for(parts)
    events = await run_flow(debrief, "debrief", FLOW_ANSWERS["debrief"])
    (artifact,) = of_type(events, ArtifactReady)
    assert [(item.text, item.due) for item in artifact.action_items] == [
        ("Send the revised doc to Maria by Friday", "2025-03-07"),
        ("Practise the demo twice next week", "2025-03-14"),
    ]
    assert [item.text for item in journal.action_items("open")] == [
        "Send the revised doc to Maria by Friday",
        "Practise the demo twice next week",
    ]
    prepare = engine_for(parts)
    events = await run_flow(prepare, "prepare", FLOW_ANSWERS["prepare"])
    (agenda,) = of_type(events, ArtifactReady)
    sections = {s["heading"]: s["items"] for s in agenda.data["sections"]}
    assert sections["Open action items from earlier sessions"] == [
        "Send the revised doc to Maria by Friday (due 2025-03-07)",
        "Practise the demo twice next week (due 2025-03-14)",
    ]
    asked = assistant_turns(events)[1].content
    assert "1. Send the revised doc to Maria by Friday (due 2025-03-07)" in asked


async def test_prepare_carries_the_most_pressing_items_and_counts_the_rest(parts) -> None:
    journal = parts[1]
    earlier = journal.create_session("debrief", "guide")
    for day in range(12, 0, -1):  # twelve open items, added latest-due first
        journal.add_action_item(earlier.id, f"Follow-up number {day}", due=f"2025-03-{day:02d}")
    prepare = engine_for(parts)
    events = await run_flow(prepare, "prepare", FLOW_ANSWERS["prepare"])
    asked = assistant_turns(events)[1].content
    assert "1. Follow-up number 1 (due 2025-03-01)" in asked
    assert "8. Follow-up number 8 (due 2025-03-08)" in asked
    assert "Follow-up number 9" not in asked
    assert "…and 4 more open action items in your journal." in asked
    (agenda,) = of_type(events, ArtifactReady)
    sections = {s["heading"]: s["items"] for s in agenda.data["sections"]}
    assert len(sections["Open action items from earlier sessions"]) == 8
    assert len(journal.action_items("open")) == 12  # the rest wait for a later session


async def test_a_second_debrief_records_which_items_are_done(parts) -> None:
    journal = parts[1]
    await run_flow(engine_for(parts), "debrief", FLOW_ANSWERS["debrief"])
    second = engine_for(parts)
    answers = [*FLOW_ANSWERS["debrief"][:3], "1 is done, the demo not yet", "/done"]
    events = await run_flow(second, "debrief", answers)
    review = assistant_turns(events)[3].content
    assert "From earlier sessions:\n1. Send the revised doc to Maria by Friday" in review
    assert [item.text for item in journal.action_items("done")] == [
        "Send the revised doc to Maria by Friday"
    ]
    assert [item.text for item in journal.action_items("open")] == [
        "Practise the demo twice next week"
    ]
    (artifact,) = of_type(events, ArtifactReady)
    assert "## Done since last time\n\n- Send the revised doc to Maria by Friday" in (
        artifact.markdown
    )


async def test_ask_saves_its_questions_and_the_next_agenda_lists_them_once(parts) -> None:
    journal = parts[1]
    events = await run_flow(engine_for(parts), "ask", FLOW_ANSWERS["ask"])
    review = assistant_turns(events)[-1].content
    assert "1. “Should I ask my manager directly?”: it can be answered with a plain yes" in (review)
    questions = [q.text for q in journal.unused_questions()]
    assert questions == [
        "What should I weigh up in deciding whether to ask my manager directly?",
        "What led you to give the project to Sam?",
        "When my manager keeps giving the visible projects to someone else and I feel stuck, "
        "what would you try first?",
    ]
    agenda_events = await run_flow(engine_for(parts), "prepare", FLOW_ANSWERS["prepare"])
    (agenda,) = of_type(agenda_events, ArtifactReady)
    sections = {s["heading"]: s["items"] for s in agenda.data["sections"]}
    assert sections["Questions to ask"] == questions
    assert journal.unused_questions() == []


async def test_ask_keeps_the_mentees_own_revisions(parts) -> None:
    answers = [*FLOW_ANSWERS["ask"][:3], "What would you try first to get visible work?"]
    events = await run_flow(engine_for(parts), "ask", answers)
    (artifact,) = of_type(events, ArtifactReady)
    sections = {s["heading"]: s["items"] for s in artifact.data["sections"]}
    assert sections["Questions to ask"] == ["What would you try first to get visible work?"]
    assert len(sections["Notes on framing"]) == 3


async def test_practice_scores_with_quotes_then_rescores_the_revised_line(parts) -> None:
    engine = engine_for(parts)
    events = await run_flow(engine, "practice", FLOW_ANSWERS["practice"])
    replies = [t.content for t in assistant_turns(events)]
    # The persona told a hidden fact when asked an open question about the workload.
    assert any("I've also been pulled into the migration project" in r for r in replies)
    debrief = next(r for r in replies if r.startswith("How your feedback scored"))
    assert (
        "No judgement words: 2/4. Judgement words: “always”, “unprofessional”. You said: "
        "“You're always late with the reports and it's unprofessional.”" in debrief
    )
    assert "Rewrites to try:" in debrief
    rescore = replies[-1]
    assert rescore.startswith("Your revised line: “In Tuesday's client meeting")
    assert "- No judgement words: 2 → 4." in rescore
    (artifact,) = of_type(events, ArtifactReady)
    assert artifact.title == "Feedback practice: Missed deadlines, 5 Mar 2025"
    assert "## Your revised line" in artifact.markdown


async def test_practice_asks_again_for_an_unknown_scenario(parts) -> None:
    engine = engine_for(parts)
    await collect(engine.start("practice"))
    events = await collect(engine.send("something with pineapples"))
    (reply,) = assistant_turns(events)
    assert reply.content.startswith("I could not tell which situation you meant.")
    assert engine.step_index == 0
    events = await collect(engine.send("low confidence"))
    assert "You are meeting Sam." in assistant_turns(events)[0].content


async def test_a_broken_knowledge_store_costs_the_guidance_not_the_session(
    knowledge_home: Path,
) -> None:
    settings, journal, _ = open_parts()
    # A shared Chroma server that is not running: every search fails.
    unreachable = replace(settings, chroma_url="http://127.0.0.1:9")
    knowledge = KnowledgeBase.open(unreachable)
    try:
        engine = Engine(unreachable, journal, knowledge, today=TODAY)
        events = await run_flow(engine, "ask", FLOW_ANSWERS["ask"])
        problems = [n.text for n in of_type(events, Notice) if n.level == "warning"]
        assert len(problems) == 1
        assert problems[0].startswith("Guidance is not available right now (cannot reach")
        assert all(not found.passages for found in of_type(events, GuidanceFound))
        assert of_type(events, ArtifactReady)
    finally:
        knowledge.close()
        journal.close()


async def test_a_long_role_play_ends_by_itself_with_the_debrief(parts) -> None:
    engine = engine_for(parts)
    await collect(engine.start("practice"))
    await collect(engine.send("2"))
    events = []
    for n in range(MAX_ROLEPLAY_LINES):
        events += await collect(engine.send(f"Let's talk about the reviews, part {n}."))
    assert [n.text for n in of_type(events, Notice)] == [ROLEPLAY_FULL]
    assert assistant_turns(events)[-1].content.startswith("How your feedback scored")
    assert engine.steps[engine.step_index].kind == "revise_line"
