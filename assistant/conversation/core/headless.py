"""Running a flow without the TUI: user turns from text, events to a callback, one result.

``reflect chat`` and the tests use it. Turns are read one at a time (a line holding only
``---`` ends a turn), so a turn is handled as soon as it is complete, and the end of the
input finishes the flow and produces its artifact. A model error never stops the run: the
engine carries on in guide mode and the result's notices say so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.conversation.core.engine import Engine
from assistant.conversation.core.events import (
    ArtifactReady,
    CloseOffered,
    ErrorOccurred,
    Event,
    Notice,
)
from assistant.conversation.core.finishing import item_data
from assistant.conversation.core.kinds import Level
from assistant.conversation.guide.continuity import close_offer

TURN_SEPARATOR = "---"


@dataclass
class ChatResult:
    """A finished headless conversation, in the shape of ``reflect chat --json``."""

    session_id: str
    flow: str
    mode: str
    turns: list[dict[str, Any]]
    artifact: dict[str, Any]
    markdown: str
    action_items: list[dict[str, Any]]
    notices: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "flow": self.flow,
            "mode": self.mode,
            "turns": self.turns,
            "artifact": self.artifact,
            "markdown": self.markdown,
            "action_items": self.action_items,
            "notices": self.notices,
        }


def read_turns(stream: Iterable[str]) -> Iterator[str]:
    """The user turns in ``stream`` (its lines), each yielded as soon as its separator line
    is read."""
    lines: list[str] = []
    for line in stream:
        if line.strip() == TURN_SEPARATOR:
            turn = "\n".join(lines).strip()
            lines = []
            if turn:
                yield turn
        else:
            lines.append(line.rstrip("\r\n"))
    turn = "\n".join(lines).strip()
    if turn:
        yield turn


async def run_headless(
    engine: Engine,
    flow_id: str,
    user_turns: Iterable[str],
    on_event: Callable[[Event], None] | None = None,
) -> ChatResult:
    """Start ``flow_id``, send each turn, finish, and return what happened.

    Each turn answers one step: the coach asks no follow-ups in scripted input, so a follow-up
    the app would ask never shifts the rest of the script into the wrong steps.
    """
    engine.asks_follow_ups = False
    notices: list[str] = []
    artifact: ArtifactReady | None = None

    async def drive(events: Any) -> None:
        nonlocal artifact
        failed = False
        async for event in events:
            if on_event is not None:
                on_event(event)
            if isinstance(event, Notice):
                notices.append(event.text)
            elif isinstance(event, ErrorOccurred):
                notices.append(event.message)
                failed = True
            elif isinstance(event, ArtifactReady):
                artifact = event
            elif isinstance(event, CloseOffered):
                # No buttons here: the offer becomes the command that closes the items.
                notice = close_offer(list(event.items))
                notices.append(notice)
                if on_event is not None:
                    on_event(Notice(notice))
        if failed:
            await drive(engine.use_guide_mode("Continuing in guide mode; your answers are kept."))

    await drive(engine.start(flow_id))
    left_over = 0
    for text in user_turns:
        if artifact is not None:
            left_over += 1
            continue
        await drive(engine.send(text))
    if left_over:
        notice = f"The flow had finished; {left_over} more turn(s) of input were not used."
        notices.append(notice)
        if on_event is not None:
            on_event(Notice(notice, Level.WARNING))
    if artifact is None:
        await drive(engine.finish())
    assert artifact is not None and engine.session is not None
    return ChatResult(
        session_id=engine.session.id,
        flow=engine.flow.id,
        mode=engine.mode,
        turns=[
            {
                "role": turn.role,
                "content": turn.content,
                "sources": [asdict(source) for source in turn.sources],
            }
            for turn in engine.journal.turns(engine.session.id)
        ],
        artifact={"title": artifact.data["title"], "sections": artifact.data["sections"]},
        markdown=artifact.markdown,
        action_items=item_data(artifact.action_items),
        notices=notices,
    )
