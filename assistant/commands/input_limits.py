"""Bounds on what `reflect chat` reads: the whole input, and one answer.

``reflect chat --input /dev/zero`` (or a pipe that never ends, or a log file given by
mistake) must not make Reflect grow without bound. Lines are read in pieces of at most
``READ_CHARS``; an answer longer than ``MAX_ANSWER_CHARS`` keeps its beginning, and input past
``MAX_INPUT_CHARS`` is not read at all. Each cut is said in one line on stderr. (A single
line longer than ``READ_CHARS`` reaches the conversation as several lines.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TextIO

from assistant.conversation.core.headless import TURN_SEPARATOR

#: One answer: far more than anyone types, small enough for the journal and a prompt.
MAX_ANSWER_CHARS = 100_000
#: The whole input of one conversation.
MAX_INPUT_CHARS = 2_000_000
#: The most characters read at once: a "line" without line breaks is read in pieces.
READ_CHARS = 65_536


def bounded_lines(stream: TextIO, warn: Callable[[str], None]) -> Iterator[str]:
    """The lines of ``stream`` within the bounds; ``warn`` gets a sentence for each cut."""
    total = 0
    answer_chars = 0
    answer_number = 1
    cut = False
    while piece := stream.readline(READ_CHARS):
        total += len(piece)
        if total > MAX_INPUT_CHARS:
            warn(
                f"the input is longer than {MAX_INPUT_CHARS:,} characters; "
                f"the rest was not read, and the conversation ends here"
            )
            return
        if piece.strip() == TURN_SEPARATOR:
            answer_chars, answer_number, cut = 0, answer_number + 1, False
            yield piece
            continue
        answer_chars += len(piece)
        if answer_chars > MAX_ANSWER_CHARS:
            if not cut:
                warn(
                    f"answer {answer_number} is longer than {MAX_ANSWER_CHARS:,} characters; "
                    f"only its beginning is used"
                )
                cut = True
                keep = len(piece) - (answer_chars - MAX_ANSWER_CHARS)
                yield piece[:keep] + "\n"
            continue
        yield piece
