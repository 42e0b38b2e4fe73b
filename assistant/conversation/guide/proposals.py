"""A mentor's proposal, read so the simulated mentee can answer it in the mentor's own terms.

"Could we meet Tuesday and Thursday at 10 to go through the data together?" is read as the
step ("meet Tuesday and Thursday at 10 to go through the data together"), who does it (we),
its days (Tuesday, Thursday) and its times (at 10). The mentee's answer repeats those terms
from its own side ("I'll send you the draft by Wednesday" for "Can you send me the draft by
Wednesday?"), so it never answers with days the mentor did not propose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from assistant.conversation.guide.wording import base_of_gerund, base_of_past, upper_first


class Owner(StrEnum):
    MENTEE = "mentee"
    MENTOR = "mentor"
    BOTH = "both"


_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_DAYS_RE = re.compile(rf"\b{_DAY}s?\b", re.IGNORECASE)
_TIMES_RE = re.compile(
    r"\b(?:at \d{1,2}(?:[:.]\d\d)?(?:\s?[ap]m)?|\d{1,2}(?:[:.]\d\d)?\s?[ap]m|noon|midday)\b",
    re.IGNORECASE,
)
_OPENERS: list[tuple[re.Pattern[str], Owner]] = [
    (re.compile(p, re.IGNORECASE), owner)
    for p, owner in [
        (r"^(?:so,? |ok,? |okay,? )?(?:let's|let us) (?:agree (?:that )?|have you )", Owner.MENTEE),
        (r"^(?:so,? |ok,? |okay,? )?(?:let's|let us) ", Owner.BOTH),
        (r"^(?:shall|can|could|should) we (?:agree (?:that )?)?", Owner.BOTH),
        (r"^(?:how|what) about (?:if )?we ", Owner.BOTH),
        (r"^(?:what if|why don't) we ", Owner.BOTH),
        (r"^(?:how about|what if|why don't) you ", Owner.MENTEE),
        (r"^(?:maybe|perhaps) you could ", Owner.MENTEE),
        (r"^(?:we'll|we will|we can|we could) ", Owner.BOTH),
        (r"^would you be (?:willing|able|happy|ok|okay|up for it) to ", Owner.MENTEE),
        (r"^would you mind ", Owner.MENTEE),
        (r"^(?:can|could|will|would) you (?:please )?", Owner.MENTEE),
        (r"^i(?:'d| would) like (?:you to |us to )", Owner.MENTEE),
        (r"^i (?:want|need) you to ", Owner.MENTEE),
        (r"^(?:please |just )?", Owner.MENTEE),
    ]
]
_LEAD_IN = re.compile(
    r"^(?:so,? |ok,? |okay,? )?(?:how about|what if),? ((?:for|over|from|in|on|during|until|"
    r"starting|this|next|after|before)(?: [\w']+){0,5},?) (you|we) ",
    re.IGNORECASE,
)
"""A suggestion with a time phrase before whoever does it: "How about for the next two weeks
you hold your comments…"."""
_MENTOR_OPENER = re.compile(r"^(?:i'll|i will|i can|i could) ", re.IGNORECASE)
"""A step the mentor takes on: its action is kept as "you send me…" for the mentee."""
_WOULD_HELP = re.compile(r"^would it help (?:to |if )", re.IGNORECASE)
_SWAPS = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "i'll": "you'll",
    "i've": "you've",
    "i'd": "you'd",
    "your": "my",
    "yours": "mine",
    "yourself": "myself",
    "you're": "I'm",
    "you'll": "I'll",
    "you've": "I've",
    "you'd": "I'd",
}
_SUBJECT_POSITION = {
    *("", "and", "that", "if", "when", "then", "so", "but", "or", "where", "before", "after"),
    *("until", "till", "once", "while", "because", "unless", "since", "whenever", "though"),
}


@dataclass(frozen=True)
class Proposal:
    """What the mentor proposed: the step in the mentee's voice, who does it, and when."""

    step: str
    owner: Owner
    days: tuple[str, ...]
    times: tuple[str, ...]
    #: A time phrase the mentor put before the step ("How about, for the next two weeks,
    #: you…"): the mentee says it first ("For the next two weeks, I'll…").
    lead: str = ""

    def without_day(self, day: str) -> str:
        """The step with one of several proposed slots taken out ("Tuesday and Thursday at
        10" -> "Thursday at 10", "Wednesday at 2pm and Friday at 11am" -> "Friday at 11am")."""
        when = r"(?: (?:at )?\d{1,2}(?:[:.]\d\d)?\s?(?:[ap]m)?| morning| afternoon)?"
        slot = rf"{day}s?{when}"
        # Only a slot joined to another day is an alternative ("Tuesday and Thursday"); a
        # day for another part of the step ("by Friday, and we check in Tuesday") is not.
        text = re.sub(rf"\b{slot},?\s+(?:and|or|&)\s+(?=(?:on )?{_DAY})", "", self.step, flags=re.I)
        return re.sub(
            rf"(\b{_DAY}s?{when}),?\s+(?:and|or|&)\s+(?:on )?{slot}", r"\1", text, flags=re.I
        )


