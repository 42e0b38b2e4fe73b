"""The conversation engine: owns the order of a flow's steps and emits events.

The TUI, ``reflect chat`` and the tests drive it the same way: iterate one of the event
streams (:meth:`Engine.start`, :meth:`Engine.resume`, :meth:`Engine.send`, :meth:`Engine.retry`,
:meth:`Engine.finish`) and react to each event. To stop a reply in flight, cancel the task that
iterates the stream: the partial reply is saved with status ``interrupted`` and nothing more is
emitted.

The user's turn is committed to the journal before any model call, and the session state (step,
captured answers, flags) is saved after every turn, so a session cut off anywhere resumes at
its step with every answer kept.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.conversation.events import Event
from assistant.conversation.flows import FlowSpec, StepSpec
from assistant.journal import Journal, Session

if TYPE_CHECKING:
    from assistant.conversation.model_client import ModelClient
    from assistant.knowledge import KnowledgeBase


class Engine:
    """One conversation at a time, in model mode (``model`` given) or guide mode.

    ``knowledge`` is an open knowledge base (or None to run without guidance); the caller owns
    it and the journal and closes them. In model mode an unreachable endpoint switches the
    session to guide mode with a :class:`Notice`; other model errors emit
    :class:`ErrorOccurred` and leave the choice (``retry`` or ``use_guide_mode``) to the driver.
    """

    def __init__(
        self,
        settings: Settings,
        journal: Journal,
        knowledge: KnowledgeBase | None,
        *,
        model: ModelClient | None = None,
        today: date | None = None,
    ) -> None:
        raise NotImplementedError

    @property
    def mode(self) -> str:
        """``"model"`` or ``"guide"``."""
        raise NotImplementedError

    @property
    def session(self) -> Session | None:
        raise NotImplementedError

    @property
    def flow(self) -> FlowSpec:
        raise NotImplementedError

    @property
    def step_index(self) -> int:
        raise NotImplementedError

    @property
    def steps(self) -> list[StepSpec]:
        raise NotImplementedError

    def start(self, flow_id: str) -> AsyncIterator[Event]:
        """Create a session for ``flow_id``; emit StepChanged, GuidanceFound, the first question."""
        raise NotImplementedError

    def resume(self, session_id: str) -> AsyncIterator[Event]:
        """Continue a saved session at its step: re-ask an unanswered turn, offer to retry a
        reply that was interrupted."""
        raise NotImplementedError

    def send(self, text: str) -> AsyncIterator[Event]:
        """One user turn. ``/skip``, ``/back`` and ``/done`` are handled here."""
        raise NotImplementedError

    def retry(self) -> AsyncIterator[Event]:
        """Run the last assistant turn again (after ErrorOccurred or an interrupted reply)."""
        raise NotImplementedError

    def finish(self) -> AsyncIterator[Event]:
        """Produce, save and emit the artifact (the same as ``/done``)."""
        raise NotImplementedError

    def use_guide_mode(self, reason: str) -> AsyncIterator[Event]:
        """Switch this session to guide mode (emits a Notice with ``reason``) and carry on."""
        raise NotImplementedError
