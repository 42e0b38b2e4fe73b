"""A small journal with fixed dates, for the journal and insights screens' tests and snapshots.

Rows are written through the real :class:`Journal` API; only their timestamps are then set
with SQL on a second connection, because the journal stamps every write with the clock.
"""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import date

import pytest

from assistant.journal import Journal

#: The day the seeded journal is looked at: screens take it as ``today``.
TODAY = date(2026, 3, 12)


def use_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Show local times as UTC, so the dates on screen do not depend on the machine's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@dataclass
class Seeded:
    """Ids of what was written, by a short name."""

    sessions: dict[str, str] = field(default_factory=dict)
    items: dict[str, str] = field(default_factory=dict)


DEBRIEFS = [
    (
        "debrief-jan",
        "2026-01-20T17:05:00+00:00",
        "Reflection on the January check-in",
        [
            "We went through the release plan and why I missed deadlines twice this month.",
            "She gave me critical feedback on my status updates: too late and too vague.",
            "Honestly I got defensive at first, then saw her point.",
        ],
    ),
    (
        "debrief-feb",
        "2026-02-10T16:30:00+00:00",
        "Reflection on the February meeting",
        [
            "Mostly about the migration project and the missed deadlines on the API work.",
            "Critical feedback again, this time about estimating.",
            "It landed better; I asked for examples instead of arguing.",
        ],
    ),
    (
        "debrief-mar",
        "2026-03-09T15:00:00+00:00",
        "Reflection on the March meeting",
        [
            "We talked about presenting to the leadership group next quarter.",
            "I still worry about missed deadlines when priorities change.",
            "Feedback was that my slides are dense.",
        ],
    ),
]

OTHERS = [
    (
        "prepare-feb",
        "prepare",
        "2026-02-09T09:00:00+00:00",
        "Agenda for the meeting with Dana",
        "done",
    ),
    ("ask-feb", "ask", "2026-02-24T11:15:00+00:00", "Questions for Dana", "done"),
    (
        "prepare-mar",
        "prepare",
        "2026-03-08T08:45:00+00:00",
        "Agenda for the meeting with Dana",
        "done",
    ),
    ("practice-mar", "practice", "2026-03-11T19:20:00+00:00", "", "active"),
]

ITEMS = [
    # name, session, text, due, status, created_at, closed_at
    (
        "status",
        "debrief-jan",
        "Send status updates every Friday",
        None,
        "done",
        "2026-01-20T17:10:00+00:00",
        "2026-01-30T10:00:00+00:00",
    ),
    (
        "estimates",
        "debrief-feb",
        "Add a buffer to my estimates",
        "2026-03-01",
        "open",
        "2026-02-10T16:35:00+00:00",
        None,
    ),
    (
        "examples",
        "debrief-feb",
        "Ask for one concrete example when I get feedback",
        None,
        "done",
        "2026-02-10T16:36:00+00:00",
        "2026-02-20T12:00:00+00:00",
    ),
    (
        "course",
        "debrief-jan",
        "Take the public speaking course",
        None,
        "dropped",
        "2026-01-20T17:11:00+00:00",
        "2026-02-27T09:00:00+00:00",
    ),
    (
        "slides",
        "debrief-mar",
        "Cut the deck to five [bold]slides[/bold]",
        "2026-03-20",
        "open",
        "2026-03-09T15:05:00+00:00",
        None,
    ),
]


def _set_times(journal: Journal, sql: str, rows: list[tuple[object, ...]]) -> None:
    db = sqlite3.connect(journal.path)
    try:
        db.executemany(sql, rows)
        db.commit()
    finally:
        db.close()


def seed_journal(journal: Journal) -> Seeded:
    """Three debriefs with recurring themes, four other sessions, five action items."""
    seeded = Seeded()
    stamps: list[tuple[object, ...]] = []
    for name, stamp, title, answers in DEBRIEFS:
        session = journal.create_session("debrief", "guide", title)
        for answer in answers:
            journal.add_turn(session.id, "assistant", "What would you like to reflect on?")
            journal.add_turn(session.id, "user", answer)
        journal.update_session(session.id, status="done")
        journal.save_artifact(
            session.id, title, {}, f"# {title}\n\n## What was discussed\n\n- {answers[0]}\n"
        )
        seeded.sessions[name] = session.id
        stamps.append((stamp, stamp, session.id))
    for name, flow, stamp, title, status in OTHERS:
        session = journal.create_session(flow, "guide", title)
        journal.add_turn(session.id, "assistant", "What is the goal of the meeting?")
        journal.add_turn(session.id, "user", "Agree how to estimate the [red]migration[/red].")
        journal.update_session(session.id, status=status)
        seeded.sessions[name] = session.id
        stamps.append((stamp, stamp, session.id))
    _set_times(journal, "UPDATE sessions SET created_at = ?, updated_at = ? WHERE id = ?", stamps)
    item_times: list[tuple[object, ...]] = []
    for name, session_name, text, due, status, created, closed in ITEMS:
        item = journal.add_action_item(seeded.sessions[session_name], text, due)
        if status != "open":
            journal.set_action_status(item.id, status)
        seeded.items[name] = item.id
        item_times.append((created, closed, item.id))
    _set_times(
        journal, "UPDATE action_items SET created_at = ?, closed_at = ? WHERE id = ?", item_times
    )
    return seeded


