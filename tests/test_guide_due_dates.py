"""Due dates in everyday words become dates, relative to a fixed today."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.conversation.guide.due_dates import parse_due

WEDNESDAY = date(2025, 3, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Send the deck by Friday", date(2025, 3, 7)),
        ("Call Tom tomorrow", date(2025, 3, 6)),
        ("Draft the plan today", date(2025, 3, 5)),
        ("Finish the summary next week", date(2025, 3, 14)),
        ("Ask for feedback in 2 weeks", date(2025, 3, 19)),
        ("Ask for feedback in two weeks", date(2025, 3, 19)),
        ("Review the goals in three days", date(2025, 3, 8)),
        ("Book a session next Monday", date(2025, 3, 10)),
        ("Present it on Wednesday", date(2025, 3, 12)),
        ("Submit the form by 20 March", date(2025, 3, 20)),
        ("Submit the form by March 20th", date(2025, 3, 20)),
        ("Submit the form by 3 March", date(2026, 3, 3)),
        ("Hand it in on 2025-04-01", date(2025, 4, 1)),
        ("Reply by the 12th", date(2025, 3, 12)),
        ("Wrap up by the end of the month", date(2025, 3, 31)),
        ("Decide next month", date(2025, 4, 30)),
        ("Write it up in a couple of weeks", date(2025, 3, 19)),
    ],
)
def test_phrases_become_dates(text: str, expected: date) -> None:
    assert parse_due(text, WEDNESDAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Practise saying no",
        "Send 3 marketing emails",
        "I sat down with Sue about the sun-lit office",
        "May I ask for more time",
        "Check in 2 hours",
    ],
)
def test_no_date_is_invented(text: str) -> None:
    assert parse_due(text, WEDNESDAY) is None


def test_by_friday_said_on_a_friday_means_next_week() -> None:
    friday = date(2025, 3, 7)
    assert parse_due("by Friday", friday) == date(2025, 3, 14)
