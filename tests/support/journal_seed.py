"""A small journal with fixed dates, for the journal and insights screens' tests and snapshots.

Rows are written through the real :class:`Journal` API; only their timestamps are then set
with SQL on a second connection, because the journal stamps every write with the clock.
"""

from __future__ import annotations

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
