"""What the engine remembers about a session between turns, saved in ``sessions.state``.

Saved after every turn, so a session cut off anywhere resumes at its step with every answer
kept. Plain JSON-able fields only; unknown keys from an older or newer version are ignored.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

# What the next assistant turn must do; "" when the last assistant turn is complete.
PENDING_ASK = "ask"  # ask the current step's question (acknowledging the last answer)
PENDING_FOLLOWUP = "followup"  # the answer was thin: ask the step's follow-up
PENDING_PERSONA = "persona"  # the simulated mentee answers the mentor
PENDING_DEBRIEF = "debrief"  # score the role-play and suggest rewrites (practice)
PENDING_RESCORE = "rescore"  # score the mentor's revised line (practice)
PENDING_ADVANCE = "advance"  # the answer is taken; move to the next step


@dataclass
class SessionState:
    step: int = 0
    answers: dict[str, list[str]] = field(default_factory=dict)
    followed_up: list[str] = field(default_factory=list)
    redo_step: str = ""
    pending: str = ""
    finished: bool = False
    # prepare and debrief: what was open when the session started
    carried_items: list[dict[str, Any]] = field(default_factory=list)
    saved_questions: list[dict[str, Any]] = field(default_factory=list)
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
        return cls(**{key: value for key, value in data.items() if key in known})

    def add_answer(self, step_id: str, text: str) -> None:
        if self.redo_step == step_id:
            self.answers[step_id] = []
            self.redo_step = ""
        self.answers.setdefault(step_id, []).append(text)

    def answer_text(self, step_id: str) -> str:
        return "\n".join(self.answers.get(step_id, []))
