"""Answers that say nothing: "idk", "no", "nothing really", "skip", "pass".

People answer a step they have nothing for with a word that fills the box. Such an answer is
not a topic, a request for help, a question for the mentor or the context of a worry: it is
not quoted back, not searched for guidance, and not filed in the artifact (an agenda with the
topic "no", a time plan giving it twenty minutes, or the question "Given that skip, what would
you do next?" reads as if nobody listened). An action line that opens on "nothing" and goes on
to say why ("nothing, I'm not committing to anything until he gives me an example") declines
to plan; it is not an action item.
"""

from __future__ import annotations

import re

from assistant.conversation.core.user_text import ends_list

#: Words around a non-answer that change nothing ("um idk tbh", "nothing really lol").
_AROUND = r"(?:um+|uh+|erm+|hmm+|honestly|tbh|lol|really|sorry|i guess|i think|to be honest|atm)"
_NOTHING = (
    r"(?:idk|dunno|i don'?t know|i do not know|not sure|no idea|no clue|nothing|none|n/?a|"
    r"nope|nah|no|meh|skip|pass|-+|\?+|not really|not much|nothing much|nothing yet|not yet|"
    r"nothing to (?:add|report|say|share)|no comment|can'?t think of (?:anything|any)|"
    r"nothing comes to mind|none really|no thanks)"
)
_NON_ANSWER = re.compile(
    rf"(?:{_AROUND}[\s,.!]*)*{_NOTHING}(?:[\s,.!]*{_AROUND})*[\s.!]*", re.IGNORECASE
)
#: Where the opening word of an action line ends: "nothing, I'm not committing…".
_OPENING = re.compile(r"\s*[,;:—]\s*|\s+-+\s+|[.!]\s+")


def says_nothing(text: str) -> bool:
    """Whether ``text`` as a whole is a non-answer ("idk", "no", "nothing really", "skip"), or
    only says there is no more ("that's it really", "nothing else")."""
    return _NON_ANSWER.fullmatch(text.strip()) is not None or ends_list(text.strip())


def saying_something(items: list[str]) -> list[str]:
    """``items`` without those that say nothing (the "no" of a topics answer)."""
    return [item for item in items if not says_nothing(item)]


def opening_and_rest(line: str) -> tuple[str, str]:
    """The opening words of ``line`` up to its first comma, colon, dash or full stop, and what
    follows them ("nothing, I'm not committing…" -> "nothing", "I'm not committing…")."""
    parts = _OPENING.split(line.strip(), maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")
