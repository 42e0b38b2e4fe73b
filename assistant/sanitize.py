"""Make text from users, models and documents safe to store, send and show.

Terminal escape sequences and control characters in pasted text can move the cursor, change
colours or hide text when printed; NUL bytes break some tools. They carry no meaning in a
reflection, so they are removed. Everything else (emoji, right-to-left text, combining marks,
markup-like brackets) is kept exactly: showing it literally is the display's job.
"""

from __future__ import annotations

import re

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


def clean_text(text: str) -> str:
    """Remove escape sequences and control characters; normalise line endings to ``\\n``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub("", text)
