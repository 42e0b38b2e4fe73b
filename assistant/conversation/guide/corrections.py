"""People change their mind while they write: the sentence they take back is not what they mean.

"At first I thought she was right about the slides. Actually no, thinking about it, the text
was there for a reason" doubts the slides feedback; it does not also accept it. "I want to ask
whether I should switch teams. Well, actually, it's less about the switch and more that I don't
know if I'm any good at backend work" is about the second sentence. A sentence that opens on a
correction ("actually no", "on second thought", "scratch that", "thinking about it", "it's
less about…", or "now I think…" after "at first I thought…") takes back the sentence before
it; the correction's own lead-in ("Actually no, thinking about it,") is not part of what it
says.
"""

from __future__ import annotations

import re

#: Filler before a correction ("Well, actually…", "Hmm, no wait…").
_FILLER = r"(?:(?:well|hmm+|ok|okay|so|and|but|oh|no|um+),?\s+)*"
#: Words that open a correction of the sentence before.
_CORRECTION = (
    r"(?:actually,?\s+no\b|no,?\s+wait\b|wait,?\s+no\b|on second thoughts?\b|on reflection\b|"
    r"scratch that\b|thinking about it(?: more| again| now)?\b|now that i think about it\b|"
    r"having thought about it(?: more)?\b|i take that back\b|let me rephrase\b|"
    r"(?:actually,?\s+)?(?:it's|its|it is) (?:less |not (?:really |so much |just )?)about\b)"
)
_TAKES_BACK = re.compile(rf"^{_FILLER}{_CORRECTION}", re.IGNORECASE)
#: A view given as the earlier one ("At first I thought…", "I used to think…").
_EARLIER_VIEW = re.compile(
    r"\b(?:at first|initially|first i thought|i used to think|my first reaction)\b", re.I
)
#: The view that replaces it ("Now I think…", "But now I see…").
_NOW_VIEW = re.compile(rf"^{_FILLER}now,?\s+(?:i|it|that|she|he|they)\b", re.IGNORECASE)
#: The lead-in of a correction, which says that the mind changed, not what it thinks now.
_LEAD_IN = re.compile(
    rf"^{_FILLER}(?:actually,?\s+no|no,?\s+wait|wait,?\s+no|actually|on second thoughts?|"
    r"on reflection|scratch that|thinking about it(?: more| again| now)?|now that i think about "
    r"it|having thought about it(?: more)?|i take that back)\s*[,.:;!—-]+\s*",
    re.IGNORECASE,
)


def taken_back(sentences: list[str]) -> set[int]:
    """The indexes of the sentences a later one takes back."""
    dropped: set[int] = set()
    for index in range(1, len(sentences)):
        sentence, before = sentences[index], sentences[index - 1]
        if _TAKES_BACK.match(sentence) or (
            _NOW_VIEW.match(sentence) and _EARLIER_VIEW.search(before)
        ):
            dropped.add(index - 1)
    return dropped


#: A reframing names what it is not about before what it is: "it's less about the switch
#: and more that I don't know if I'm any good", "it's not really about pay, it's that…".
_NOT_ABOUT = re.compile(
    r"^(?:it's|its|it is) (?:less |not (?:really |so much |just )?)about [^,]+?"
    r"(?:,? (?:and|but) (?:more|rather)|, (?:it's|its|it is|more|but)|,? (?:it's|its) more)"
    r"(?: (?:that|about|like|the fact that))?\s+",
    re.IGNORECASE,
)


def without_lead_in(sentence: str) -> str:
    """``sentence`` without the words that only announce a correction, capitalised as it was
    ("Actually no, thinking about it, the text was there…" -> "The text was there…"; "it's
    less about the switch and more that I don't know…" -> "I don't know…")."""
    rest = sentence
    while True:
        shorter = _NOT_ABOUT.sub("", _LEAD_IN.sub("", rest, count=1), count=1)
        if shorter == rest or not shorter:
            break
        rest = shorter
    if rest == sentence:
        return sentence
    return rest[:1].upper() + rest[1:] if sentence[:1].isupper() else rest


def as_meant(sentences: list[str]) -> list[str]:
    """``sentences`` without those taken back, each without a correction's lead-in."""
    dropped = taken_back(sentences)
    return [without_lead_in(s) for index, s in enumerate(sentences) if index not in dropped]
