"""Make user, model and document text safe to put on screen.

Rich markup is never applied to such text (widgets get ``markup=False`` or ``Text`` objects),
but control characters would still reach the terminal: an ESC from a model reply could start
an escape sequence. :func:`inert` replaces every control character except newline and tab
with its visible Unicode "control picture" (ESC becomes ␛), so the text shows literally.
"""

from __future__ import annotations

_CONTROL_PICTURES = {code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in "\n\t"}
_CONTROL_PICTURES[0x7F] = "\u2421"  # ␡
# C1 controls (0x80-0x9f): 0x9b alone is a CSI in some terminals.
_CONTROL_PICTURES.update({code: "\ufffd" for code in range(0x80, 0xA0)})


def inert(text: str) -> str:
    """``text`` with control characters shown as visible symbols instead of acted upon.

    Windows line endings become plain newlines first, so they do not show as ␍.
    """
    return text.replace("\r\n", "\n").translate(_CONTROL_PICTURES)
