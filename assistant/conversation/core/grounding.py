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
#: Candidates searched for an answer, before the step's topics and moments rerank them.
CANDIDATES_FOR_ANSWER = 8
#: How much a passage gains for each of the step's topics it covers, and for the step's moment:
#: the step is context, so it settles near ties and never outweighs what the user said.
STEP_TOPIC_BONUS = 0.03
STEP_MOMENT_BONUS = 0.02
#: What a passage gains for each topic of the answer's situation it covers: more than the
#: step's, since the answer leads.
SITUATION_TOPIC_BONUS = 0.06
#: How much of the user's last answer and of their goals goes into the query. The query is
#: embedded on every turn, and embedding time grows with its length.
ANSWER_CHARS_IN_QUERY = 300
GOALS_CHARS_IN_QUERY = 120


def retrieval_query(step: StepSpec, last_answer: str, goals: str, situation: str = "") -> str:
    """The query for a turn: led by the user's words and the situation they describe.

    With no answer yet (the first question, or a step reached by /skip) the step's
    ``guidance`` (what the advice shown with its question should be about) and the user's
    goals make the query instead; a step without one falls back to its title and topics.
    """
    answer = last_answer.strip()[:ANSWER_CHARS_IN_QUERY]
    if answer:
        parts = [answer, situation]
    elif step.guidance:
        parts = [step.guidance, goals[:GOALS_CHARS_IN_QUERY]]
    else:
        topics = " ".join(topic.replace("-", " ") for topic in step.topics)
        parts = [step.title, topics, goals[:GOALS_CHARS_IN_QUERY]]
    return "\n".join(part.strip() for part in parts if part and part.strip())


def search_for_turn(
    knowledge: KnowledgeBase, flow: FlowSpec, step: StepSpec, last_answer: str, goals: str
) -> list[Passage]:
    """The passages for a turn. After an answer, what the answer is about leads; the step's
    topics and moment only rerank the candidates (a mentee who says their mentor keeps
    cancelling gets the passage about cancellations, whatever the step)."""
    if not last_answer.strip():
        query = retrieval_query(step, last_answer, goals)
        opening = knowledge.search(
            query, k=CANDIDATES_FOR_ANSWER, audience=flow.audience, moments=moments_of(step)
        )
        return _by_source(opening)[:PASSAGES_PER_TURN]  # four guides, not one guide 4 times
    from assistant.conversation.guide.understanding import find_situation, sentences_of

    found = find_situation(sentences_of(last_answer))
    if found is not None and not found.sure:
        found = None  # an unsure guess would pull the guidance away from what was said
    query = retrieval_query(step, last_answer, goals, found.query if found else "")
    candidates = knowledge.search(query, k=CANDIDATES_FOR_ANSWER, audience=flow.audience)
    wanted = found.situation.topics if found else ()
    ranked = sorted(_by_source(candidates), key=lambda p: -_in_context(p, step, wanted))
    return ranked[:PASSAGES_PER_TURN]


def moments_of(step: StepSpec) -> list[str] | None:
    """The moments a step's opening guidance may be for; None for any. A step for "any"
    moment (``ask``, at any time) takes guidance tagged with any moment: as a search filter
    "any" would keep only the few passages tagged "any" and miss the guide on framing
    questions, which is tagged "before"."""
    if not step.moments or "any" in step.moments:
        return None
    return list(step.moments)


def _by_source(passages: list[Passage]) -> list[Passage]:
    """One passage per file: chunks of the same file found together are joined (best first),
    so the part of a file with the concrete wording travels with the part that matched."""
    from dataclasses import replace

    merged: dict[str, Passage] = {}
    for passage in passages:
        first = merged.get(passage.source)
        if first is None:
            merged[passage.source] = passage
        else:
            merged[passage.source] = replace(first, text=f"{first.text}\n\n{passage.text}")
    return list(merged.values())


def _in_context(passage: Passage, step: StepSpec, situation_topics: tuple[str, ...]) -> float:
    topics = len(set(passage.topics) & set(step.topics)) * STEP_TOPIC_BONUS
    topics += len(set(passage.topics) & set(situation_topics)) * SITUATION_TOPIC_BONUS
    moments = set(passage.moments)
    moment = STEP_MOMENT_BONUS if "any" in moments or moments & set(step.moments) else 0.0
    return passage.score + topics + moment


async def find_passages(
    knowledge: KnowledgeBase, flow: FlowSpec, step: StepSpec, last_answer: str, goals: str
) -> list[Passage]:
    """The passages for this turn, searched off the event loop (embedding takes a moment)."""
    return await asyncio.to_thread(search_for_turn, knowledge, flow, step, last_answer, goals)


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
