"""Continuity between sessions: what ``prepare`` and ``debrief`` carry over from the journal.

``prepare`` lists the open action items and the questions saved by ``ask``; ``debrief`` asks
which open items are done and understands answers like "1 and 3", "all of them", "none" or
"I sent the deck" (words of the item itself).
"""

from __future__ import annotations

import re

from assistant.conversation.core.session_state import CarriedItem, CarriedQuestion
from assistant.journal import Journal

_NONE = re.compile(r"^\s*(none|nothing|no|nope|not yet|none of them|neither)\b", re.IGNORECASE)
_ALL = re.compile(r"\b(all|all of them|everything|both|every one)\b", re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(not|n't|no|never|yet|still|pending|haven't|didn't|couldn't|wasn't|open|started|"
    r"working on|in progress)\b",
    re.IGNORECASE,
)
_STOPWORDS = {
    "with", "that", "this", "from", "about", "into", "them", "they", "their", "have", "will",
    "would", "could", "should", "before", "after", "next", "week", "friday", "monday", "by",
    "the", "and", "for", "ask", "my", "your", "our",
}  # fmt: skip


#: How many open action items and saved questions a session carries over. Past a handful an
#: agenda stops being one; the rest stay in the journal for a later session.
MAX_CARRIED = 8


def open_items(journal: Journal) -> tuple[list[CarriedItem], int]:
    """The open action items a session carries (due soonest first), and how many it leaves."""
    items = journal.action_items("open")
    carried = [CarriedItem(item.id, item.text, item.due) for item in items[:MAX_CARRIED]]
    return carried, len(items) - len(carried)


def unused_questions(journal: Journal) -> tuple[list[CarriedQuestion], int]:
    """The questions saved by ``ask`` that no meeting used yet, and how many it leaves."""
    questions = journal.unused_questions()
    carried = [CarriedQuestion(q.id, q.text) for q in questions[:MAX_CARRIED]]
    return carried, len(questions) - len(carried)


def left_out_note(count: int, what: str) -> str:
    """The line under a shortened listing, e.g. "…and 3 more open action items in your journal"."""
    return f"…and {count} more {what} in your journal." if count else ""


def numbered(items: list[CarriedItem]) -> str:
    lines = []
    for number, item in enumerate(items, start=1):
        due = f" (due {item.due})" if item.due else ""
        lines.append(f"{number}. {item.text}{due}")
    return "\n".join(lines)


def items_marked_done(answer: str, items: list[CarriedItem]) -> list[str]:
    """The ids of the items the answer says are done."""
    if not items or _NONE.match(answer):
        return []
    done: list[str] = []
    for clause in re.split(r"[,;.\n]|\bbut\b", answer):
        if not clause.strip() or _NEGATION.search(clause):
            continue
        if _ALL.search(clause):
            return [item.id for item in items]
        for number in re.findall(r"\b(\d{1,2})\b", clause):
            if 1 <= int(number) <= len(items):
                done.append(items[int(number) - 1].id)
        for item in items:
            if _mentions(clause, item.text):
                done.append(item.id)
    return list(dict.fromkeys(done))


_DONE_WORDS = re.compile(
    r"\b(done|finished|finally|sent|shipped|completed|booked|did|wrapped|submitted|emailed|"
    r"had|talked|spoke|wrote|written|published|presented|asked|read|met|closed|delivered|"
    r"got|made|set up|signed|started|ticked off)\b",
    re.IGNORECASE,
)


def items_reported_done(answer: str, items: list[CarriedItem]) -> list[CarriedItem]:
    """Open items that an answer to some other question says are done ("I sent the deck").

    Only words of the item itself count here (a number in a story is not an item number),
    and only in a clause that says something was done and does not deny it.
    """
    reported: list[CarriedItem] = []
    for clause in re.split(r"[,;.\n]|\bbut\b|\band\b", answer):
        if not _DONE_WORDS.search(clause) or _NEGATION.search(clause):
            continue
        for item in items:
            if item not in reported and _mentions(clause, item.text):
                reported.append(item)
    return reported


def close_offer(items: list[CarriedItem]) -> str:
    """The line that offers to close the items an answer reported as done."""
    if not items:
        return ""
    named = "; ".join(f"“{item.text}”" for item in items)
    commands = ", ".join(f"`reflect actions --done {item.id}`" for item in items)
    return (
        f"That sounds like {named} {'is' if len(items) == 1 else 'are'} done. "
        f"Close {'it' if len(items) == 1 else 'them'} with {commands}, "
        "or in the Journal's action items."
    )


def _mentions(clause: str, item_text: str) -> bool:
    """True when the clause holds most of the item's meaningful words (stems of 4+ letters)."""
    wanted = {_stem(word) for word in re.findall(r"[a-z]{4,}", item_text.lower())} - _STOPWORDS
    if not wanted:
        return False
    said = {_stem(word) for word in re.findall(r"[a-z]{4,}", clause.lower())}
    needed = min(len(wanted), max(2, (len(wanted) + 1) // 2))
    return len(wanted & said) >= needed


def _stem(word: str) -> str:
    return word[:5]
