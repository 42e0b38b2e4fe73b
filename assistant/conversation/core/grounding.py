"""Retrieval for a turn: the guidance passages the coming assistant turn is grounded in."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.conversation.core.events import Event, GuidanceFound, Notice
from assistant.conversation.core.flows import FlowSpec, StepSpec
from assistant.conversation.core.kinds import Level
from assistant.journal import Source

if TYPE_CHECKING:
    from assistant.knowledge import KnowledgeBase, Passage

PASSAGES_PER_TURN = 4
#: How much of the user's last answer and of their goals goes into the query. The query is
#: embedded on every turn, and embedding time grows with its length.
ANSWER_CHARS_IN_QUERY = 300
GOALS_CHARS_IN_QUERY = 120


def retrieval_query(step: StepSpec, last_answer: str, goals: str) -> str:
    """The step's title and topics, the user's latest words and their goals, in one query."""
    topics = " ".join(topic.replace("-", " ") for topic in step.topics)
    parts = [
        step.title,
        topics,
        last_answer[:ANSWER_CHARS_IN_QUERY],
        goals[:GOALS_CHARS_IN_QUERY],
    ]
    return "\n".join(part.strip() for part in parts if part and part.strip())


async def find_passages(
    knowledge: KnowledgeBase, flow: FlowSpec, step: StepSpec, last_answer: str, goals: str
) -> list[Passage]:
    """The passages for this turn, searched off the event loop (embedding takes a moment)."""
    query = retrieval_query(step, last_answer, goals)
    return await asyncio.to_thread(
        knowledge.search,
        query,
        k=PASSAGES_PER_TURN,
        audience=flow.audience,
        moments=list(step.moments) or None,
    )


def sources_of(passages: list[Passage]) -> list[Source]:
    """A turn's sources as the journal keeps them."""
    return [Source(passage.source, passage.title) for passage in passages]


class TurnGuidance:
    """Retrieval for the engine's turns.

    The search for a reply can start while the user's answer is being saved (:meth:`prefetch`);
    a knowledge store that fails costs the guidance, not the conversation, and is told once.
    """

    def __init__(self, knowledge: KnowledgeBase | None, goals: Callable[[], str]) -> None:
        self.knowledge = knowledge
        self._goals = goals
        self._prefetched: tuple[str, str, asyncio.Future[list[Passage]]] | None = None
        self._problem: str | None = None
        self._told = False

    def prefetch(self, flow: FlowSpec, step: StepSpec, answer: str) -> None:
        """Start searching for the turn that answers ``answer`` at ``step``."""
        if self.knowledge is None:
            return
        self.drop()
        task = asyncio.ensure_future(self._search(flow, step, answer))
        self._prefetched = (step.id, answer, task)

    def drop(self) -> None:
        """Forget a prefetched search that was not used."""
        if self._prefetched is not None:
            self._prefetched[2].cancel()
            self._prefetched = None

    async def passages(self, flow: FlowSpec, step: StepSpec, answer: str) -> list[Passage]:
        if self.knowledge is None:
            return []
        prefetched, self._prefetched = self._prefetched, None
        if prefetched is not None and prefetched[:2] == (step.id, answer):
            return await prefetched[2]
        if prefetched is not None:
            prefetched[2].cancel()
        return await self._search(flow, step, answer)

    def found(self, passages: list[Passage]) -> list[Event]:
        """GuidanceFound, after a Notice the first time a search has failed."""
        events: list[Event] = []
        if self._problem is not None:
            events.append(Notice(self._problem, Level.WARNING))
            self._problem, self._told = None, True
        events.append(GuidanceFound(passages))
        return events

    async def _search(self, flow: FlowSpec, step: StepSpec, answer: str) -> list[Passage]:
        assert self.knowledge is not None
        try:
            return await find_passages(self.knowledge, flow, step, answer, self._goals())
        except Exception as exc:
            # Guidance is a help, not a requirement: a broken index must not stop a session.
            if not self._told:
                self._problem = f"Guidance is not available right now ({exc})."
            return []
