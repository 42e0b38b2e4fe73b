"""Make text from users, models and documents safe to store, send and show.

Terminal escape sequences and control characters in pasted text can move the cursor, change
colours or hide text when printed; NUL bytes break some tools. They carry no meaning in a
reflection, so they are removed. A lone UTF-16 surrogate (which a model's JSON can carry as
``\\ud800``) cannot be encoded as UTF-8, so it would stop the text from being printed or
saved: it becomes U+FFFD. Everything else (emoji, right-to-left text, combining marks,
markup-like brackets) is kept exactly: showing it literally is the display's job.
"""

from __future__ import annotations

import re
from enum import Enum, auto
from typing import Any

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other two-character ESC sequences,
# and the 8-bit CSI introducer.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
# C0 controls except tab and newline, DEL, C1 controls, and a lone ESC left over.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Any surrogate code point in a Python string is unpaired: pairs are single code points.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
REPLACEMENT_CHARACTER = "\ufffd"
# What makes text need cleaning at all: a control, an escape or a surrogate.
_NEEDS_CARE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

ESC = "\x1b"
CSI_8BIT = "\x9b"
BEL = "\x07"


def clean_text(text: str) -> str:
    """Remove escape sequences and control characters; normalise line endings to ``\\n``;
    replace lone surrogates with U+FFFD."""
    if not _NEEDS_CARE.search(text):  # the usual case: one scan, nothing to change
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _CONTROL.sub("", text)
    return _SURROGATE.sub(REPLACEMENT_CHARACTER, text)


def is_encodable(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8: no lone surrogates (which is how Python
    keeps the bytes of a command-line argument or a file name that is not UTF-8)."""
    return not _SURROGATE.search(text)


def clean_data(value: Any) -> Any:
    """``value`` (JSON-like: dicts, lists, strings, numbers) with every string cleaned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_data(key): clean_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_data(item) for item in value]
    return value


class _State(Enum):
    TEXT = auto()
    ESCAPE = auto()  # after ESC
    CSI = auto()  # inside ESC [ ... or 0x9b ...
    STRING = auto()  # inside OSC (or DCS, SOS, PM, APC) until BEL or ESC \
    STRING_ESCAPE = auto()  # ESC seen inside a string: ``\\`` ends it
    CARRIAGE_RETURN = auto()  # a CR whose LF may come in the next chunk


class StreamCleaner:
    """:func:`clean_text` for text that arrives in pieces (a model's streamed reply).

    An escape sequence split between two chunks (``\\x1b[3`` then ``1m``) is removed whole
    rather than leaving ``1m`` on screen: the state between chunks is kept. A CR at the end
    of a chunk is held until the next one says whether it starts a CRLF.
    """

    def __init__(self) -> None:
        self._state = _State.TEXT

    def feed(self, chunk: str) -> str:
        if self._state is _State.TEXT and not _NEEDS_CARE.search(chunk):
            return chunk
        out: list[str] = []
        for char in chunk:
            self._step(char, out)
        return "".join(out)

    def _step(self, char: str, out: list[str]) -> None:
        state = self._state
        if state is _State.CARRIAGE_RETURN:
            out.append("\n")
            self._state = _State.TEXT
            if char == "\n":
                return
            state = _State.TEXT
        if state is _State.TEXT:
            self._text(char, out)
        elif state is _State.ESCAPE:
            if char == "[":
                self._state = _State.CSI
            elif char in "]PX^_":
                self._state = _State.STRING
            elif "@" <= char <= "_":
                self._state = _State.TEXT
            else:
                self._state = _State.TEXT
                self._text(char, out)
        elif state is _State.CSI:
            if "@" <= char <= "~":
                self._state = _State.TEXT
            elif not ("0" <= char <= "?" or " " <= char <= "/"):
                self._state = _State.TEXT
                self._text(char, out)
        elif state is _State.STRING:
            if char == BEL:
                self._state = _State.TEXT
            elif char == ESC:
                self._state = _State.STRING_ESCAPE
        elif state is _State.STRING_ESCAPE:
            self._state = _State.ESCAPE
            if char == "\\":
                self._state = _State.TEXT
            else:
                self._step(char, out)

    def _text(self, char: str, out: list[str]) -> None:
        if char == ESC:
            self._state = _State.ESCAPE
        elif char == CSI_8BIT:
            self._state = _State.CSI
        elif char == "\r":
            self._state = _State.CARRIAGE_RETURN
        elif _CONTROL.match(char):
            return
        elif _SURROGATE.match(char):
            out.append(REPLACEMENT_CHARACTER)
        else:
            out.append(char)
