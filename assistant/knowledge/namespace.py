"""Which collection a home's index lives in, so that homes sharing a Chroma server stay apart.

Indexing makes a collection hold exactly the files of one home: the guidance and that home's
own sources, removing everything else. On an embedded store each home has its own folder, so
one name does. Homes that share a Chroma server (``REFLECT_CHROMA_URL``) would each remove the
others' sources from one collection; there each home gets a collection of its own, named
after an id kept in the home (``index-id``). The id is random rather than derived from the
path, so that a home moved or mounted elsewhere keeps its index, and it names nothing of the
user's.
"""

from __future__ import annotations

import os
import re

from assistant.config import Settings
from assistant.private_files import write_private_text

COLLECTION_NAME = "reflect-guidance"
HOME_ID_FILE = "index-id"
_HOME_ID = re.compile(r"^[0-9a-f]{16}$")


def collection_name(settings: Settings) -> str:
    """The collection of this home: the plain name locally, a per-home one on a server."""
    if not settings.chroma_url:
        return COLLECTION_NAME
    return f"{COLLECTION_NAME}-{home_id(settings)}"


def home_id(settings: Settings) -> str:
    """The home's index id, made on first use."""
    path = settings.home / HOME_ID_FILE
    try:
        recorded = path.read_text(encoding="utf-8").strip()
    except OSError:
        recorded = ""
    if _HOME_ID.match(recorded):
        return recorded
    made = os.urandom(8).hex()
    write_private_text(path, made + "\n")
    return made
