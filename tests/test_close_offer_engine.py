"""The engine offers to close open items an answer reports done, in both ways of thinking,
without any UI: an event the driver shows, and :meth:`Engine.close_items` when accepted."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.conversation.core.engine import Engine
from assistant.conversation.core.events import ArtifactReady, CloseOffered
from assistant.conversation.core.headless import run_headless
from assistant.conversation.model.client import ModelClient
from assistant.journal import Journal
from tests.support.conversation import collect, of_type, open_parts
from tests.support.openai_server import Reply, ScriptedOpenAI

TODAY = date(2025, 3, 5)
ITEM = "Send the impact summary to Maria by Friday"
OTHER = "Book a skip-level with Jon"
GOAL = "Agree the evidence for my promotion case."
REPORT = "I sent the impact summary to Maria on Thursday, she liked it."
PREPARE = [GOAL, REPORT, "promotion evidence", "a second opinion on the summary"]


def seed_items(journal: Journal) -> dict[str, str]:
    journal.set_profile(name="Ana", mentor="Maria")
    session = journal.create_session("debrief", "guide", title="Promotion case")
    return {text: journal.add_action_item(session.id, text).id for text in (ITEM, OTHER)}


async def test_an_accepted_offer_closes_the_item_and_the_agenda_no_longer_lists_it(
    knowledge_home: Path,
) -> None:
    settings, journal, knowledge = open_parts()
    try:
        ids = seed_items(journal)
        engine = Engine(settings, journal, knowledge, today=TODAY)
        events = await collect(engine.start("prepare"))
        events += await collect(engine.send(GOAL))
        assert of_type(events, CloseOffered) == []
        reported = await collect(engine.send(REPORT))
        (offer,) = of_type(reported, CloseOffered)
        assert [item.id for item in offer.items] == [ids[ITEM]]
        assert [item.text for item in engine.close_items([ids[ITEM]])] == [ITEM]
        assert engine.close_items([ids[ITEM]]) == [], "closing twice closes nothing more"
        assert of_type(await collect(engine.send(REPORT)), CloseOffered) == []
        (artifact,) = of_type(await collect(engine.finish()), ArtifactReady)
        item = journal.get_action_item(ids[ITEM])
        assert item is not None and item.status == "done"
        assert OTHER in artifact.markdown
        assert ITEM not in artifact.markdown
    finally:
        knowledge.close()
        journal.close()


async def test_no_offer_at_the_step_that_asks_which_items_are_done(knowledge_home: Path) -> None:
    settings, journal, knowledge = open_parts()
    try:
        ids = seed_items(journal)
        engine = Engine(settings, journal, knowledge, today=TODAY)
        engine.asks_follow_ups = False  # each answer below answers one step
        events = await collect(engine.start("debrief"))
        for text in ["My promotion case.", "Maria wants more evidence.", "Makes sense.", REPORT]:
            events += await collect(engine.send(text))
        assert of_type(events, CloseOffered) == []
        item = journal.get_action_item(ids[ITEM])
        assert item is not None and item.status == "done"  # the review step's answer did it
    finally:
        knowledge.close()
        journal.close()


@pytest.mark.usefixtures("knowledge_home")
async def test_model_mode_says_how_to_close_a_reported_item(model_env: ScriptedOpenAI) -> None:
    """A model's reply does not carry the hint a guide-mode reply does: a notice does."""
    model_env.default = Reply(text="Good news. What would make the meeting a win?")
    settings, journal, knowledge = open_parts(replace(load_settings(), max_retries=0))
    model = ModelClient(settings)
    try:
        ids = seed_items(journal)
        engine = Engine(settings, journal, knowledge, model=model, today=TODAY)
        result = await run_headless(engine, "prepare", PREPARE)
        assert result.mode == "model"
        hints = [n for n in result.notices if f"`reflect actions --done {ids[ITEM]}`" in n]
        assert len(hints) == 1 and f"“{ITEM}” is done" in hints[0]
    finally:
        await model.aclose()
        knowledge.close()
        journal.close()


async def test_guide_mode_says_how_to_close_once_in_the_form_the_surface_supports(
    knowledge_home: Path,
) -> None:
    """The offer is made once: the event (buttons in the app, the command line's notice
    here), never also as a command inside the coach's reply."""
    settings, journal, knowledge = open_parts()
    try:
        ids = seed_items(journal)
        engine = Engine(settings, journal, knowledge, today=TODAY)
        answers = [GOAL, "Good news: I booked the skip-level with Jon for next week.", "x", "y"]
        result = await run_headless(engine, "prepare", answers)
        assert result.mode == "guide"
        hints = [n for n in result.notices if "reflect actions --done" in n]
        assert len(hints) == 1 and f"`reflect actions --done {ids[OTHER]}`" in hints[0]
        replies = [t["content"] for t in result.turns if t["role"] == "assistant"]
        assert not [r for r in replies if "reflect actions --done" in r]
    finally:
        knowledge.close()
        journal.close()


async def test_an_item_closed_in_the_conversation_stays_closed_through_the_review_step(
    knowledge_home: Path,
) -> None:
    settings, journal, knowledge = open_parts()
    try:
        ids = seed_items(journal)
        engine = Engine(settings, journal, knowledge, today=TODAY)
        engine.asks_follow_ups = False  # each answer below answers one step
        await collect(engine.start("debrief"))
        await collect(engine.send("My promotion case."))
        (offer,) = of_type(
            await collect(engine.send("I booked the skip-level with Jon.")), CloseOffered
        )
        assert [item.id for item in offer.items] == [ids[OTHER]]
        engine.close_items([ids[OTHER]])
        for text in ["Makes sense.", "none"]:  # "none" answers which items are done
            await collect(engine.send(text))
        statuses = {text: journal.get_action_item(item_id) for text, item_id in ids.items()}
        assert {text: item.status for text, item in statuses.items() if item} == {
            ITEM: "open",
            OTHER: "done",
        }
    finally:
        knowledge.close()
        journal.close()
