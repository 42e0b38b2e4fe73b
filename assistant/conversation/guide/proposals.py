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

from assistant.conversation.guide.understanding import ACTION_VERBS
from assistant.conversation.guide.wording import (
    base_of_gerund,
    base_of_past,
    upper_first,
)


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
_FILLERS = re.compile(
    r"^(?:(?:ok|okay|so|well|right|alright|all right|hmm+|um+|uh+|and|then|yeah|look|listen|"
    r"hey)\b[,.]?\s+)+",
    re.IGNORECASE,
)
"""Words a mentor starts with before proposing ("ok so how about…"): never part of the step."""
_SOFTENERS = re.compile(r"^(?:(?:maybe|perhaps|possibly|just|please|also|kindly),?\s+)+", re.I)
"""Hedges between the ask and the step ("could you maybe…"): not part of the step either."""
_HYPOTHETICAL = re.compile(r"^(?:how about|what if|what about|why don't)\b", re.IGNORECASE)
"""Openers whose step may be worded in the past ("what if you sent…")."""
_OPENERS: list[tuple[re.Pattern[str], Owner]] = [
    (re.compile(p, re.IGNORECASE), owner)
    for p, owner in [
        (r"^(?:let's|let us) (?:agree (?:that )?|have you )", Owner.MENTEE),
        (r"^(?:let's|let us) ", Owner.BOTH),
        (r"^(?:shall|can|could|should) we (?:agree (?:that )?)?", Owner.BOTH),
        (r"^(?:how|what) about (?:if )?we ", Owner.BOTH),
        (r"^(?:what if|why don't) we ", Owner.BOTH),
        (r"^(?:how about|what if|why don't) you ", Owner.MENTEE),
        (r"^(?:how about|what if|what about),? (?:if,? )?", Owner.MENTEE),
        (r"^(?:maybe |perhaps )?you (?:could|should|might|can) ", Owner.MENTEE),
        (r"^(?:we'll|we will|we can|we could|we should) ", Owner.BOTH),
        (r"^would you be (?:willing|able|happy|ok|okay|up for it) to ", Owner.MENTEE),
        (r"^would you mind ", Owner.MENTEE),
        (r"^(?:can|could|will|would) you (?:please )?", Owner.MENTEE),
        (r"^i(?:'d| would) like us to ", Owner.BOTH),
        (r"^i(?:'d| would) like (?:you to |(?:it )?if you )", Owner.MENTEE),
        (r"^i (?:want|need) us to ", Owner.BOTH),
        (r"^i (?:want|need) you to ", Owner.MENTEE),
        (r"^i (?:suggest|propose|recommend)(?: that)? ", Owner.MENTEE),
        (r"^(?:please |just )?", Owner.MENTEE),
    ]
]
_PAIR = r"(?:you (?:and|&) (?:i|me)|(?:i|me) (?:and|&) you)"
_LEAD = re.compile(
    rf"^((?:for|over|from|in|on|during|starting|this|next)(?: (?!you\b|we\b)[\w']+){{0,5}}"
    rf"(?=,| (?:{_PAIR}|you|we) )|"
    r"(?:before|after|until|till|once|when|whenever|while|if|as soon as|unless|by)\b[^,?]*?"
    rf"(?=,| {_PAIR} | we )),?\s*",
    re.IGNORECASE,
)
"""A time phrase or a clause before whoever does the step ("for the next two weeks, before
you take anything new on, you check with me"): the mentee says it first, in its own voice."""
_SUBJECT = re.compile(r"^(you|we) ", re.IGNORECASE)
_LATER_SUBJECT = re.compile(
    r"\b((?:and|then|and then),? (?:I|we|you)) (?!'|will\b|won't\b|can\b|could\b|would\b|"
    r"should\b|must\b|might\b|may\b|do\b|don't\b|did\b|are\b|were\b|was\b|have\b|"
    r"had\b|am\b|also\b)([a-z]+)\b"
)
"""A second part of the step with its own subject ("…and we look at my list together"): it
is agreed in the future too ("…and we'll look…")."""
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
    text = _FILLERS.sub("", text)
    text = _BOTH_ASKED.sub(r"\1we", text)  # "could you and I go through…" asks for both
    days = tuple(dict.fromkeys(m[0].capitalize().rstrip("s") for m in _DAYS_RE.finditer(text)))
    times = tuple(dict.fromkeys(m[0] for m in _TIMES_RE.finditer(text)))
    if _MENTOR_OPENER.match(text):
        return Proposal(f"you {_flipped(_MENTOR_OPENER.sub('', text))}", Owner.MENTOR, days, times)
    if _WOULD_HELP.match(text):
        return Proposal(_flipped(_WOULD_HELP.sub("", text)), Owner.BOTH, days, times)
    for opener, owner in _OPENERS:
        match = opener.match(text)
        if not match or match.end() >= len(text):
            continue
        hypothetical = bool(_HYPOTHETICAL.match(text))
        rest = _SOFTENERS.sub("", text[match.end() :])
        lead = ""
        while (clause := _LEAD.match(rest)) and clause.end() < len(rest):
            lead = f"{lead}, {clause[1].strip(' ,')}" if lead else clause[1].strip(" ,")
            rest = rest[clause.end() :]
        rest = re.sub(rf"^{_PAIR}\b", "we", rest, flags=re.IGNORECASE)  # both of them
        if subject := _SUBJECT.match(rest):
            owner = Owner.MENTEE if subject[1].lower() == "you" else Owner.BOTH
            rest = rest[subject.end() :]
        verb, _, words = rest.partition(" ")
        if hypothetical:
            verb = base_of_past(verb)  # "what if you sent…"
        elif match[0].lower().endswith("mind ") and verb.lower().endswith("ing"):
            verb = base_of_gerund(verb)  # "would you mind sending…"
        step = _later_parts_agreed(_flipped(f"{verb} {words}".strip()), hypothetical)
        return Proposal(step, owner, days, times, _flipped(lead))
    return Proposal(_flipped(text), Owner.MENTEE, days, times)


