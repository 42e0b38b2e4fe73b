"""Continuity between sessions: what ``prepare`` and ``debrief`` carry over from the journal.

``prepare`` lists the open action items and the questions saved by ``ask``; ``debrief`` asks
which open items are done and understands answers like "1 and 3", "all of them", "none" or
"I sent the deck" (words of the item itself).
"""

from __future__ import annotations

import re

from assistant.conversation.core.session_state import CarriedItem, CarriedQuestion
from assistant.conversation.core.user_text import ends_list
from assistant.journal import Journal

_NONE = re.compile(r"^\s*(none|nothing|no|nope|not yet|none of them|neither)\b", re.IGNORECASE)
_ALL = re.compile(r"\b(all|all of them|everything|both|every one)\b", re.IGNORECASE)
#: "All done except the 1:1", "everything but 2": all the items, less the ones named after.
_ALL_BUT = re.compile(
    r"\b(?:all|all of them|everything|every one)\b[^,;.]*?"
    r"\b(?:except(?: for)?|apart from|other than|besides|but(?: not)?|bar)\b(.+)",
    re.IGNORECASE,
)
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
    all_but = _ALL_BUT.search(answer)
    if all_but:
        left = _named_items(all_but.group(1), items, loosely=True)
        return [item.id for item in items if item.id not in left]
    done: list[str] = []
    for clause in re.split(r"[,;.\n]|\bbut\b", answer):
        if not clause.strip() or _NEGATION.search(clause) or _closes_list(clause):
            continue  # "1, that's all": the "all" closes the answer, it marks nothing
        if _ALL.search(clause):
            return [item.id for item in items]
        done += _named_items(clause, items)
    return list(dict.fromkeys(done))


def _closes_list(clause: str) -> bool:
    """ "that's all", "and that's it", "nothing else": the answer's end, not an item ("all
    done" here marks every item done)."""
    closing = ends_list(re.sub(r"^\s*(?:and|&)\s+", "", clause.strip()))
    return closing and not re.search(r"\bdone\b", clause, re.IGNORECASE)


def _named_items(clause: str, items: list[CarriedItem], *, loosely: bool = False) -> list[str]:
    """The ids of the items a clause names, by number or by their own words; ``loosely``
    (the short exception in "all done except the 1:1"), by any word no other item has."""
    named = [items[n - 1].id for n in item_numbers(clause) if 1 <= n <= len(items)]
    named += [item.id for item in items if _mentions(clause, item.text)]
    if loosely:
        words = [_item_words(item.text) for item in items]
        said = _meaningful(clause) | set(re.findall(r"[a-z]{3}", clause.lower()))
        for index, item in enumerate(items):
            others = set().union(*(w for i, w in enumerate(words) if i != index))
            if (words[index] - others) & said:
                named.append(item.id)
    return named


#: A number standing alone: not part of a time, ratio, range, date or decimal ("1:1",
#: "2-3 weeks", "3/4", "14th", "1.5") and not a quantity ("2 weeks", "3 times", "10%").
_NUMBER = (
    r"#?(\d{1,2})(?![\w:/%]|[-–]\d|\.\d)"
    r"(?!\s*(?:weeks?|wks?|days?|hours?|hrs?|h|mins?|minutes?|months?|years?|times?|"
    r"people|pm|am|o'?clock|of)\b)"
)
_ALONE = r"(?<![\w:/.\-–])"
#: Words an answer may put around item numbers ("did 1 and 3", "2 is done", "item 4").
_AROUND_NUMBERS = (
    r"(?:did|done|finished|completed|complete|closed|ticked(?: off)?|i|i've|ive|i have|have|"
    r"items?|numbers?|no\.?|nos\.?|ok|okay|yes|yep|yeah|so|well|only|just|and)"
)
#: Numbers that open a clause, joined by "and", "&", "+" or "or": "1 and 3", "did 2".
_LEADING_NUMBERS = re.compile(
    rf"^\s*(?:{_AROUND_NUMBERS}\s+)*{_ALONE}({_NUMBER}(?:\s*(?:and|&|\+|or)?\s*{_NUMBER})*)",
    re.IGNORECASE,
)
#: A number named as an item anywhere in a clause: "item 2", "number 3", "#4", "no. 1".
_NAMED_NUMBER = re.compile(rf"(?:\b(?:item|number|no\.)\s*|#){_NUMBER}", re.IGNORECASE)
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
#: "the second one", "the third item", "1st one".
_ORDINAL_ITEM = re.compile(
    rf"\b(?:({'|'.join(_ORDINALS)})|(\d)(?:st|nd|rd|th))\s+(?:one|item|thing|action)\b",
    re.IGNORECASE,
)


def item_numbers(clause: str) -> list[int]:
    """The item numbers a clause names: numbers that open it ("1 and 3", "did 2"), or a
    number named as an item ("item 2", "#3", "the second one"). A number inside the words
    of a story is not an item number: "booked the 1:1", "in 2-3 weeks", "by the 14th"."""
    numbers: list[int] = []
    leading = _LEADING_NUMBERS.match(clause)
    if leading:
        numbers += [int(n) for n in re.findall(rf"{_ALONE}{_NUMBER}", leading.group(1))]
    numbers += [int(n) for n in _NAMED_NUMBER.findall(clause)]
    for word, digit in _ORDINAL_ITEM.findall(clause):
        numbers.append(_ORDINALS.index(word.lower()) + 1 if word else int(digit))
    return list(dict.fromkeys(numbers))


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


#: The ways people write a one-to-one meeting, read as one word: "1:1", "one-on-one", "1-1".
_ONE_ON_ONE = re.compile(
    r"(?<![\w:])(?:1\s*(?:[:/-]|on|to)\s*1|one[\s-]+(?:on|to)[\s-]+one)(?![\w:])", re.I
)
#: A name in an item ("Book a 1:1 with Sam"): short, but as telling as any other word.
_NAME = re.compile(r"(?<=\s)[A-Z][a-z]{2}\b")


def _mentions(clause: str, item_text: str) -> bool:
    """True when the clause holds most of the item's meaningful words (stems of 4+ letters,
    and names): "booked the one-on-one with Sam" mentions "Book a 1:1 with Sam"."""
    wanted = _item_words(item_text)
    if not wanted:
        return False
    said = _meaningful(clause) | set(re.findall(r"[a-z]{3}", clause.lower()))
    needed = min(len(wanted), max(2, (len(wanted) + 1) // 2))
    return len(wanted & said) >= needed


def _item_words(item_text: str) -> set[str]:
    """The words that identify an item: stems of its longer words, and its names."""
    names = {name.lower() for name in _NAME.findall(item_text)}
    return (_meaningful(item_text) | names) - _STOPWORDS


def _meaningful(text: str) -> set[str]:
    words = re.findall(r"[a-z]{4,}", _ONE_ON_ONE.sub(" oneonone ", text.lower()))
    return {_stem(word) for word in words}


def _stem(word: str) -> str:
    """The word without its ending, so "booked" and "book", "shared" and "share" meet."""
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3 and not word.endswith("ss"):
            word = word[: -len(ending)]
            break
    return word.rstrip("e")[:5] if len(word) > 3 else word
