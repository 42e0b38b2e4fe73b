"""What every part of a turn works with: the session, the speaker, retrieval, settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from assistant.config import Settings
from assistant.conversation.core.events import Event
from assistant.conversation.core.flows import FlowSpec, StepSpec
from assistant.conversation.core.grounding import TurnGuidance
from assistant.conversation.core.kinds import Mode
from assistant.conversation.core.session import LiveSession
from assistant.conversation.core.session_state import SessionState
from assistant.conversation.core.speaking import Speaker
from assistant.conversation.model.prompting import GuideVoice, guide_voice


@dataclass
class Context:
    settings: Settings
    session: LiveSession
    speaker: Speaker
    guidance: TurnGuidance
    today: date
    #: A line for the next reply about the answer just taken ("Marked as done: ..."), or
    #: "retry" when the answer could not be used; said once.
    note: str = ""
    #: Action items whose status the answer just taken changes (id -> "done" or "open"),
    #: written once the answer is saved.
    item_statuses: dict[str, str] = field(default_factory=dict)
    #: False for scripted input: each block of the script answers one step.
    asks_follow_ups: bool = True
    #: Carried items already offered to close (:class:`CloseOffered`): each is offered once.
    offered_to_close: set[str] = field(default_factory=set)

    @property
    def flow(self) -> FlowSpec:
        return self.session.flow

    @property
    def state(self) -> SessionState:
        return self.session.state

    @property
    def step(self) -> StepSpec:
        return self.session.step

    @property
    def model_mode(self) -> bool:
        return self.session.mode == Mode.MODEL and self.speaker.model is not None

    @property
    def voice(self) -> GuideVoice:
        return guide_voice(self.settings.directness)

    async def emit(self, event: Event) -> None:
        await self.speaker.sink.emit(event)

    def take_note(self) -> str:
        note, self.note = self.note, ""
        return note
