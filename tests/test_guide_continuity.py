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


MEETING_ITEMS = [
    CarriedItem("a", "Rewrite my review checklist by the 14th"),
    CarriedItem("b", "Book a 1:1 with Sam in 2-3 weeks"),
    CarriedItem("c", "Send Priya the deck"),
]


@pytest.mark.parametrize(
    ("answer", "done"),
    [
        # a number inside the words of a story is not an item number
        ("booked the 1:1 with Sam", ["b"]),
        ("had my one-on-one with Sam on the 14th", ["b"]),
        ("none yet, the checklist is planned for 2-3 weeks from now", []),
        ("I spent 3 days on the checklist but it's still open", []),
        ("Priya got the deck. The 1:1 not yet", ["c"]),
        # numbers that are item numbers
        ("did 1 and 3", ["a", "c"]),
        ("#2", ["b"]),
        ("the second one", ["b"]),
        ("3 is done", ["c"]),
        ("all done except the 1:1", ["a", "c"]),
        ("everything but 2", ["a", "c"]),
    ],
)
def test_item_numbers_are_told_from_numbers_in_a_story(answer: str, done: list[str]) -> None:
    assert items_marked_done(answer, MEETING_ITEMS) == done
