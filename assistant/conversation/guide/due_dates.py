"""Due dates in the words people use: "by Friday", "next week", "in 2 weeks", "by 3 March".

Everything is relative to a given ``today`` so that results are reproducible. The phrase is
found anywhere in an action item's text; the text itself is kept as the user wrote it.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "a couple of": 2,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}

_WEEKDAY = r"(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?"
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
)
_AMOUNT = (
    r"(\d{1,3}|a couple of|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
)

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(\d{4}))?"
_DAY_MONTH = re.compile(rf"\b{_ORDINAL}(?:\s+of)?\s+{_MONTH}\.?{_YEAR}\b")
_MONTH_DAY = re.compile(rf"\b{_MONTH}\.?\s+{_ORDINAL}\b{_YEAR}")
_IN_AMOUNT = re.compile(rf"\bin\s+{_AMOUNT}\s+(day|week|month)s?\b")
_NEXT_WEEKDAY = re.compile(rf"\bnext\s+{_WEEKDAY}\b")
_WEEKDAY_PHRASE = re.compile(rf"\b(?:by|on|before|this|until|till|due)\s+{_WEEKDAY}\b")
_BARE_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
_ORDINAL_DAY = re.compile(r"\b(?:by|on|before)\s+the\s+(\d{1,2})(?:st|nd|rd|th)\b")


#: Chat-speak for dates, spelled out before reading ("this wknd", "by eow", "in 2 wks").
_SHORTHAND = {
    "wknd": "weekend",
    "wkend": "weekend",
    "wk": "week",
    "wks": "weeks",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmrow": "tomorrow",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "eod": "end of day",
    "eow": "end of week",
    "eom": "end of month",
    "b4": "before",
}
_SHORTHAND_RE = re.compile(r"\b(" + "|".join(_SHORTHAND) + r")\b")


def parse_due(text: str, today: date) -> date | None:
    """The due date a phrase in ``text`` names, or None when it names none."""
    lowered = " ".join(text.lower().split())
    lowered = _SHORTHAND_RE.sub(lambda match: _SHORTHAND[match[1]], lowered)
    for finder in _FINDERS:
        found = finder(lowered, today)
        if found is not None:
            return found
    return None


def _iso(text: str, today: date) -> date | None:
    match = _ISO.search(text)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _calendar_date(text: str, today: date) -> date | None:
    match = _DAY_MONTH.search(text)
    if match:
        return _dated(int(match[1]), _month_number(match[2]), match[3], today)
    match = _MONTH_DAY.search(text)
    if match:
        return _dated(int(match[2]), _month_number(match[1]), match[3], today)
    return None


def _dated(day: int, month: int, year: str | None, today: date) -> date | None:
    try:
        if year:
            return date(int(year), month, day)
        candidate = date(today.year, month, day)
        return candidate if candidate >= today else date(today.year + 1, month, day)
    except ValueError:
        return None


def _relative_words(text: str, today: date) -> date | None:
    if re.search(r"\b(today|tonight|end of (the )?day)\b", text):
        return today
    if re.search(r"\btomorrow\b", text):
        return today + timedelta(days=1)
    if re.search(r"\bnext week\b", text):
        return _friday_of_week(today + timedelta(weeks=1))
    if re.search(r"\b(this week|end of (the )?week)\b", text):
        return max(today, _friday_of_week(today))
    if re.search(r"\b(?:this|the|by the|over the) weekend\b", text):
        return _friday_of_week(today) + timedelta(days=2)  # its Sunday
    if re.search(r"\bnext month\b", text):
        return _end_of_month(_add_months(today, 1))
    if re.search(r"\b(this month|end of (the )?month)\b", text):
        return _end_of_month(today)
    return None


def _in_amount(text: str, today: date) -> date | None:
    match = _IN_AMOUNT.search(text)
    if not match:
        return None
    amount = int(match[1]) if match[1].isdigit() else NUMBER_WORDS[match[1]]
    unit = match[2]
    if unit == "day":
        return today + timedelta(days=amount)
    if unit == "week":
        return today + timedelta(weeks=amount)
    return _add_months(today, amount)


def _weekday(text: str, today: date) -> date | None:
    match = _NEXT_WEEKDAY.search(text)
    if match:
        target = _weekday_number(match[1])
        monday_next_week = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
        return monday_next_week + timedelta(days=target)
    match = _WEEKDAY_PHRASE.search(text) or _BARE_WEEKDAY.search(text)
    if match:
        return _next_occurrence(today, _weekday_number(match[1]))
    return None


def _ordinal_day(text: str, today: date) -> date | None:
    match = _ORDINAL_DAY.search(text)
    if not match:
        return None
    day = int(match[1])
    for months_ahead in (0, 1, 2):
        month_start = _add_months(today.replace(day=1), months_ahead)
        if day <= calendar.monthrange(month_start.year, month_start.month)[1]:
            candidate = month_start.replace(day=day)
            if candidate >= today:
                return candidate
    return None


_FINDERS = (_iso, _calendar_date, _in_amount, _relative_words, _weekday, _ordinal_day)


def _weekday_number(prefix: str) -> int:
    return next(i for i, name in enumerate(WEEKDAYS) if name.startswith(prefix[:3]))


def _month_number(prefix: str) -> int:
    return next(i for i, name in enumerate(MONTHS, start=1) if name.startswith(prefix[:3]))


def _next_occurrence(today: date, weekday: int) -> date:
    """The next such weekday strictly after today ("by Friday" said on a Friday: next week)."""
    days = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=days)


def _friday_of_week(day: date) -> date:
    return day - timedelta(days=day.weekday()) + timedelta(days=4)


def _end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
