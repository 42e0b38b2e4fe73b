"""What was said, as sentences: the units that themes are clustered from.

A unit is one sentence of what the person said in a session where they talk about their
mentoring: their answers to the flow's questions, the sections of the artifact that hold what
they said (not the engine's carried items, time plans or notes), and the session's action
items. Each distinct sentence counts once per session, so an artifact that repeats an answer
does not weigh twice.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from assistant.conversation.core.flows import FlowError, FlowSpec, load_flow
from assistant.conversation.core.kinds import Role, SectionFill, StepKind
from assistant.insights.words import content_words, without_reporting_lead
from assistant.journal import ActionItem, Journal, Session, Turn
from assistant.sanitize import clean_text

#: Flows where the person says what their mentoring is about. Practice is left out: its
#: turns are lines of a role-play, spoken as the mentor to a simulated mentee.
THEME_FLOWS = ("debrief", "prepare", "ask")
#: Themes come from this many of the latest such sessions: what keeps coming back lately,
#: and a bounded amount of work however long the journal grows.
THEME_SESSIONS = 200
#: A pasted essay cannot crowd out the other sessions.
UNITS_PER_SESSION = 40
#: Sentences clustered at most, from the newest sessions on: clustering holds a square matrix
#: of their similarities (36 MB at 3,000; a 200-session journal had about 2,000).
MAX_UNITS = 3000
#: A sentence needs this many words that carry meaning to say something ("none", "yes, done"
#: and "1 and 3" do not).
MIN_CONTENT_WORDS = 2
MAX_UNIT_CHARS = 300

#: Steps whose answers are the person's own account (not a choice among listed items).
SAID_STEPS = frozenset(
    {StepKind.TEXT, StepKind.LIST, StepKind.QUESTIONS, StepKind.REVISE_QUESTIONS, StepKind.ACTIONS}
)
#: Artifact sections that hold what the person said.
SAID_SECTIONS = frozenset(
    {
        SectionFill.ANSWERS,
        SectionFill.GOAL,
        SectionFill.FEEDBACK_HEARD,
        SectionFill.AGREED,
        SectionFill.DOUBTED,
        SectionFill.HOW_IT_LANDED,
        SectionFill.FINAL_QUESTIONS,
        SectionFill.ACTION_ITEMS,
    }
)

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+|;\s+")
#: Where a sentence turns to a second subject: "X, and whether Y", "X, but also Y".
CLAUSE_TURN = re.compile(r",\s+(?:and|but|while|whereas)\s+(?:also\s+)?", re.IGNORECASE)
BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


@dataclass(frozen=True)
class SessionRef:
    """Enough of a session to name it next to a theme, and to open it."""

    id: str
    title: str
    flow: str
    created_at: str


@dataclass(frozen=True)
class Unit:
    """One sentence said in one session; ``text`` is what it says, without "we talked about"."""

    session: SessionRef
    text: str


def sentences(text: str) -> list[str]:
    """The sentences (and list lines) of ``text``, a sentence that turns to a second subject
    cut in two, without bullets, control characters stripped, each cut to
    :data:`MAX_UNIT_CHARS` at a word boundary."""
    found = []
    pieces = SENTENCE_END.split(clean_text(text))
    for clause in (clause for piece in pieces for clause in CLAUSE_TURN.split(piece)):
        sentence = BULLET.sub("", clause).strip()
        if len(sentence) > MAX_UNIT_CHARS:
            sentence = sentence[:MAX_UNIT_CHARS].rsplit(" ", 1)[0]
        if sentence:
            found.append(sentence)
    return found


def _said_in_turns(turns: list[Turn], flow: FlowSpec | None) -> list[str]:
    said = []
    steps = flow.steps if flow is not None else ()
    for turn in turns:
        if turn.role != Role.USER or turn.content.lstrip().startswith("/"):
            continue
        if 0 <= turn.step < len(steps) and steps[turn.step].kind not in SAID_STEPS:
            continue
        said.append(turn.content)
    return said


def _said_in_artifact(data: dict[str, object], flow: FlowSpec | None) -> list[str]:
    fills = {spec.heading.strip().lower(): spec.fill for spec in flow.sections} if flow else {}
    said: list[str] = []
    sections = data.get("sections")
    for section in sections if isinstance(sections, list) else []:
        if not isinstance(section, dict):
            continue
        heading = str(section.get("heading", "")).strip().lower()
        if fills.get(heading, SectionFill.ANSWERS) not in SAID_SECTIONS:
            continue
        items = section.get("items")
        if isinstance(items, list):
            said.extend(item for item in items if isinstance(item, str))
    return said


def _flow(flow_id: str) -> FlowSpec | None:
    try:
        return load_flow(flow_id)
    except FlowError:
        return None


def session_units(
    ref: SessionRef,
    turns: list[Turn],
    artifact_data: dict[str, object] | None,
    items: list[ActionItem],
) -> list[Unit]:
    """The distinct sentences of one session, answers first, then artifact, then items."""
    flow = _flow(ref.flow)
    texts = _said_in_turns(turns, flow)
    if artifact_data:
        texts += _said_in_artifact(artifact_data, flow)
    texts += [item.text for item in items]
    units: list[Unit] = []
    seen: set[str] = set()
    for text in texts:
        for sentence in sentences(text):
            words = content_words(sentence)
            key = " ".join(words)
            if len(words) < MIN_CONTENT_WORDS or key in seen:
                continue
            seen.add(key)
            units.append(Unit(ref, without_reporting_lead(sentence)))
            if len(units) == UNITS_PER_SESSION:
                return units
    return units


def theme_sessions(journal: Journal) -> list[Session]:
    """The latest sessions of the flows that themes are drawn from, newest first."""
    sessions = [s for flow in THEME_FLOWS for s in journal.list_sessions(THEME_SESSIONS, flow=flow)]
    sessions.sort(key=lambda s: (s.created_at, s.id), reverse=True)
    return sessions[:THEME_SESSIONS]


def journal_units(journal: Journal, sessions: list[Session]) -> list[Unit]:
    """The units of ``sessions`` (newest first), up to :data:`MAX_UNITS`."""
    items_by_session: dict[str, list[ActionItem]] = defaultdict(list)
    for item in journal.action_items(status=None):
        if item.session_id is not None:
            items_by_session[item.session_id].append(item)
    units: list[Unit] = []
    for session in sessions:
        ref = SessionRef(session.id, session.title, session.flow, session.created_at)
        artifact = journal.artifact(session.id)
        units += session_units(
            ref,
            journal.turns(session.id),
            artifact.data if artifact is not None else None,
            items_by_session.get(session.id, []),
        )
        if len(units) >= MAX_UNITS:
            return units[:MAX_UNITS]
    return units
