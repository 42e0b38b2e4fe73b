"""What the engine remembers about a session between turns, saved in ``sessions.state``.

Saved with every turn, so a session cut off anywhere resumes at its step with every answer
kept. :meth:`SessionState.to_dict` gives plain JSON; unknown keys from an older or newer
version are ignored by :meth:`SessionState.from_dict`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from assistant.conversation.core.kinds import Pending


@dataclass(frozen=True)
class CarriedItem:
    """An open action item a session carries over from the journal."""

    id: str
    text: str
    due: str | None = None


@dataclass(frozen=True)
class CarriedQuestion:
    """A question saved by an earlier session that no meeting used yet."""

    id: int
    text: str


@dataclass
class SessionState:
    step: int = 0
    answers: dict[str, list[str]] = field(default_factory=dict)
    followed_up: list[str] = field(default_factory=list)
    followup: str = ""  # the follow-up question the last answer called for
    redo_step: str = ""
    pending: Pending = Pending.NONE
    finished: bool = False
    # what was open in the journal when the session started
    carried_items: list[CarriedItem] = field(default_factory=list)
    saved_questions: list[CarriedQuestion] = field(default_factory=list)
    items_left_out: int = 0  # open items beyond the ones carried, still in the journal
    questions_left_out: int = 0
    done_items: list[str] = field(default_factory=list)
    # practice
    scenario: str = ""
    persona_replies: list[str] = field(default_factory=list)
    revealed: list[int] = field(default_factory=list)
    replies_used: dict[str, int] = field(default_factory=dict)
    scores: list[dict[str, Any]] = field(default_factory=list)
    revision: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionState:
        known = {f.name for f in fields(cls)}
        state = cls(**{key: value for key, value in data.items() if key in known})
        state.pending = Pending(state.pending or "")
        state.carried_items = [_item(raw) for raw in state.carried_items]
        state.saved_questions = [_question(raw) for raw in state.saved_questions]
        return state

    def add_answer(self, step_id: str, text: str) -> None:
        if self.redo_step == step_id:
            self.answers[step_id] = []
            self.redo_step = ""
        self.answers.setdefault(step_id, []).append(text)

    def answer_text(self, step_id: str) -> str:
        return "\n".join(self.answers.get(step_id, []))


def _item(raw: CarriedItem | dict[str, Any]) -> CarriedItem:
    if isinstance(raw, CarriedItem):
        return raw
    return CarriedItem(str(raw["id"]), str(raw["text"]), raw.get("due"))


def _question(raw: CarriedQuestion | dict[str, Any]) -> CarriedQuestion:
    if isinstance(raw, CarriedQuestion):
        return raw
    return CarriedQuestion(int(raw["id"]), str(raw["text"]))