def read_proposal(sentence: str) -> Proposal:
    text = " ".join(sentence.strip().rstrip("?.!").split())
    days = tuple(dict.fromkeys(m[0].capitalize().rstrip("s") for m in _DAYS_RE.finditer(text)))
    times = tuple(dict.fromkeys(m[0] for m in _TIMES_RE.finditer(text)))
    if _MENTOR_OPENER.match(text):
        return Proposal(f"you {_flipped(_MENTOR_OPENER.sub('', text))}", Owner.MENTOR, days, times)
    if _WOULD_HELP.match(text):
        return Proposal(_flipped(_WOULD_HELP.sub("", text)), Owner.BOTH, days, times)
    lead_in = _LEAD_IN.match(text)
    if lead_in and lead_in.end() < len(text):
        verb, _, rest = text[lead_in.end() :].partition(" ")
        owner = Owner.MENTEE if lead_in[2].lower() == "you" else Owner.BOTH
        step = _flipped(f"{base_of_past(verb)} {rest}".strip())
        return Proposal(step, owner, days, times, lead_in[1].strip(" ,"))
    for opener, owner in _OPENERS:
        match = opener.match(text)
        if match and match.end() < len(text):
            step = text[match.end() :]
            verb, _, rest = step.partition(" ")
            if re.search(r"(?:what if|how about) you $", match[0], re.IGNORECASE):
                step = f"{base_of_past(verb)} {rest}".strip()  # "what if you sent…"
            elif match[0].lower().endswith("mind ") and verb.lower().endswith("ing"):
                step = f"{base_of_gerund(verb)} {rest}".strip()  # "would you mind sending…"
            return Proposal(_flipped(step), owner, days, times)
    return Proposal(_flipped(text), Owner.MENTEE, days, times)


def accepted(proposal: Proposal, step: str | None = None) -> str:
    """The mentee taking the step as proposed, in its own voice."""
    words = step or proposal.step
    if proposal.owner is Owner.MENTOR:
        return f"Thanks, that would help. Once {words},"
    if proposal.lead:
        who = "let's" if proposal.owner is Owner.BOTH else "I'll"
        return f"Okay. {upper_first(proposal.lead)}, {who} {words}."
    if re.match(r"^I (?!'|will\b|can\b|could\b|would\b|should\b|must\b)", words):
        return f"Okay, agreed: I'll {words.removeprefix('I ')}."
    if re.match(r"^(?:I\b|I'|we\b|we'|you\b|you'|it\b|it')", words):
        return f"Okay, agreed: {words}."
    if _CLAUSE_FIRST.match(words):
        # "before I take anything new on, I check with you first": a whole clause, agreed to
        return f"Okay, agreed: {upper_first(words)}."
    if proposal.owner is Owner.BOTH:
        return f"Okay, let's {words}."
    return f"Okay, I'll {words}."


#: A step that opens on a clause of its own ("before I take anything new on, I check…").
_CLAUSE_FIRST = re.compile(
    r"^(?:before|after|until|once|when|whenever|if|while|as soon as|unless)\b[^,]+,\s*"
    r"(?:I|we|you)\b",
    re.IGNORECASE,
)


def counter_offer(proposal: Proposal, step: str) -> str:
    """The same step, asked back with fewer of the mentor's slots."""
    who = "I" if proposal.owner is Owner.MENTEE else "we"
    return f"Could {who} just {step}?"


def confirmed_terms(line: str) -> str:
    """ "Okay, Thursday at 10 then." -> "Thursday at 10": the days and times a short
    confirmation names, in the mentor's words, or "" when it names none."""
    text = line.strip().rstrip(".!?")
    if len(text.split()) > 8:
        return ""
    found = re.search(
        rf"\b{_DAY}s?\b(?:\s+(?:at\s+)?\d{{1,2}}(?:[:.]\d\d)?(?:\s?[ap]m)?)?", text, re.IGNORECASE
    )
    return found[0] if found else ""


def _flipped(text: str) -> str:
    """The words from the other side of the conversation: I <-> you, my <-> your."""
    words = text.split()
    out = []
    for index, word in enumerate(words):
        core = word.rstrip(",;:")
        tail = word[len(core) :]
        lowered = core.lower()
        if lowered == "you":
            before = words[index - 1].lower() if index else ""
            # after a clause ("…new on, you check"), "you" starts the next one: a subject
            subject = before.rstrip(",;:") in _SUBJECT_POSITION or before.endswith((",", ";"))
            swapped = "I" if subject else "me"
        else:
            swapped = _SWAPS.get(lowered, core)
        if lowered in _SWAPS and swapped.startswith("i") and swapped[1:2] in ("", "'"):
            swapped = upper_first(swapped)
        out.append(swapped + tail)
    return " ".join(out)
