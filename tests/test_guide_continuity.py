"""Debrief understands which of last time's action items the mentee says are done."""

from __future__ import annotations

import pytest

from assistant.conversation.core.session_state import CarriedItem
from assistant.conversation.guide.continuity import items_marked_done

ITEMS = [
    CarriedItem("a", "Send the deck to Maria by Friday"),
    CarriedItem("b", "Book a session with the design lead"),
    CarriedItem("c", "Write down three wins every week"),
]


@pytest.mark.parametrize(
    ("answer", "done"),
    [
        ("1 and 3", ["a", "c"]),
        ("3", ["c"]),
        ("all of them", ["a", "b", "c"]),
        ("none", []),
        ("Nothing yet, sorry", []),
        ("2 done, 1 not yet", ["b"]),
        ("I sent the deck to Maria, but not the design lead session", ["a"]),
        ("Booked the session with the design lead last Tuesday", ["b"]),
        ("7", []),
    ],
)
def test_done_items(answer: str, done: list[str]) -> None:
    assert items_marked_done(answer, ITEMS) == done
