"""Resuming a session: the transcript comes back, and the flow carries on where it stopped."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from assistant.config import Settings, load_settings
from assistant.conversation.core.engine import Engine, EngineError
from assistant.conversation.core.events import (
    ArtifactReady,
    Notice,
    StepChanged,
    TextDelta,
    TurnComplete,
)
from assistant.conversation.model.client import ModelClient
from assistant.journal import Journal
from assistant.knowledge import KnowledgeBase
from tests.support.conversation import (
    FLOW_ANSWERS,
    assistant_turns,
    collect,
    of_type,
    open_parts,
    run_flow,
)
from tests.support.openai_server import Reply, ScriptedOpenAI

TODAY = date(2025, 3, 5)


Parts = tuple[Settings, Journal, KnowledgeBase]


@pytest.fixture
def parts(knowledge_home: Path) -> Iterator[Parts]:
    settings, journal, knowledge = open_parts()
    yield settings, journal, knowledge
    knowledge.close()
    journal.close()


def engine_for(parts: Parts, model: ModelClient | None = None) -> Engine:
    settings, journal, knowledge = parts
    return Engine(settings, journal, knowledge, model=model, today=TODAY)


async def test_resume_replays_the_transcript_and_waits_at_the_step(parts) -> None:
    first = engine_for(parts)
    await collect(first.start("debrief"))
    await collect(first.send(FLOW_ANSWERS["debrief"][0]))
    await collect(first.send(FLOW_ANSWERS["debrief"][1]))
    saved = parts[1].turns(first.session.id)

    later = engine_for(parts)
    events = await collect(later.resume(first.session.id[:6]))
    replayed = of_type(events, TurnComplete)
    assert [(t.role, t.content, t.sources) for t in replayed] == [
        (t.role, t.content, t.sources) for t in saved
    ]
    assert of_type(events, StepChanged) == [StepChanged(2, 5, "How it landed")]
    assert not of_type(events, TextDelta)  # nothing new was said
    rest = FLOW_ANSWERS["debrief"][2:]
    events = []
    for answer in rest:
        events += await collect(later.send(answer))
    (artifact,) = of_type(events, ArtifactReady)
    sections = {s["heading"]: s["items"] for s in artifact.data["sections"]}
    assert sections["What we discussed"] == [FLOW_ANSWERS["debrief"][0]]
    # The answer given after the resume is in the note, agreement and doubt kept apart.
    assert sections["What I agree with"] == ["I agree about the pace"]
    assert sections["What I doubt or disagree with"] == [
        "I disagree that the doc was too long, the team asked for it."
    ]


async def test_a_finished_session_resumes_to_its_artifact(parts) -> None:
    first = engine_for(parts)
    done = of_type(await run_flow(first, "ask", FLOW_ANSWERS["ask"]), ArtifactReady)
    events = await collect(engine_for(parts).resume(first.session.id))
    assert of_type(events, ArtifactReady) == done
    assert len(parts[1].unused_questions()) == 3  # not saved a second time


async def test_resuming_an_unknown_session_is_an_error(parts) -> None:
    with pytest.raises(EngineError, match="no session matches 'nope'"):
        await collect(engine_for(parts).resume("nope"))


@pytest.fixture
async def model_engines(
    parts: Parts, model_env: ScriptedOpenAI
) -> AsyncIterator[Callable[[], Engine]]:
    """Makes engines in model mode (one client, no retries) on the test's journal."""
    settings = replace(load_settings(), max_retries=0)
    model = ModelClient(settings)
    yield lambda: Engine(settings, parts[1], parts[2], model=model, today=TODAY)
    await model.aclose()


async def test_an_interrupted_reply_is_offered_for_retry_after_resume(
    model_engines, model_env: ScriptedOpenAI
) -> None:
    first = model_engines()
    await collect(first.start("debrief"))
    model_env.queue(Reply(chunks=["You said ", "“promotion”", ". And?"], chunk_delay=0.3))
    await cancel_after_first_delta(first.send(FLOW_ANSWERS["debrief"][0]))

    later = model_engines()
    events = await collect(later.resume(first.session.id))
    assert of_type(events, TurnComplete)[-1].interrupted
    assert of_type(events, Notice)[-1].text == (
        "The last reply was cut off. Retry it, or answer to carry on."
    )
    model_env.default = Reply(text="What feedback did Maria give you?")
    (reply,) = assistant_turns(await collect(later.retry()))
    assert reply.content == "What feedback did Maria give you?"
    assert later.step_index == 1


async def test_a_reply_lost_with_the_process_is_given_on_resume(
    parts, model_engines, model_env: ScriptedOpenAI
) -> None:
    first = model_engines()
    await collect(first.start("debrief"))
    model_env.queue(Reply(text="never seen", delay=30))
    answered = asyncio.Event()

    async def consume() -> None:
        async for event in first.send(FLOW_ANSWERS["debrief"][0]):
            if isinstance(event, TurnComplete) and event.role == "user":
                answered.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(answered.wait(), 10)
    await asyncio.sleep(0.2)  # the request is in flight when the process "dies"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert parts[1].turns(first.session.id)[-1].role == "user"

    model_env.default = Reply(text="What feedback did you receive?")
    later = model_engines()
    events = await collect(later.resume(first.session.id))
    assert of_type(events, StepChanged) == [StepChanged(1, 5, "Feedback received")]
    assert assistant_turns(events)[-1].content == "What feedback did you receive?"
    assert later.state.answers == {"discussed": [FLOW_ANSWERS["debrief"][0]]}


async def cancel_after_first_delta(events: AsyncIterator[object]) -> None:
    started = asyncio.Event()

    async def consume() -> None:
        async for event in events:
            if isinstance(event, TextDelta):
                started.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(started.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
