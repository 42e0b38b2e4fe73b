"""Driving the conversation engine in tests: collect its events, run a flow to its end."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import TypeVar

from assistant.config import Settings, load_settings
from assistant.conversation.core.engine import Engine
from assistant.conversation.core.events import ArtifactReady, Event, TurnComplete
from assistant.journal import Journal
from assistant.knowledge import KnowledgeBase

E = TypeVar("E")

#: Answers that complete each flow in guide mode without a follow-up.
FLOW_ANSWERS: dict[str, list[str]] = {
    "prepare": [
        "Decide with Maria whether I should apply for the team lead role this quarter.",
        "I shipped the billing migration two days early and ran my first design review.",
        "Promotion timeline and what evidence is missing\nHiring for the new team\nMy talk",
        "Feedback on my promotion packet draft\nAn introduction to the platform lead",
    ],
    "ask": [
        "My manager keeps giving the visible projects to someone else and I feel stuck.",
        "I asked once in a one-to-one and got a vague answer; I want to lead one project.",
        "Should I ask my manager directly?\nWhy did you give the project to Sam?\nAny advice?",
        "/skip",
    ],
    "debrief": [
        "We discussed my promotion case and the architecture review I led last week.",
        "Maria said my design doc was thorough but that I talk too fast in meetings.",
        "I agree about the pace; I disagree that the doc was too long, the team asked for it.",
        "Send the revised doc to Maria by Friday\nPractise the demo twice next week",
    ],
    "practice": [
        "1",
        "You're always late with the reports and it's unprofessional.",
        "What has been getting in the way of the Friday deadline?",
        "How is your workload with the other projects at the moment?",
        "Let's agree you flag late data on Monday and we check in by Friday.",
        "/skip",
        "In Tuesday's client meeting the report arrived two days late, which meant the team "
        "showed old figures. What happened?",
    ],
}


async def collect(events: AsyncIterator[Event]) -> list[Event]:
    return [event async for event in events]


def of_type(events: Iterable[Event], kind: type[E]) -> list[E]:
    return [event for event in events if isinstance(event, kind)]


def assistant_turns(events: Iterable[Event]) -> list[TurnComplete]:
    return [event for event in of_type(events, TurnComplete) if event.role == "assistant"]


async def run_flow(engine: Engine, flow_id: str, answers: Iterable[str]) -> list[Event]:
    """Start the flow, send every answer, and finish it if the answers did not."""
    events = await collect(engine.start(flow_id))
    for answer in answers:
        events += await collect(engine.send(answer))
    if not of_type(events, ArtifactReady):
        events += await collect(engine.finish())
    return events


def open_parts(settings: Settings | None = None) -> tuple[Settings, Journal, KnowledgeBase]:
    """Settings from the environment, the journal and the knowledge base in REFLECT_HOME."""
    from assistant.config import prepare_home

    settings = settings or load_settings()
    prepare_home(settings)
    return settings, Journal(settings.journal_path), KnowledgeBase.open(settings)
