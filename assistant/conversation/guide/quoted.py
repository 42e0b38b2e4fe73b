"""Someone else's message pasted into an answer, in quotation marks.

A mentee who pastes the notes their mentor sent ("Hi Leo, thanks for today. … Happy to look
at v2 next week. Best, Mireille") gives the mentor's words, not their own: "Happy to look at
v2" is not the mentee feeling happy, and "you led it, say so" is feedback received. A quoted
passage is one that holds more than one sentence; a short quote inside a sentence ("she said
I "lack presence"") is read with its sentence as before. The greeting and sign-off of a
pasted message ("Hi Leo, thanks for today.", "Best, Mireille") say nothing about the work.
"""

from __future__ import annotations

import re

_QUOTE = re.compile(r"\"([^\"]+)\"|“([^”]+)”", re.DOTALL)
#: A sentence end (or a new line) inside a quote: the quote is a passage, not a phrase.
_SENTENCE_INSIDE = re.compile(r"[.!?:]\s+\S|\n\s*\S")
#: The frame of a letter: its greeting, a thank-you for the meeting, its sign-off, and a line
#: that only announces what follows ("Three things from my side:").
_FRAME = re.compile(
    r"^(?:(?:hi|hello|hey|dear|morning|evening)\b[^.!?]*[,!.]?\s*(?:thanks|thank you)?[^.!?]*"
    r"|(?:thanks|thank you)(?: (?:again|so much))?(?: for (?:today|the (?:chat|call|meeting|"
    r"session|time)))?[.!]?"
    r"|(?:best|cheers|regards|kind regards|best wishes|all the best|warmly|thanks|talk soon|"
    r"speak soon)\b,?\s*[A-Z]?[\w.-]*"
    r"|[A-Z][a-z'-]+"  # the name under a sign-off, on its own line
    r"|[^.!?]*:)$",
    re.IGNORECASE,
)


#: A message pasted without quotation marks, from its greeting line ("Hi Leo," or "Hi Leo,
#: thanks for today.") to its sign-off and name ("Best,\nMireille" or "Cheers - Tom").
_LETTER = re.compile(
    r"^[ \t]*(?:hi|hello|hey|dear)[ \t]+[A-Z][\w-]*[ \t]*[,!].*?"
    r"^[ \t]*(?:best|cheers|regards|kind regards|best wishes|all the best|warmly|thanks|"
    r"talk soon|speak soon)\b[ \t]*[,-]?\s*[A-Z][\w-]*[.!]?[ \t]*$",
    re.IGNORECASE | re.MULTILINE | re.DOTALL,
)


def quoted_passages(text: str) -> list[str]:
    """The contents of the quotes in ``text`` that hold more than one sentence, and any
    message pasted without quotes (a greeting line, then the lines up to a sign-off)."""
    passages = [match.group(1) or match.group(2) for match in _QUOTE.finditer(text)]
    quoted = [passage for passage in passages if _SENTENCE_INSIDE.search(passage.strip())]
    return quoted + [match.group(0) for match in _LETTER.finditer(text)]


def is_quoted(sentence: str, passages: list[str]) -> bool:
    """Whether ``sentence`` lies inside one of the quoted ``passages``."""
    core = sentence.strip(' "“”')
    return bool(core) and any(core in " ".join(passage.split()) for passage in passages)


def frames_a_letter(sentence: str) -> bool:
    """Whether a quoted ``sentence`` is the greeting, thanks or sign-off of a message."""
    return _FRAME.fullmatch(sentence.strip(' "“”')) is not None


#: The sign-off of a pasted message, with the writer's name: "Best, Mireille", "Cheers - Tom".
_SIGNED = re.compile(
    r"(?:best|cheers|regards|kind regards|best wishes|all the best|warmly|thanks|talk soon|"
    r"speak soon)\s*[,-]?\s*([A-Z][a-z]+(?:-[A-Z][a-z]+)?)[.!]?\s*$",
    re.IGNORECASE,
)


def signed_by(*answers: str) -> str:
    """The name a message pasted in quotation marks is signed with ("" when none is)."""
    for answer in answers:
        for passage in quoted_passages(answer):
            match = _SIGNED.search(passage)
            if match is not None and match.group(1)[:1].isupper():
                return match.group(1)
    return ""