def _later_parts_agreed(step: str, hypothetical: bool) -> str:
    """ "check with you and we look at my list" -> "check with you and we'll look at my
    list": each later part of the step is agreed to, like the first."""

    def agreed(match: re.Match[str]) -> str:
        verb = base_of_past(match[2]) if hypothetical else match[2]
        return f"{match[1]}'ll {verb}"

    return _LATER_SUBJECT.sub(agreed, step)


def accepted(proposal: Proposal, step: str | None = None) -> str:
    """The mentee taking the step as proposed, in its own voice."""
    words = step or proposal.step
    if proposal.owner is Owner.MENTOR:
        return f"Thanks, that would help. Once {words},"
    if proposal.lead:
        who = "we'll" if proposal.owner is Owner.BOTH else "I'll"
        return f"Okay. {upper_first(proposal.lead)}, {who} {words}."
    if re.match(r"^I (?!'|will\b|can\b|could\b|would\b|should\b|must\b)", words):
        return f"Okay, agreed: I'll {words.removeprefix('I ')}."
    if re.match(r"^(?:I\b|I'|we\b|we'|you\b|you'|it\b|it')", words):
        return f"Okay, agreed: {words}."
    words = _step_mid_sentence(words)  # "Send me a note…" is agreed as "I'll send you…"
    if proposal.owner is Owner.BOTH:
        return f"Okay, we'll {words}."  # agreed, not the mentor's "let's" said back
    return f"Okay, I'll {words}."


def _step_mid_sentence(step: str) -> str:
    """A step as it goes after "I'll": its first word lowered when it is a verb (the mentor's
    imperative "Send…"), kept when it is a name or a day ("Thursday at 10")."""
    first = step.split(" ", 1)[0]
    if first[:1].isupper() and first.lower() in ACTION_VERBS:
        return first.lower() + step[len(first) :]
    return step


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


#: Both sides named together: the same words from either side ("you and me" stays).
_BOTH_OF_US = re.compile(r"\b(?:you (?:and|&) (?:me|i)|(?:me|i) (?:and|&) you)\b", re.IGNORECASE)


_BOTH_ASKED = re.compile(
    rf"^((?:could|can|shall|should|would|will) ){_BOTH_OF_US.pattern}", re.IGNORECASE
)


def _flipped(text: str) -> str:
    """The words from the other side of the conversation: I <-> you, my <-> your; "you and
    me" names both sides and stays as it is (never "I and you")."""
    parts, pairs = _BOTH_OF_US.split(text), _BOTH_OF_US.findall(text)
    out = _flipped_words(parts[0])
    for pair, part in zip(pairs, parts[1:], strict=True):
        gap = "" if part[:1] in ",;:.!?" else " "
        out = f"{out} {pair}{gap}{_flipped_words(part)}".strip()
    return out


def _flipped_words(text: str) -> str:
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
