"""Retrieval for a turn: which guidance passages the coming assistant turn is grounded in."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from assistant.conversation.flows import FlowSpec, StepSpec

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


def sources_of(passages: list[Passage]) -> list[dict[str, Any]]:
    """A turn's sources as the journal and ``reflect chat --json`` keep them."""
    return [{"source": passage.source, "title": passage.title} for passage in passages]
