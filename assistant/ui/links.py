"""Which links from a reply may be opened, and opening them.

A reply is model text: its links are hostile. Only web (http, https) and mail (mailto)
addresses open, with the system's opener (``App.open_url``); anything else (``file:``,
``javascript:``, a relative path) is refused with one line. Control characters are stripped
first, raw or already shown as visible symbols (:func:`assistant.ui.safe_text.inert`).
"""

from __future__ import annotations

import re
from enum import StrEnum
from urllib.parse import urlsplit

from textual.app import App

from assistant.sanitize import clean_text


class LinkScheme(StrEnum):
    HTTP = "http"
    HTTPS = "https"
    MAILTO = "mailto"


#: Control characters as :func:`inert` shows them (␀…␟, ␡) and the replacement character.
_CONTROL_PICTURES = re.compile("[\u2400-\u2421\ufffd]")
#: Longer addresses are cut in what is shown of them.
SHOWN_URL_CHARS = 80


def without_controls(text: str) -> str:
    """``text`` without control characters, raw or shown as visible symbols."""
    return _CONTROL_PICTURES.sub("", clean_text(text))


def openable_url(href: str) -> str | None:
    """``href`` cleaned of control characters, if it is a web or mail address; else None."""
    url = without_controls(href).strip()
    if any(char.isspace() for char in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in set(LinkScheme):
        return None
    if parts.scheme.lower() == LinkScheme.MAILTO:
        return url if parts.path else None
    return url if parts.netloc else None


def shown_url(href: str) -> str:
    """``href`` as it may be printed: without control characters, cut to a readable length."""
    text = without_controls(href)
    return text if len(text) <= SHOWN_URL_CHARS else text[: SHOWN_URL_CHARS - 1] + "…"


def open_link(app: App[object], href: str) -> bool:
    """Open ``href`` with the system's opener if it is a web or mail address; otherwise say
    it was not opened. Whether it was opened."""
    url = openable_url(href)
    if url is None:
        app.notify(
            f"Not opened: {shown_url(href)} — only web (http, https) and mail links open.",
            severity="warning",
            markup=False,
        )
        return False
    app.open_url(url)
    return True