# --- a journal with known themes --------------------------------------------------------------


@dataclass(frozen=True)
class DebriefSeed:
    """One debrief as the person answered it, step by step (the debrief flow's steps)."""

    name: str
    stamp: str
    title: str
    discussed: str
    feedback: str
    landing: str
    actions: tuple[str, ...]


#: Eight debriefs over three months. Three subjects recur, each in its own words every time:
#: the promotion case (five debriefs and one agenda), feedback in code review (four debriefs)
#: and taking on too much (three debriefs). Everything else comes up once; ``debrief-offsite``
#: spends a long answer on planning the team offsite, which must not make a theme alone.
THEMED_DEBRIEFS = (
    DebriefSeed(
        "debrief-dec",
        "2025-12-22T16:00:00+00:00",
        "Reflection on the December check-in",
        "We started on my promotion case for the spring cycle and what evidence it needs. "
        "I also admitted that I have taken on far too much: three extra projects this quarter.",
        "Marco said my promo packet lists tasks, not the impact they had.",
        "Fair point. I never thought of my work as a story for the committee.",
        ("Rewrite the promotion document around three outcomes by 9 January",),
    ),
    DebriefSeed(
        "debrief-jan-review",
        "2026-01-08T17:30:00+00:00",
        "Reflection on the January check-in",
        "Mostly about the code review on my pull request, where the reviewers left forty "
        "comments and I felt attacked. The holiday rota came up briefly.",
        "She said I answer review comments as if they were personal criticism.",
        "It stung, but I do get defensive when someone questions my code.",
        ("Wait an hour before replying to review comments",),
    ),
    DebriefSeed(
        "debrief-offsite",
        "2026-01-21T15:00:00+00:00",
        "Reflection on the January planning session",
        "We spent most of the hour planning the team offsite in Lisbon. "
        "The offsite venue needs booking before February. "
        "We listed offsite activities: a hackathon, a boat trip and a dinner. "
        "The offsite budget is tight, so we compared hotel prices. "
        "Travel to the offsite has to be approved by finance. "
        "Then a few minutes on what the promotion panel expects from a senior engineer.",
        "She said the offsite agenda has too many sessions.",
        "Agreed, the offsite schedule is packed.",
        ("Book the offsite venue by 30 January", "Ask finance about offsite travel approval"),
    ),
    DebriefSeed(
        "debrief-feb-load",
        "2026-02-03T16:45:00+00:00",
        "Reflection on the early February meeting",
        "I am overloaded again: I keep accepting every request and my evenings disappear. "
        "We also went over a tense code review where a senior dev rejected my design.",
        "Her view is that I need to say no more often and protect my focus time.",
        "Hard to hear. I agree that overcommitting is hurting the quality of my work.",
        ("Decline one new request this week", "Block two mornings for deep work"),
    ),
    DebriefSeed(
        "debrief-feb-promo",
        "2026-02-17T17:00:00+00:00",
        "Reflection on the mid-February meeting",
        "We went through my case for getting promoted to senior and which projects show "
        "leadership. The new coffee machine on our floor is broken again, which we laughed about.",
        "He thinks my self-review undersells the migration I led.",
        "I agree, I play down my own achievements.",
        ("Ask two peers for promotion feedback by 1 March",),
    ),
    DebriefSeed(
        "debrief-feb-burnout",
        "2026-02-26T16:15:00+00:00",
        "Reflection on the late February meeting",
        "Talked about my workload: too many commitments, and I feel close to burning out. "
        "We also looked at how I react when teammates critique my pull requests.",
        "She pointed out that I treat every ask as urgent and never push back.",
        "True. Saying no feels risky but I cannot keep taking on more.",
        ("Hand the reporting task over to Priya", "List what I can drop before sprint planning"),
    ),
    DebriefSeed(
        "debrief-mar-packet",
        "2026-03-05T15:30:00+00:00",
        "Reflection on the early March meeting",
        "The promotion committee meets in April, so we reviewed the draft of my packet line "
        "by line. We also chatted about her trip to a design conference.",
        "She said the packet finally shows the impact of my work.",
        "Relieved. It reads like a case for promotion now.",
        ("Send the promotion packet to my manager by 20 March",),
    ),
    DebriefSeed(
        "debrief-mar-review",
        "2026-03-10T16:00:00+00:00",
        "Reflection on the March meeting",
        "We discussed handling critical feedback in code review without taking it personally, "
        "and whether my promotion case is ready for the committee.",
        "He said my replies to reviewers are calmer and more curious now.",
        "Good to hear. Asking reviewers why has helped more than defending my code.",
        ("Thank the reviewer who caught the caching bug",),
    ),
)

