"""The conversation engine: owns the order of a flow's steps and emits events.

The TUI, ``reflect chat`` and the tests drive it the same way: iterate one of the event
streams (:meth:`Engine.start`, :meth:`Engine.resume`, :meth:`Engine.send`, :meth:`Engine.retry`,
:meth:`Engine.finish`, :meth:`Engine.use_guide_mode`) and react to each event. To stop a reply
in flight, cancel the task that iterates the stream: the partial reply is saved with status
``interrupted`` and nothing more is emitted.

The loop is small: a step's handler (:mod:`~assistant.conversation.core.steps`) takes the
answer and says which assistant turn comes next; the engine saves the answer with that state
before anything else happens, then runs the turn. The session lives in memory
(:class:`~assistant.conversation.core.session.LiveSession`) and is written through to the
journal at every turn, so a session cut off anywhere resumes at its step with every answer
kept.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.conversation.core import finishing
from assistant.conversation.core.context import Context
from assistant.conversation.core.events import (
    CloseOffered,
    Event,
    Notice,
    StepChanged,
    TurnComplete,
)
from assistant.conversation.core.flows import FlowSpec, StepSpec, load_flow
from assistant.conversation.core.grounding import TurnGuidance
from assistant.conversation.core.kinds import Mode, Pending, Role, StepKind
from assistant.conversation.core.session import LiveSession
from assistant.conversation.core.session_state import CarriedItem, SessionState
from assistant.conversation.core.sink import EventSink, event_stream
from assistant.conversation.core.speaking import Speaker
from assistant.conversation.core.steps import StepHandler, handler_for
from assistant.conversation.core.user_text import clean_user_text
from assistant.conversation.guide.continuity import items_reported_done
from assistant.journal import Journal, JournalWriteError, Session

if TYPE_CHECKING:
    from assistant.conversation.model.client import ModelClient
    from assistant.knowledge import KnowledgeBase

COMMANDS_HELP = "Commands: /skip moves on, /back returns to the previous step, /done finishes."
FINISHED = "This conversation is finished; its result is saved in your journal."


class EngineError(Exception):
    """The engine was asked for something it cannot do (no such session, nothing started)."""


class Engine:
    """One conversation at a time, in model mode (``model`` given) or guide mode.

    ``knowledge`` is an open knowledge base (or None to run without guidance); the caller owns
    it, the journal and the model client, and closes them. In model mode an unreachable
    endpoint switches the session to guide mode with a :class:`Notice`; other model errors emit
    :class:`ErrorOccurred` and leave the choice to the driver: :meth:`retry`,
    :meth:`use_guide_mode`, or simply the user's next message.
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
        self.settings = settings
        self.journal = journal
        self.knowledge = knowledge
        self._model = model
        self._mode = Mode.MODEL if model is not None else Mode.GUIDE
        self._today = today or date.today()
        self._guidance = TurnGuidance(knowledge, self._goals)
        self._ctx: Context | None = None
        #: False for scripted input (``reflect chat --input``): each block answers one step,
        #: so no follow-up may take the next block.
        self.asks_follow_ups = True
        self._sink = EventSink()  # replaced by each event stream's own

    # --- what drivers read ----------------------------------------------------------------

    @property
    def mode(self) -> Mode:
        return self._ctx.session.mode if self._ctx is not None else self._mode

    @property
    def session(self) -> Session | None:
        return self._ctx.session.record if self._ctx is not None else None

    @property
    def flow(self) -> FlowSpec:
        return self._context.flow

    @property
    def step_index(self) -> int:
        return self._context.state.step

    @property
    def steps(self) -> list[StepSpec]:
        return list(self.flow.steps)

    @property
    def state(self) -> SessionState:
        """The session's state as saved in the journal (read-only for drivers)."""
        return self._context.state

    # --- event streams --------------------------------------------------------------------

    def start(self, flow_id: str) -> AsyncIterator[Event]:
        """Create a session for ``flow_id``; emit StepChanged, GuidanceFound, the first question.

        Raises :class:`~assistant.conversation.core.flows.FlowError` for an unknown flow.
        """
        return self._stream(lambda: self._start(flow_id))

    def resume(self, session_id: str) -> AsyncIterator[Event]:
        """Continue a saved session at its step.

        The saved turns are replayed first as :class:`TurnComplete` events, so a driver can
        show the transcript. Then: a finished session emits its artifact; an unanswered turn
        is answered (the question re-asked); a reply that was interrupted is offered for
        :meth:`retry` with a Notice.
        """
        return self._stream(lambda: self._resume(session_id))

    def send(self, text: str) -> AsyncIterator[Event]:
        """One user turn. ``/skip``, ``/back`` and ``/done`` are handled here.

        The turn is committed to the journal (and emitted as a user TurnComplete) before
        anything else happens with it.
        """
        return self._stream(lambda: self._send(text))

    def retry(self) -> AsyncIterator[Event]:
        """Run the last assistant turn again (after ErrorOccurred or an interrupted reply)."""
        return self._stream(self._retry)

    def finish(self) -> AsyncIterator[Event]:
        """Produce, save and emit the artifact (the same as ``/done``)."""
        return self._stream(self._finish)

    def use_guide_mode(self, reason: str) -> AsyncIterator[Event]:
        """Switch this session to guide mode (a Notice says ``reason``) and carry on."""
        return self._stream(lambda: self._use_guide_mode(reason))

    # --- what drivers change --------------------------------------------------------------

    def close_items(self, item_ids: Sequence[str]) -> list[CarriedItem]:
        """Mark carried items done in the journal now: the user accepted a :class:`CloseOffered`.

        Returns the items closed (those still open among ``item_ids``); the artifact counts
        them as done, as if the user had said so at the step that reviews open items.
        """
        ctx = self._context
        state = ctx.state
        closed = [
            i for i in state.carried_items if i.id in item_ids and i.id not in state.done_items
        ]
        for item in closed:
            ctx.session.set_action_status(item.id, "done")
            state.done_items.append(item.id)
        if closed:
            ctx.session.save_state()
        return closed

    # --- the loop -------------------------------------------------------------------------

    async def _start(self, flow_id: str) -> None:
        flow = load_flow(flow_id)
        self._open(LiveSession.create(self.journal, flow, self._mode))
        await self._enter_step(self._next_index(0))

    async def _resume(self, session_id: str) -> None:
        record = self.journal.get_session(session_id)
        if record is None:
            raise EngineError(f"no session matches {session_id!r}")
        ctx = self._open(LiveSession.load(self.journal, record, self._mode))
        session, state = ctx.session, ctx.state
        for turn in session.turns:
            interrupted = turn.status == "interrupted"
            await ctx.emit(
                TurnComplete(Role(turn.role), turn.content, turn.sources, interrupted=interrupted)
            )
        if state.finished:
            await self._finish()
            return
        if state.pending != Pending.ADVANCE:
            await ctx.emit(self._step_changed())
        if session.last_reply_interrupted:
            await ctx.emit(Notice("The last reply was cut off. Retry it, or answer to carry on."))
        elif state.pending:
            await self._continue()

    async def _send(self, raw: str) -> None:
        ctx = self._context
        text = clean_user_text(raw)
        if not text:
            await ctx.emit(Notice(f"Type an answer first. {COMMANDS_HELP}"))
        elif re.fullmatch(r"/[a-zA-Z]+", text):
            await self._command(text.lower())
        elif ctx.state.finished:
            await ctx.emit(Notice(FINISHED))
        else:
            await self._take_answer(text)

    async def _retry(self) -> None:
        if not self._context.state.pending:
            await self._context.emit(Notice("There is no reply to retry."))
            return
        await self._continue()

    async def _use_guide_mode(self, reason: str) -> None:
        ctx = self._context
        ctx.session.set_mode(Mode.GUIDE)
        await ctx.emit(Notice(reason))
        if ctx.state.pending:
            await self._continue()

    async def _finish(self) -> None:
        ctx = self._context
        if ctx.state.finished and await finishing.emit_saved_artifact(ctx):
            return
        for step in ctx.flow.steps:
            await handler_for(step).before_finish(ctx)
        await finishing.finish(ctx)

    async def _command(self, command: str) -> None:
        ctx = self._context
        if command == "/done":
            await self._finish()
        elif ctx.state.finished:
            await ctx.emit(Notice(FINISHED))
        elif command == "/skip":
            await ctx.emit(Notice(self._handler.skip_notice(ctx.step)))
            await self._advance()
        elif command == "/back":
            previous = self._previous_index(ctx.state.step)
            if previous < 0:
                await ctx.emit(Notice("This is the first step; there is nothing to go back to."))
                return
            ctx.state.redo_step = ctx.flow.steps[previous].id
            await self._enter_step(previous)
        else:
            await ctx.emit(Notice(f"{command} is not a command here. {COMMANDS_HELP}"))

    async def _take_answer(self, text: str) -> None:
        """Save the user's turn, with what it does to the flow: capture, follow up, move on.

        The turn and the state it leads to (the answer captured, the next turn still to come)
        are committed together before anything else happens, so a session cut off at any
        point resumes with the answer kept and the next turn still to come.
        """
        ctx = self._context
        answered_step = ctx.state.step
        before = SessionState.from_dict(ctx.state.to_dict())
        ctx.state.pending = self._handler.take(ctx, text)
        self._prefetch_for(text)
        try:
            try:
                ctx.session.add_user_turn(text, answered_step)
            except JournalWriteError:
                # Nothing of this answer is saved: put the state back, so sending it again
                # (once there is room) records it once.
                ctx.session.state, ctx.item_statuses = before, {}
                raise
            await ctx.emit(TurnComplete(Role.USER, text))
            statuses, ctx.item_statuses = ctx.item_statuses, {}
            for item_id, status in statuses.items():
                ctx.session.set_action_status(item_id, status)
            await self._continue()
            await self._offer_to_close(text, answered_step)
        finally:
            self._guidance.drop()

    async def _offer_to_close(self, answer: str, answered_step: int) -> None:
        """Offer to close the open items ``answer`` reports done, each once a session.

        Not at the step that asks which items are done (its answer closes them), nor once the
        flow has finished.
        """
        ctx = self._context
        state = ctx.state
        if state.finished or ctx.flow.steps[answered_step].kind == StepKind.REVIEW_ITEMS:
            return
        settled = {*state.done_items, *ctx.offered_to_close}
        still_open = [item for item in state.carried_items if item.id not in settled]
        reported = items_reported_done(answer, still_open)
        if reported:
            ctx.offered_to_close.update(item.id for item in reported)
            await ctx.emit(CloseOffered(tuple(reported)))

    async def _continue(self) -> None:
        """Do what the state says comes next: a reply, then (for some steps) the next step."""
        ctx = self._context
        pending = ctx.state.pending
        if pending == Pending.ADVANCE:
            await self._advance()
            return
        handler = self._handler
        await handler.reply(ctx, pending)
        moving_on = None if ctx.state.pending else handler.ends_after(ctx, pending)
        if moving_on is not None:
            if moving_on:
                await ctx.emit(Notice(moving_on))
            await self._advance()

    async def _advance(self) -> None:
        await self._enter_step(self._next_index(self._context.state.step + 1))

    async def _enter_step(self, index: int) -> None:
        ctx = self._context
        state = ctx.state
        if index >= len(ctx.flow.steps):
            await self._finish()
            return
        # After an answer, the state saved with it (pending "advance") already leads here.
        saved_with_answer = state.pending == Pending.ADVANCE
        state.step = index
        state.pending = self._handler.entry(state)
        if not saved_with_answer:
            ctx.session.save_state()
        await ctx.emit(self._step_changed())
        await self._handler.reply(ctx, state.pending)

    # --- helpers --------------------------------------------------------------------------

    def _stream(self, work: Callable[[], Coroutine[Any, Any, None]]) -> AsyncIterator[Event]:
        """The events ``work`` emits, through a sink of their own."""

        async def run(sink: EventSink) -> None:
            self._sink = sink
            if self._ctx is not None:
                self._ctx.speaker.sink = sink
            await work()

        return event_stream(run)

    def _open(self, session: LiveSession) -> Context:
        speaker = Speaker(session, self._guidance, self._model, self._sink)
        self._ctx = Context(self.settings, session, speaker, self._guidance, self._today)
        self._ctx.asks_follow_ups = self.asks_follow_ups
        return self._ctx

    @property
    def _context(self) -> Context:
        if self._ctx is None:
            raise EngineError("start or resume a conversation first")
        return self._ctx

    @property
    def _handler(self) -> StepHandler:
        return handler_for(self._context.step)

    def _goals(self) -> str:
        return self._ctx.session.profile.get("goals", "") if self._ctx else ""

    def _step_changed(self) -> StepChanged:
        ctx = self._context
        return StepChanged(ctx.state.step, len(ctx.flow.steps), ctx.step.title)

    def _skipped(self, index: int) -> bool:
        ctx = self._context
        return handler_for(ctx.flow.steps[index]).skipped(ctx.state)

    def _next_index(self, index: int) -> int:
        while index < len(self._context.flow.steps) and self._skipped(index):
            index += 1
        return index

    def _previous_index(self, index: int) -> int:
        index -= 1
        while index >= 0 and self._skipped(index):
            index -= 1
        return index

    def _prefetch_for(self, answer: str) -> None:
        """Start the search for the reply to ``answer`` while the answer is being saved.

        Only for the replies whose step is known now: the next step's question, a follow-up,
        the simulated mentee's answer.
        """
        ctx = self._context
        pending, index = ctx.state.pending, ctx.state.step
        if pending not in (Pending.ADVANCE, Pending.FOLLOWUP, Pending.PERSONA):
            return
        if pending == Pending.ADVANCE:
            index = self._next_index(index + 1)
            if index >= len(ctx.flow.steps):
                return
        self._guidance.prefetch(ctx.flow, ctx.flow.steps[index], answer)
