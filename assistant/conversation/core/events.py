"""What the engine tells its driver (the TUI, ``reflect chat``, tests) while a turn runs.

Every event is a small frozen dataclass. A driver iterates an event stream from the engine
(``start``, ``resume``, ``send``, ``retry``, ``finish``) and reacts to each event in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.conversation.core.kinds import Level, Role
from assistant.conversation.core.session_state import CarriedItem
from assistant.journal import ActionItem, Source

if TYPE_CHECKING:
    from assistant.knowledge import Passage


@dataclass(frozen=True)
class GuidanceFound:
    """The passages retrieved for the coming assistant turn; they become its sources."""

    passages: list[Passage]


@dataclass(frozen=True)
class TextDelta:
    """A streamed piece of the assistant's reply (guide mode sends the whole reply at once)."""

    text: str


@dataclass(frozen=True)
class TurnComplete:
    """A turn is saved in the journal, with the guidance it was grounded in.

    ``interrupted`` is true for an assistant reply that was cut off (cancelled, stream
    lost); its partial text is what was saved.
    """

    role: Role
    content: str
    sources: list[Source] = field(default_factory=list)
    interrupted: bool = False


@dataclass(frozen=True)
class StepChanged:
    """The flow moved to a step: shown as "Step 2 of 5: Topics to raise"."""

    index: int
    total: int
    title: str

    @property
    def label(self) -> str:
        return f"Step {self.index + 1} of {self.total}: {self.title}"


@dataclass(frozen=True)
class ArtifactReady:
    """The flow's result, saved in the journal: its Markdown and its structured data."""

    title: str
    markdown: str
    data: dict[str, Any]
    action_items: list[ActionItem] = field(default_factory=list)


@dataclass(frozen=True)
class Notice:
    """Something the user should know: fell back to guide mode, a draft was unusable, ..."""

    text: str
    level: Level = Level.INFO


@dataclass(frozen=True)
class ErrorOccurred:
    """The model could not answer. One sentence; the user's turn is already saved.

    With ``retryable`` the driver may offer :meth:`Engine.retry`; either way the driver can
    switch to guide mode with :meth:`Engine.use_guide_mode` and carry on.
    """

    message: str
    retryable: bool


@dataclass(frozen=True)
class CloseOffered:
    """The user's answer says open action items from earlier sessions are done ("I sent the
    deck"). The driver offers to close them: :meth:`Engine.close_items` if the user accepts;
    nothing if they decline (the engine offers an item once a session)."""

    items: tuple[CarriedItem, ...]


Event = (
    GuidanceFound
    | TextDelta
    | TurnComplete
    | StepChanged
    | ArtifactReady
    | Notice
    | ErrorOccurred
    | CloseOffered
)