#: An agenda that raises the promotion case too (prepare flow: goal, updates, topics, help).
THEMED_AGENDA = (
    "prepare-promo",
    "2026-03-03T09:00:00+00:00",
    "Agenda for the meeting with Marco",
    (
        "Get Marco's honest view on whether I am ready for the senior promotion.",
        "Shipped the billing migration.",
        "My promotion packet\nThe timeline for the promotion review",
        "Feedback on the draft of my promotion case",
    ),
)

#: A role-play in which the person, as a mentor, talks about code review: practice sessions
#: are lines of a role-play, so it must not count towards a theme.
THEMED_PRACTICE = (
    "practice-review",
    "2026-03-07T11:00:00+00:00",
    "Feedback practice: harsh code review",
    "Your code review comments have felt harsh to the team lately, can we talk about them?",
)

#: Action items closed since, with how and when.
THEMED_CLOSED = {
    "Rewrite the promotion document around three outcomes by 9 January": (
        "done",
        "2026-01-09T12:00:00+00:00",
    ),
    "Wait an hour before replying to review comments": ("done", "2026-01-20T18:00:00+00:00"),
    "Decline one new request this week": ("dropped", "2026-02-24T09:30:00+00:00"),
}
DEBRIEF_HEADINGS = (
    "What we discussed",
    "Feedback I received",
    "How it landed",
    "What I will try next",
)


def _debrief_artifact(seed: DebriefSeed) -> dict[str, object]:
    """The reflection note as guide mode compiles it: the answers, sentence by sentence."""
    answers = (seed.discussed, seed.feedback, seed.landing, "\n".join(seed.actions))
    sections = [
        {"heading": heading, "items": [s for s in re.split(r"(?<=[.!?])\s+|\n", text) if s]}
        for heading, text in zip(DEBRIEF_HEADINGS, answers, strict=True)
    ]
    return {
        "title": seed.title,
        "sections": sections,
        "action_items": [{"text": action, "due": None} for action in seed.actions],
    }


def seed_themed_journal(journal: Journal) -> Seeded:
    """Eight debriefs with three known themes, an agenda and a practice session."""
    seeded = Seeded()
    stamps: list[tuple[object, ...]] = []
    item_times: list[tuple[object, ...]] = []
    for seed in THEMED_DEBRIEFS:
        session = journal.create_session("debrief", "guide", seed.title)
        for step, answer in enumerate((seed.discussed, seed.feedback, seed.landing)):
            journal.add_turn(
                session.id, "assistant", "What would you like to reflect on?", step=step
            )
            journal.add_turn(session.id, "user", answer, step=step)
        journal.add_turn(session.id, "assistant", "Which are done?", step=3)
        journal.add_turn(session.id, "user", "none", step=3)
        journal.add_turn(session.id, "assistant", "What will you try?", step=4)
        journal.add_turn(session.id, "user", "\n".join(seed.actions), step=4)
        for action in seed.actions:
            item = journal.add_action_item(session.id, action)
            status, closed = THEMED_CLOSED.get(action, ("open", None))
            if status != "open":
                journal.set_action_status(item.id, status)
            seeded.items[action] = item.id
            item_times.append((seed.stamp, closed, item.id))
        journal.save_artifact(session.id, seed.title, _debrief_artifact(seed), f"# {seed.title}\n")
        journal.update_session(session.id, status="done")
        seeded.sessions[seed.name] = session.id
        stamps.append((seed.stamp, seed.stamp, session.id))
    name, stamp, title, answers = THEMED_AGENDA
    session = journal.create_session("prepare", "guide", title)
    for step, answer in enumerate(answers):
        journal.add_turn(session.id, "assistant", "Next question?", step=step)
        journal.add_turn(session.id, "user", answer, step=step)
    journal.update_session(session.id, status="done")
    seeded.sessions[name] = session.id
    stamps.append((stamp, stamp, session.id))
    name, stamp, title, line = THEMED_PRACTICE
    session = journal.create_session("practice", "guide", title)
    journal.add_turn(session.id, "user", line, step=1)
    seeded.sessions[name] = session.id
    stamps.append((stamp, stamp, session.id))
    _set_times(journal, "UPDATE sessions SET created_at = ?, updated_at = ? WHERE id = ?", stamps)
    _set_times(
        journal, "UPDATE action_items SET created_at = ?, closed_at = ? WHERE id = ?", item_times
    )
    return seeded
