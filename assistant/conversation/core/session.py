"""The session in memory, written through to the journal at every change.

The engine works from this object: the flow, the state, the turns so far, the profile and
the items carried from earlier sessions. Every change that matters for resuming is committed
to the journal before the method returns (a turn together with the state it leads to), so
the journal is the log, and a session cut off anywhere resumes from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.conversation.core.flows import FlowSpec, StepSpec, load_flow
from assistant.conversation.core.kinds import Mode, Pending, Role, Shows
from assistant.conversation.core.session_state import SessionState
from assistant.conversation.guide.continuity import open_items, unused_questions
from assistant.journal import ActionItem, Journal, Session, Source, Turn


@dataclass
class LiveSession:
    journal: Journal
    record: Session
    flow: FlowSpec
    state: SessionState
    mode: Mode
    turns: list[Turn] = field(default_factory=list)
    profile: dict[str, str] = field(default_factory=dict)

    @classmethod
    def create(cls, journal: Journal, flow: FlowSpec, mode: Mode) -> LiveSession:
        """A new session for ``flow``, carrying what its steps list from the journal."""
        record = journal.create_session(flow.id, mode, title=flow.title)
        state = SessionState()
        if flow.shows(Shows.OPEN_ITEMS):
            state.carried_items, state.items_left_out = open_items(journal)
        if flow.shows(Shows.SAVED_QUESTIONS):
            state.saved_questions, state.questions_left_out = unused_questions(journal)
        return cls(journal, record, flow, state, mode, [], journal.profile())

    @classmethod
    def load(cls, journal: Journal, record: Session, mode: Mode) -> LiveSession:
        """A saved session, read from the journal once."""
        flow = load_flow(record.flow)
        state = SessionState.from_dict(record.state)
        live = cls(journal, record, flow, state, Mode(record.mode), [], journal.profile())
        live.turns = journal.turns(record.id)
        live.set_mode(mode)
        return live

    # --- reading --------------------------------------------------------------------------

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def step(self) -> StepSpec:
        return self.flow.steps[self.state.step]

    @property
    def last_answer(self) -> str | None:
        """The user's latest words, when they are the last turn (the turn being answered)."""
        if self.turns and self.turns[-1].role == Role.USER:
            return self.turns[-1].content
        return None

    @property
    def last_reply_interrupted(self) -> bool:
        last = self.turns[-1] if self.turns else None
        return last is not None and last.role == Role.ASSISTANT and last.status == "interrupted"

    def saved_action_items(self) -> list[ActionItem]:
        return [item for item in self.journal.action_items(None) if item.session_id == self.id]

    # --- writing through ------------------------------------------------------------------

    def save_state(self) -> None:
        self.journal.update_session(self.id, step=self.state.step, state=self.state.to_dict())

    def add_user_turn(self, text: str, step: int) -> None:
        """The user's turn and the state it leads to, committed together."""
        self._add(Role.USER, text, step=step, session_state=self.state.to_dict())

    def add_reply(self, text: str, sources: list[Source]) -> None:
        """A complete reply and the state it settles (nothing pending), committed together."""
        self.state.pending = Pending.NONE
        self._add(
            Role.ASSISTANT,
            text,
            step=self.state.step,
            sources=sources,
            session_state=self.state.to_dict(),
        )

    def add_interrupted(self, partial: str, sources: list[Source]) -> None:
        """A reply cut off mid-stream; the turn it answers stays pending."""
        if partial:
            self._add(
                Role.ASSISTANT, partial, step=self.state.step, sources=sources, status="interrupted"
            )

    def set_mode(self, mode: Mode) -> None:
        if mode != self.mode:
            self.mode = mode
            self.journal.update_session(self.id, mode=mode)

    def set_action_status(self, item_id: str, status: str) -> None:
        self.journal.set_action_status(item_id, status)

    def _add(self, role: Role, text: str, **options: Any) -> None:
        self.turns.append(self.journal.add_turn(self.id, role, text, **options))
